package io.flowinspect.capture.decode;

import io.flowinspect.schemas.PacketFlags;
import java.util.Arrays;

/**
 * The headers of one decoded packet and its normalized flow key. Mutable and reused for every frame
 * so that decoding allocates nothing: what a consumer keeps it must copy (see {@link
 * PacketRecords}). The address accessors return the internal 16-byte buffers, of which the first
 * {@link #addressLength()} bytes are the address; do not modify them. After {@link
 * FrameDecoder#decode} returns a skip reason, the contents are unspecified.
 */
public final class DecodedPacket {
  long timeNanos;
  int zone;
  int ipVersion;
  int protocol;
  int keyProtocol;
  int addressLength;
  final byte[] srcAddress = new byte[16];
  final byte[] dstAddress = new byte[16];
  int srcPort;
  int dstPort;
  /** The protocol has ports and they were read (they appear in {@link #describeTuple()}). */
  boolean hasPorts;
  final byte[] lowAddress = new byte[16];
  final byte[] highAddress = new byte[16];
  int lowPort;
  int highPort;
  int flags;
  int length;
  int payloadLength;
  int tcpFlags;
  int seq;
  int ack;
  int window;
  int tcpOptions;
  int sackEdge;
  boolean hasTimestamps;
  int tsValue;
  int tsEchoReply;
  int icmpType;
  int icmpCode;
  int icmpId;
  int icmpSequence;
  /** Fragment identification of a first fragment or an IPv6 atomic fragment; -1 when none. */
  long fragmentId;
  /** For ICMP errors: 0 no embedded packet could be read, 1 its addresses, 2 addresses and ports. */
  int innerDetail;
  byte[] ftpLine;
  byte[] errorSource;

  public DecodedPacket() {
    reset(0, 0);
  }

  void reset(long timeNanos, int zone) {
    this.timeNanos = timeNanos;
    this.zone = zone;
    ipVersion = 0;
    protocol = 0;
    keyProtocol = 0;
    addressLength = 0;
    srcPort = 0;
    dstPort = 0;
    hasPorts = false;
    lowPort = 0;
    highPort = 0;
    flags = 0;
    length = 0;
    payloadLength = 0;
    tcpFlags = 0;
    seq = 0;
    ack = 0;
    window = 0;
    tcpOptions = 0;
    sackEdge = 0;
    hasTimestamps = false;
    tsValue = 0;
    tsEchoReply = 0;
    icmpType = -1;
    icmpCode = 0;
    icmpId = 0;
    icmpSequence = 0;
    fragmentId = -1;
    innerDetail = 0;
    ftpLine = null;
    errorSource = null;
  }

  void setTimestamps(int value, int echoReply) {
    hasTimestamps = true;
    tsValue = value;
    tsEchoReply = echoReply;
  }

  /**
   * Orders the two endpoints (address bytes unsigned, then port unsigned) into the key and returns
   * true when {@code a} is the high one. Equal endpoints: {@code a} is low.
   */
  boolean setKey(byte[] a, int aPort, byte[] b, int bPort) {
    int order = Arrays.compareUnsigned(a, 0, addressLength, b, 0, addressLength);
    if (order == 0) order = Integer.compareUnsigned(aPort, bPort);
    boolean aIsHigh = order > 0;
    byte[] low = aIsHigh ? b : a;
    byte[] high = aIsHigh ? a : b;
    System.arraycopy(low, 0, lowAddress, 0, addressLength);
    System.arraycopy(high, 0, highAddress, 0, addressLength);
    lowPort = aIsHigh ? bPort : aPort;
    highPort = aIsHigh ? aPort : bPort;
    return aIsHigh;
  }

  /** Capture time, nanoseconds since the Unix epoch. */
  /** Replaces the capture time, e.g. with the time of sending when latency is measured. */
  public void restamp(long nanos) {
    timeNanos = nanos;
  }

  public long timeNanos() {
    return timeNanos;
  }

  public int zone() {
    return zone;
  }

  /** 4 or 6. */
  public int ipVersion() {
    return ipVersion;
  }

  /** This packet's IP protocol (for an ICMP error: 1 or 58, whatever the key's protocol). */
  public int protocol() {
    return protocol;
  }

  /** The key's protocol: {@link #protocol()}, except for ICMP errors, where it is the embedded packet's. */
  public int keyProtocol() {
    return keyProtocol;
  }

  /** The name the kernel oracle uses for {@link #protocol()}: tcp, udp, icmp, icmpv6, gre, proto{n}... */
  public String protocolName() {
    return PacketText.protocolName(protocol);
  }

  /** 4 (IPv4) or 16 (IPv6): the valid prefix of every address buffer. */
  public int addressLength() {
    return addressLength;
  }

  /** This packet's source address (internal buffer, see the class comment). */
  public byte[] srcAddress() {
    return srcAddress;
  }

  public byte[] dstAddress() {
    return dstAddress;
  }

  /** TCP/UDP/SCTP/DCCP/UDP-Lite source port; the packed query id for ICMP queries; else 0. */
  public int srcPort() {
    return srcPort;
  }

  public int dstPort() {
    return dstPort;
  }

  public byte[] lowAddress() {
    return lowAddress;
  }

  public int lowPort() {
    return lowPort;
  }

  public byte[] highAddress() {
    return highAddress;
  }

  public int highPort() {
    return highPort;
  }

  /**
   * The key's high endpoint sent this packet. When both endpoints are equal it is false, except for
   * an ICMP query reply, which the kernel tells from its request by type.
   */
  public boolean fromHigh() {
    return (flags & PacketFlags.FROM_HIGH) != 0;
  }

  /** {@link PacketFlags} bits. */
  public int flags() {
    return flags;
  }

  /** IP total length (IPv6: 40 + payload length), as the wire carried it. */
  public int length() {
    return length;
  }

  /** Transport payload bytes: TCP data, UDP data, the ICMP body after its 8-byte header. */
  public int payloadLength() {
    return payloadLength;
  }

  /** TCP flag byte (FIN=1 ... CWR=128); 0 for other protocols. */
  public int tcpFlags() {
    return tcpFlags;
  }

  /** TCP sequence number; for an ICMP error about TCP, the embedded header's. */
  public int seq() {
    return seq;
  }

  public int ack() {
    return ack;
  }

  /** TCP window field, unscaled. */
  public int window() {
    return window;
  }

  /**
   * Packed as PacketHeader.tcpOptions: bits 0-3 the window-scale shift (a shift above 14 is stored
   * as 14, as the kernel and RFC 7323 §2.3 use it), bit 4 window scale present, bit 5
   * SACK-permitted, bit 6 SACK blocks present, bits 16-31 MSS.
   */
  public int tcpOptions() {
    return tcpOptions;
  }

  /** Highest right edge of the SACK blocks, in sequence space; valid when tcpOptions bit 6 is set. */
  public int sackEdge() {
    return sackEdge;
  }

  /** A TCP timestamps option (RFC 7323) was present. */
  public boolean hasTimestamps() {
    return hasTimestamps;
  }

  public int tsValue() {
    return tsValue;
  }

  public int tsEchoReply() {
    return tsEchoReply;
  }

  /** ICMP/ICMPv6 type of this packet; -1 when it is not ICMP. */
  public int icmpType() {
    return icmpType;
  }

  public int icmpCode() {
    return icmpCode;
  }

  /** Identifier field of an ICMP query. */
  public int icmpId() {
    return icmpId;
  }

  /** Sequence number field of an ICMP query. */
  public int icmpSequence() {
    return icmpSequence;
  }

  /** A PORT, EPRT, 227 or 229 line of an FTP control connection (a fresh copy), else null. */
  public byte[] ftpLine() {
    return ftpLine;
  }

  /** For ICMP errors: the address that sent the error (a fresh copy), else null. */
  public byte[] errorSource() {
    return errorSource;
  }

  /** Like the kernel oracle's tuple column: {@code 10.0.0.1:80 > 10.0.0.2:4000}, {@code [2001:db8::1]:53 > ...}. */
  public String describeTuple() {
    return PacketText.tuple(this);
  }

  /** Like the kernel oracle's info column: {@code SA}, {@code PA len=61}, {@code type=8/0 id=1 seq=2}. */
  public String describeInfo() {
    return PacketText.info(this);
  }

  @Override
  public String toString() {
    return protocolName() + " " + describeTuple() + " " + describeInfo();
  }
}

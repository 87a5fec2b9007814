package io.flowinspect.capture.decode;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds IP packets byte by byte for tests, with correct checksums unless told otherwise. Its
 * checksum code is a plain 16-bit loop, independent of the decoder's.
 */
final class PacketBuilder {
  static final int FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16, URG = 32, ECE = 64, CWR = 128;

  private final byte[] src;
  private final byte[] dst;
  private final int protocol;
  private int srcPort;
  private int dstPort;

  private int tcpFlags;
  private long seq;
  private long ack;
  private int window = 65535;
  private byte[] tcpOptions = new byte[0];
  private int dataOffsetWords = -1;

  private int icmpType;
  private int icmpCode;
  private int icmpId;
  private int icmpSeq;

  private byte[] payload = new byte[0];
  private byte[] rawTransport;
  private int udpLength = -1;
  private boolean zeroChecksum;
  private boolean badChecksum;

  private int ttl = 64;
  private int ipIdentification = 1;
  private byte[] ipv4Options = new byte[0];
  private int fragmentOffset;
  private boolean moreFragments;
  private boolean badIpChecksum;
  private int totalLengthOverride = -1;
  private int headerLengthOverride = -1;
  private final List<byte[]> extensions = new ArrayList<>();
  private final List<Integer> extensionTypes = new ArrayList<>();

  private PacketBuilder(String src, String dst, int protocol) {
    this.src = address(src);
    this.dst = address(dst);
    this.protocol = protocol;
    if (this.src.length != this.dst.length) throw new IllegalArgumentException("mixed address families");
  }

  static PacketBuilder tcp(String src, int srcPort, String dst, int dstPort) {
    PacketBuilder b = new PacketBuilder(src, dst, 6);
    b.srcPort = srcPort;
    b.dstPort = dstPort;
    return b;
  }

  static PacketBuilder udp(String src, int srcPort, String dst, int dstPort) {
    PacketBuilder b = new PacketBuilder(src, dst, 17);
    b.srcPort = srcPort;
    b.dstPort = dstPort;
    return b;
  }

  /** ICMP for IPv4 addresses, ICMPv6 for IPv6 ones. */
  static PacketBuilder icmp(String src, String dst, int type, int code) {
    PacketBuilder b = new PacketBuilder(src, dst, src.contains(":") ? 58 : 1);
    b.icmpType = type;
    b.icmpCode = code;
    return b;
  }

  /** Any protocol, with the given transport bytes as they are. */
  static PacketBuilder raw(String src, String dst, int protocol, byte[] transport) {
    PacketBuilder b = new PacketBuilder(src, dst, protocol);
    b.rawTransport = transport.clone();
    return b;
  }

  PacketBuilder flags(int flags) {
    tcpFlags = flags;
    return this;
  }

  PacketBuilder seq(long seq) {
    this.seq = seq;
    return this;
  }

  PacketBuilder ack(long ack) {
    this.ack = ack;
    return this;
  }

  PacketBuilder window(int window) {
    this.window = window;
    return this;
  }

  /** Raw option bytes; padded with EOL to a multiple of 4. */
  PacketBuilder tcpOptions(int... bytes) {
    int padded = (bytes.length + 3) / 4 * 4;
    tcpOptions = new byte[padded];
    for (int i = 0; i < bytes.length; i++) tcpOptions[i] = (byte) bytes[i];
    return this;
  }

  PacketBuilder dataOffsetWords(int words) {
    dataOffsetWords = words;
    return this;
  }

  PacketBuilder icmpQuery(int id, int sequence) {
    icmpId = id;
    icmpSeq = sequence;
    return this;
  }

  PacketBuilder payload(byte[] payload) {
    this.payload = payload.clone();
    return this;
  }

  PacketBuilder payload(String text) {
    return payload(text.getBytes(StandardCharsets.US_ASCII));
  }

  PacketBuilder udpLength(int length) {
    udpLength = length;
    return this;
  }

  PacketBuilder zeroChecksum() {
    zeroChecksum = true;
    return this;
  }

  PacketBuilder badChecksum() {
    badChecksum = true;
    return this;
  }

  PacketBuilder ipIdentification(int id) {
    ipIdentification = id;
    return this;
  }

  PacketBuilder ipv4Options(int... bytes) {
    ipv4Options = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) ipv4Options[i] = (byte) bytes[i];
    return this;
  }

  /** IPv4: the fragment fields. IPv6: adds a fragment header (after the other extension headers). */
  PacketBuilder fragment(int offsetBytes, boolean more, int id) {
    if (src.length == 4) {
      fragmentOffset = offsetBytes;
      moreFragments = more;
      ipIdentification = id;
    } else {
      byte[] h = new byte[8];
      int field = offsetBytes & 0xfff8 | (more ? 1 : 0);
      h[2] = (byte) (field >>> 8);
      h[3] = (byte) field;
      h[4] = (byte) (id >>> 24);
      h[5] = (byte) (id >>> 16);
      h[6] = (byte) (id >>> 8);
      h[7] = (byte) id;
      extensionTypes.add(44);
      extensions.add(h);
    }
    return this;
  }

  /** An IPv6 option-style extension header (0, 43, 60) of {@code (lengthField + 1) * 8} bytes. */
  PacketBuilder ipv6Extension(int type, int lengthField) {
    byte[] h = new byte[(lengthField + 1) * 8];
    h[1] = (byte) lengthField;
    if (type == 0 || type == 60) h[2] = 1; // a PadN option, so the header is well formed
    if (type == 0 || type == 60) h[3] = (byte) (h.length - 4);
    extensionTypes.add(type);
    extensions.add(h);
    return this;
  }

  /** An IPv6 extension header with a length field that does not match its bytes. */
  PacketBuilder ipv6ExtensionClaiming(int type, int lengthField, int actualBytes) {
    byte[] h = new byte[actualBytes];
    h[1] = (byte) lengthField;
    extensionTypes.add(type);
    extensions.add(h);
    return this;
  }

  /** An authentication header (RFC 4302) of {@code (lengthField + 2) * 4} bytes. */
  PacketBuilder authenticationHeader(int lengthField) {
    byte[] h = new byte[(lengthField + 2) * 4];
    h[1] = (byte) lengthField;
    extensionTypes.add(51);
    extensions.add(h);
    return this;
  }

  PacketBuilder badIpChecksum() {
    badIpChecksum = true;
    return this;
  }

  PacketBuilder totalLength(int length) {
    totalLengthOverride = length;
    return this;
  }

  PacketBuilder headerLength(int bytes) {
    headerLengthOverride = bytes;
    return this;
  }

  PacketBuilder ttl(int ttl) {
    this.ttl = ttl;
    return this;
  }

  /** The IP packet. */
  byte[] build() {
    byte[] transport = transport();
    return src.length == 4 ? ipv4(transport) : ipv6(transport);
  }

  private byte[] transport() {
    if (rawTransport != null) return rawTransport.clone();
    byte[] t;
    int checksumAt;
    boolean pseudo = true;
    switch (protocol) {
      case 6 -> {
        int headerLength = 20 + tcpOptions.length;
        t = new byte[headerLength + payload.length];
        put16(t, 0, srcPort);
        put16(t, 2, dstPort);
        put32(t, 4, seq);
        put32(t, 8, ack);
        int words = dataOffsetWords >= 0 ? dataOffsetWords : headerLength / 4;
        t[12] = (byte) (words << 4);
        t[13] = (byte) tcpFlags;
        put16(t, 14, window);
        System.arraycopy(tcpOptions, 0, t, 20, tcpOptions.length);
        System.arraycopy(payload, 0, t, headerLength, payload.length);
        checksumAt = 16;
      }
      case 17 -> {
        t = new byte[8 + payload.length];
        put16(t, 0, srcPort);
        put16(t, 2, dstPort);
        put16(t, 4, udpLength >= 0 ? udpLength : t.length);
        System.arraycopy(payload, 0, t, 8, payload.length);
        checksumAt = 6;
      }
      default -> {
        t = new byte[8 + payload.length];
        t[0] = (byte) icmpType;
        t[1] = (byte) icmpCode;
        put16(t, 4, icmpId);
        put16(t, 6, icmpSeq);
        System.arraycopy(payload, 0, t, 8, payload.length);
        checksumAt = 2;
        pseudo = protocol == 58;
      }
    }
    if (zeroChecksum) return t;
    // Like the kernel: the sum covers the whole IP payload, whatever the UDP length field says.
    long sum = sum(t);
    if (pseudo) {
      sum += sum(src) + sum(dst) + protocol + t.length;
    }
    int checksum = ~fold(sum) & 0xffff;
    if (protocol == 17 && checksum == 0) checksum = 0xffff; // RFC 768: 0 means "none"
    if (badChecksum) checksum ^= 0x5a5a;
    put16(t, checksumAt, checksum);
    return t;
  }

  private byte[] ipv4(byte[] transport) {
    int headerLength = 20 + ipv4Options.length;
    byte[] p = new byte[headerLength + transport.length];
    int ihl = headerLengthOverride >= 0 ? headerLengthOverride / 4 : headerLength / 4;
    p[0] = (byte) (0x40 | ihl);
    put16(p, 2, totalLengthOverride >= 0 ? totalLengthOverride : p.length);
    put16(p, 4, ipIdentification);
    put16(p, 6, (moreFragments ? 0x2000 : 0) | (fragmentOffset / 8));
    p[8] = (byte) ttl;
    p[9] = (byte) protocol;
    System.arraycopy(src, 0, p, 12, 4);
    System.arraycopy(dst, 0, p, 16, 4);
    System.arraycopy(ipv4Options, 0, p, 20, ipv4Options.length);
    int checksumBytes = Math.min(p.length, Math.max(20, ihl * 4));
    byte[] header = new byte[checksumBytes];
    System.arraycopy(p, 0, header, 0, checksumBytes);
    int checksum = ~fold(sum(header)) & 0xffff;
    if (badIpChecksum) checksum ^= 0x1234;
    put16(p, 10, checksum);
    System.arraycopy(transport, 0, p, headerLength, transport.length);
    return p;
  }

  private byte[] ipv6(byte[] transport) {
    ByteArrayOutputStream chain = new ByteArrayOutputStream();
    for (int i = 0; i < extensions.size(); i++) {
      byte[] h = extensions.get(i).clone();
      h[0] = (byte) (i + 1 < extensions.size() ? extensionTypes.get(i + 1) : protocol);
      chain.writeBytes(h);
    }
    byte[] ext = chain.toByteArray();
    byte[] p = new byte[40 + ext.length + transport.length];
    p[0] = 0x60;
    put16(p, 4, totalLengthOverride >= 0 ? totalLengthOverride : ext.length + transport.length);
    p[6] = (byte) (extensions.isEmpty() ? protocol : extensionTypes.get(0));
    p[7] = (byte) ttl;
    System.arraycopy(src, 0, p, 8, 16);
    System.arraycopy(dst, 0, p, 24, 16);
    System.arraycopy(ext, 0, p, 40, ext.length);
    System.arraycopy(transport, 0, p, 40 + ext.length, transport.length);
    return p;
  }

  static byte[] address(String text) {
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static long sum(byte[] b) {
    long s = 0;
    for (int i = 0; i + 1 < b.length; i += 2) s += (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    if (b.length % 2 == 1) s += (b[b.length - 1] & 0xff) << 8;
    return s;
  }

  static int fold(long s) {
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    return (int) s;
  }

  static void put16(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 8);
    b[i + 1] = (byte) v;
  }

  static void put32(byte[] b, int i, long v) {
    b[i] = (byte) (v >>> 24);
    b[i + 1] = (byte) (v >>> 16);
    b[i + 2] = (byte) (v >>> 8);
    b[i + 3] = (byte) v;
  }
}

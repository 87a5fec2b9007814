package io.flowinspect.capture.decode;

import io.flowinspect.schemas.PacketFlags;
import java.util.Arrays;
import java.util.Objects;

/**
 * Decodes captured frames into {@link DecodedPacket}s at fixed offsets, allocating nothing per frame
 * (except the copies of an FTP line or an ICMP error's source). What it keeps and what it drops
 * follows the Linux kernel up to and including conntrack, the reference for per-packet state:
 * packets the kernel drops before conntrack are skipped, packets conntrack finds malformed come out
 * with {@link PacketFlags#TRANSPORT_MALFORMED} or {@link PacketFlags#CHECKSUM_BAD} so that the
 * engine can call them INVALID. Not thread-safe: one decoder per capture thread.
 */
public final class FrameDecoder {
  private static final SkipReason[] REASONS = SkipReason.values();

  private final DecoderOptions options;
  private final long[] ftpPortBits = new long[1024];
  private final LinkHeader link = new LinkHeader();
  private final Ipv6ExtensionWalk walk = new Ipv6ExtensionWalk();
  private final IcmpErrorDecoder icmpErrors = new IcmpErrorDecoder();

  private long seen;
  private long decoded;
  private final long[] skipped = new long[REASONS.length];

  // The transport part of the frame being decoded.
  private int l4Offset;
  /** Bytes of IP payload on the wire (what the IP header says), from l4Offset. */
  private int l4WireLength;
  /** Bytes of it that were captured, at most l4WireLength. */
  private int l4CapturedLength;
  private boolean firstFragment;

  public FrameDecoder(DecoderOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    for (int port : options.ftpPorts()) ftpPortBits[port >>> 6] |= 1L << port;
  }

  /**
   * Decodes one frame. Returns null when {@code out} now holds a packet, else why the frame was
   * skipped. Never throws on any input bytes: lengths are clamped to the array, truncation is a
   * reason.
   *
   * @param capturedLength bytes of {@code frame} that were captured
   * @param wireLength length of the frame on the wire (larger when the snap length cut it)
   */
  public SkipReason decode(
      int linkType, byte[] frame, int capturedLength, int wireLength, long timeNanos, DecodedPacket out) {
    Objects.requireNonNull(out, "out");
    out.reset(timeNanos, options.zone());
    int captured = frame == null ? 0 : Math.max(0, Math.min(capturedLength, frame.length));
    int wire = Math.max(wireLength, captured);
    SkipReason reason = decodeFrame(linkType, frame, captured, wire, out);
    seen++;
    if (reason == null) decoded++;
    else skipped[reason.ordinal()]++;
    return reason;
  }

  public DecodeCounters counters() {
    return new DecodeCounters(seen, decoded, skipped);
  }

  private SkipReason decodeFrame(int linkType, byte[] frame, int captured, int wire, DecodedPacket out) {
    SkipReason reason = link.parse(linkType, frame, captured);
    if (reason != null) return reason;
    int ip = link.ipOffset;
    if (captured <= ip) return SkipReason.TRUNCATED_IP;
    int version = Ipv4Header.version(frame, ip);
    if (link.ipVersion != 0 && version != link.ipVersion) return SkipReason.BAD_IP_VERSION;
    if (version == 4) reason = decodeIpv4(frame, ip, captured - ip, wire - ip, out);
    else if (version == 6) reason = decodeIpv6(frame, ip, captured - ip, wire - ip, out);
    else return SkipReason.BAD_IP_VERSION;
    if (reason != null) return reason;
    return decodeTransport(frame, out);
  }

  /** The checks of the kernel's ip_rcv_core, in its order: what fails them never reaches conntrack. */
  private SkipReason decodeIpv4(byte[] b, int ip, int captured, int wire, DecodedPacket out) {
    if (captured < Ipv4Header.MIN_LENGTH) return SkipReason.TRUNCATED_IP;
    int headerLength = Ipv4Header.headerLength(b, ip);
    if (headerLength < Ipv4Header.MIN_LENGTH) return SkipReason.IPV4_BAD_HEADER_LENGTH;
    if (captured < headerLength) return SkipReason.TRUNCATED_IP;
    if (!InternetChecksum.intact(InternetChecksum.sum(b, ip, headerLength))) {
      return SkipReason.IPV4_BAD_CHECKSUM;
    }
    int totalLength = Bytes.u16(b, ip + Ipv4Header.TOTAL_LENGTH);
    if (totalLength < headerLength || totalLength > wire) return SkipReason.IPV4_BAD_TOTAL_LENGTH;
    int fragment = Bytes.u16(b, ip + Ipv4Header.FLAGS_FRAGMENT_OFFSET);
    if ((fragment & Ipv4Header.FRAGMENT_OFFSET_MASK) != 0) return SkipReason.FRAGMENT;
    firstFragment = (fragment & Ipv4Header.MORE_FRAGMENTS) != 0;
    if (firstFragment) {
      out.flags |= PacketFlags.FIRST_FRAGMENT;
      out.fragmentId = Bytes.u16(b, ip + Ipv4Header.IDENTIFICATION);
    }
    out.ipVersion = 4;
    out.addressLength = Ipv4Header.ADDRESS_LENGTH;
    System.arraycopy(b, ip + Ipv4Header.SOURCE, out.srcAddress, 0, 4);
    System.arraycopy(b, ip + Ipv4Header.DESTINATION, out.dstAddress, 0, 4);
    out.protocol = Bytes.u8(b, ip + Ipv4Header.PROTOCOL);
    out.length = totalLength;
    // Bounding by the total length drops Ethernet padding.
    l4Offset = ip + headerLength;
    l4WireLength = totalLength - headerLength;
    l4CapturedLength = Math.min(totalLength, captured) - headerLength;
    return null;
  }

  private SkipReason decodeIpv6(byte[] b, int ip, int captured, int wire, DecodedPacket out) {
    if (captured < Ipv6Header.LENGTH) return SkipReason.TRUNCATED_IP;
    int payloadLength = Bytes.u16(b, ip + Ipv6Header.PAYLOAD_LENGTH);
    if (Ipv6Header.LENGTH + payloadLength > wire) return SkipReason.IPV6_BAD_PAYLOAD_LENGTH;
    int end = ip + Ipv6Header.LENGTH + payloadLength;
    int capturedEnd = ip + Math.min(captured, Ipv6Header.LENGTH + payloadLength);
    int next = Bytes.u8(b, ip + Ipv6Header.NEXT_HEADER);
    int start = ip + Ipv6Header.LENGTH;
    // ipv6_rcv parses a hop-by-hop header itself and drops the packet if it overruns (RFC 8200
    // §4.3); other extension headers are only walked by conntrack.
    if (next == Ipv6Header.HOP_BY_HOP) {
      if (start + 8 > end) return SkipReason.IPV6_BAD_EXTENSION_HEADER;
      if (start + 2 > capturedEnd) return SkipReason.TRUNCATED_IP;
      if (start + (Bytes.u8(b, start + Ipv6Header.EXTENSION_LENGTH) + 1) * 8 > end) {
        return SkipReason.IPV6_BAD_EXTENSION_HEADER;
      }
    }
    out.ipVersion = 6;
    out.addressLength = Ipv6Header.ADDRESS_LENGTH;
    System.arraycopy(b, ip + Ipv6Header.SOURCE, out.srcAddress, 0, 16);
    System.arraycopy(b, ip + Ipv6Header.DESTINATION, out.dstAddress, 0, 16);
    out.length = Ipv6Header.LENGTH + payloadLength;
    Ipv6ExtensionWalk.Outcome outcome = walk.walk(b, next, start, end, capturedEnd);
    if (outcome == Ipv6ExtensionWalk.Outcome.TRUNCATED) return SkipReason.TRUNCATED_IP;
    out.protocol = walk.nextHeader;
    if (outcome == Ipv6ExtensionWalk.Outcome.MALFORMED) {
      // Conntrack cannot find the transport header: the packet is INVALID, with no ports.
      l4Offset = end;
      l4WireLength = 0;
      l4CapturedLength = 0;
      firstFragment = false;
      return malformed(b, out);
    }
    if (walk.fragmentOffset != 0) return SkipReason.FRAGMENT;
    firstFragment = walk.moreFragments;
    if (walk.hasFragmentHeader) out.fragmentId = walk.fragmentId;
    if (firstFragment) out.flags |= PacketFlags.FIRST_FRAGMENT;
    // A chain that ends past the payload leaves no transport bytes: the transport check fails.
    l4Offset = Math.min(walk.offset, end);
    l4WireLength = Math.max(0, end - walk.offset);
    l4CapturedLength = Math.max(0, capturedEnd - walk.offset);
    return null;
  }

  private SkipReason decodeTransport(byte[] b, DecodedPacket out) {
    out.keyProtocol = out.protocol;
    return switch (out.protocol) {
      case Protocols.TCP -> decodeTcp(b, out);
      case Protocols.UDP -> decodeUdp(b, out);
      case Protocols.ICMP -> out.ipVersion == 4 ? decodeIcmp(b, out, false) : decodeGeneric(out);
      case Protocols.ICMPV6 -> out.ipVersion == 6 ? decodeIcmp(b, out, true) : decodeGeneric(out);
      case Protocols.SCTP, Protocols.DCCP, Protocols.UDPLITE -> decodePortsOnly(b, out);
      default -> decodeGeneric(out);
    };
  }

  private SkipReason decodeTcp(byte[] b, DecodedPacket out) {
    int tcp = l4Offset;
    if (l4WireLength < TcpHeader.MIN_LENGTH) {
      // A first fragment may legally end inside the header; the kernel judges the reassembly.
      return firstFragment ? SkipReason.FRAGMENT : malformed(b, out);
    }
    if (l4CapturedLength < TcpHeader.MIN_LENGTH) return SkipReason.TRUNCATED_TRANSPORT;
    readPorts(b, tcp, out);
    out.seq = Bytes.u32(b, tcp + TcpHeader.SEQUENCE);
    out.ack = Bytes.u32(b, tcp + TcpHeader.ACKNOWLEDGMENT);
    out.tcpFlags = Bytes.u8(b, tcp + TcpHeader.FLAGS);
    out.window = Bytes.u16(b, tcp + TcpHeader.WINDOW);
    int headerLength = TcpHeader.dataOffset(b, tcp);
    if (headerLength < TcpHeader.MIN_LENGTH) return malformed(b, out);
    if (headerLength > l4WireLength) return firstFragment ? SkipReason.FRAGMENT : malformed(b, out);
    if (headerLength > l4CapturedLength) return SkipReason.TRUNCATED_TRANSPORT;
    TcpHeader.readOptions(b, tcp + TcpHeader.MIN_LENGTH, tcp + headerLength, out);
    out.payloadLength = l4WireLength - headerLength;
    verifyChecksum(b, out, true);
    if (out.payloadLength > 0 && (isFtpPort(out.srcPort) || isFtpPort(out.dstPort))) {
      int captured = Math.min(out.payloadLength, l4CapturedLength - headerLength);
      out.ftpLine = FtpLines.extract(b, tcp + headerLength, captured, options.maxFtpLine());
      if (captured == out.payloadLength && b[tcp + headerLength + captured - 1] == '\n') {
        out.flags |= PacketFlags.PAYLOAD_ENDS_LINE;
      }
    }
    orient(out);
    return null;
  }

  /**
   * The kernel's udp_error: the length field must lie within [8, IP payload]; a zero checksum means
   * none, for IPv6 too (nf_conntrack accepts it; measured with tools/ct-oracle on kernel 6.18).
   */
  private SkipReason decodeUdp(byte[] b, DecodedPacket out) {
    int udp = l4Offset;
    if (l4WireLength < UdpHeader.HEADER_LENGTH) {
      return firstFragment ? SkipReason.FRAGMENT : malformed(b, out);
    }
    if (l4CapturedLength < UdpHeader.HEADER_LENGTH) return SkipReason.TRUNCATED_TRANSPORT;
    readPorts(b, udp, out);
    int udpLength = Bytes.u16(b, udp + UdpHeader.LENGTH);
    out.payloadLength = Math.max(0, Math.min(udpLength, l4WireLength) - UdpHeader.HEADER_LENGTH);
    // A first fragment's length field describes the whole datagram, not this fragment.
    if (udpLength < UdpHeader.HEADER_LENGTH || (!firstFragment && udpLength > l4WireLength)) {
      return malformed(b, out);
    }
    if (Bytes.u16(b, udp + UdpHeader.CHECKSUM) != 0) verifyChecksum(b, out, true);
    orient(out);
    return null;
  }

  /** SCTP, DCCP, UDP-Lite: keyed by port like the kernel does; their checksums are not verified. */
  private SkipReason decodePortsOnly(byte[] b, DecodedPacket out) {
    if (l4WireLength < UdpHeader.PORTS_LENGTH) {
      return firstFragment ? SkipReason.FRAGMENT : malformed(b, out);
    }
    if (l4CapturedLength < UdpHeader.PORTS_LENGTH) return SkipReason.TRUNCATED_TRANSPORT;
    readPorts(b, l4Offset, out);
    out.payloadLength = Math.max(0, l4WireLength - Protocols.commonHeaderLength(out.protocol));
    if (options.verifyChecksums()) out.flags |= PacketFlags.CHECKSUM_UNVERIFIED;
    orient(out);
    return null;
  }

  private SkipReason decodeGeneric(DecodedPacket out) {
    out.payloadLength = l4WireLength;
    orient(out);
    return null;
  }

  private SkipReason decodeIcmp(byte[] b, DecodedPacket out, boolean v6) {
    int icmp = l4Offset;
    if (l4WireLength < IcmpHeader.LENGTH) {
      if (firstFragment) return SkipReason.FRAGMENT;
      if (l4CapturedLength >= 2) {
        out.icmpType = Bytes.u8(b, icmp + IcmpHeader.TYPE);
        out.icmpCode = Bytes.u8(b, icmp + IcmpHeader.CODE);
      }
      return malformed(b, out);
    }
    if (l4CapturedLength < IcmpHeader.LENGTH) return SkipReason.TRUNCATED_TRANSPORT;
    int type = Bytes.u8(b, icmp + IcmpHeader.TYPE);
    int code = Bytes.u8(b, icmp + IcmpHeader.CODE);
    out.icmpType = type;
    out.icmpCode = code;
    out.icmpId = Bytes.u16(b, icmp + IcmpHeader.IDENTIFIER);
    out.icmpSequence = Bytes.u16(b, icmp + IcmpHeader.SEQUENCE);
    out.payloadLength = l4WireLength - IcmpHeader.LENGTH;
    // ICMPv4 has no pseudo-header (RFC 792); ICMPv6 has one (RFC 4443 §2.3).
    verifyChecksum(b, out, v6);
    if (IcmpHeader.isError(v6, type)) return icmpErrors.decode(b, l4Offset, l4WireLength, l4CapturedLength, out, v6);
    int port = IcmpHeader.keyPort(v6, type, code, out.icmpId);
    out.srcPort = port;
    out.dstPort = port;
    orient(out);
    // A host pinging itself: both endpoints are equal, but the kernel still tells the reply by its
    // type, so the reply is the one from the high side.
    if (IcmpHeader.isReply(v6, type)
        && Arrays.equals(out.srcAddress, 0, out.addressLength, out.dstAddress, 0, out.addressLength)) {
      out.flags |= PacketFlags.FROM_HIGH;
    }
    return null;
  }

  /**
   * The transport header is shorter than its protocol requires (the kernel: INVALID). The packet is
   * kept so that the engine sees it, keyed with its ports when at least those were captured.
   */
  private SkipReason malformed(byte[] b, DecodedPacket out) {
    out.flags |= PacketFlags.TRANSPORT_MALFORMED;
    out.keyProtocol = out.protocol;
    if (Protocols.hasPorts(out.protocol) && l4CapturedLength >= UdpHeader.PORTS_LENGTH) {
      readPorts(b, l4Offset, out);
    }
    orient(out);
    return null;
  }

  private static void readPorts(byte[] b, int offset, DecodedPacket out) {
    out.srcPort = Bytes.u16(b, offset + UdpHeader.SOURCE_PORT);
    out.dstPort = Bytes.u16(b, offset + UdpHeader.DESTINATION_PORT);
    out.hasPorts = true;
  }

  /** Keys the packet by its own addresses and ports. */
  static void orient(DecodedPacket out) {
    if (out.setKey(out.srcAddress, out.srcPort, out.dstAddress, out.dstPort)) out.flags |= PacketFlags.FROM_HIGH;
  }

  /**
   * Transport checksum over the whole IP payload, as the kernel's nf_checksum sums skb->len -
   * dataoff (not the UDP length field), with the pseudo-header built from the IP header's addresses
   * (the kernel ignores source routes and routing headers). Unverifiable when the snap length cut
   * the payload or the packet is a first fragment.
   */
  private void verifyChecksum(byte[] b, DecodedPacket out, boolean pseudoHeader) {
    if (!options.verifyChecksums()) return;
    if (firstFragment || l4CapturedLength < l4WireLength) {
      out.flags |= PacketFlags.CHECKSUM_UNVERIFIED;
      return;
    }
    long sum = InternetChecksum.sum(b, l4Offset, l4WireLength);
    if (pseudoHeader) {
      // RFC 768 / RFC 8200 §8.1: addresses, protocol and length; the 32-bit IPv6 length adds the same.
      sum += InternetChecksum.sum(out.srcAddress, 0, out.addressLength);
      sum += InternetChecksum.sum(out.dstAddress, 0, out.addressLength);
      sum += out.protocol + l4WireLength;
    }
    if (!InternetChecksum.intact(sum)) out.flags |= PacketFlags.CHECKSUM_BAD;
  }

  private boolean isFtpPort(int port) {
    return (ftpPortBits[port >>> 6] & (1L << port)) != 0;
  }
}

package io.flowinspect.capture.decode;

import io.flowinspect.schemas.PacketFlags;
import java.util.Arrays;

/**
 * Keys an ICMP or ICMPv6 error by the packet it quotes, as the kernel's nf_conntrack_inet_error
 * does: the error belongs to that packet's connection and travels back towards its sender. Part
 * of {@link FrameDecoder}, with scratch space of its own; not thread-safe.
 */
final class IcmpErrorDecoder {
  private final Ipv6ExtensionWalk walk = new Ipv6ExtensionWalk();
  private final byte[] innerSrc = new byte[16];
  private final byte[] innerDst = new byte[16];

  /**
   * Decodes the error whose ICMP header starts at {@code l4Offset}, with {@code l4WireLength}
   * bytes of it on the wire and {@code l4CapturedLength} captured.
   */
  SkipReason decode(byte[] b, int l4Offset, int l4WireLength, int l4CapturedLength, DecodedPacket out, boolean v6) {
    out.flags |= PacketFlags.ICMP_ERROR;
    out.errorSource = Arrays.copyOf(out.srcAddress, out.addressLength);
    int inner = l4Offset + IcmpHeader.LENGTH;
    int wire = l4WireLength - IcmpHeader.LENGTH;
    int captured = l4CapturedLength - IcmpHeader.LENGTH;
    int ipLength = v6 ? Ipv6Header.LENGTH : Ipv4Header.MIN_LENGTH;
    if (wire < ipLength) return untrackable(out);
    if (captured < ipLength) return SkipReason.TRUNCATED_TRANSPORT;
    if (Ipv4Header.version(b, inner) != (v6 ? 6 : 4)) return untrackable(out);

    int protocol;
    int transport;
    boolean tracked = true;
    if (v6) {
      System.arraycopy(b, inner + Ipv6Header.SOURCE, innerSrc, 0, 16);
      System.arraycopy(b, inner + Ipv6Header.DESTINATION, innerDst, 0, 16);
      int first = Bytes.u8(b, inner + Ipv6Header.NEXT_HEADER);
      Ipv6ExtensionWalk.Outcome outcome =
          walk.walk(b, first, inner + Ipv6Header.LENGTH, inner + wire, inner + captured);
      if (outcome == Ipv6ExtensionWalk.Outcome.TRUNCATED) return SkipReason.TRUNCATED_TRANSPORT;
      protocol = walk.nextHeader;
      transport = walk.offset;
      if (outcome == Ipv6ExtensionWalk.Outcome.MALFORMED || walk.fragmentOffset != 0) tracked = false;
    } else {
      System.arraycopy(b, inner + Ipv4Header.SOURCE, innerSrc, 0, 4);
      System.arraycopy(b, inner + Ipv4Header.DESTINATION, innerDst, 0, 4);
      protocol = Bytes.u8(b, inner + Ipv4Header.PROTOCOL);
      int headerLength = Ipv4Header.headerLength(b, inner);
      transport = inner + headerLength;
      int fragment = Bytes.u16(b, inner + Ipv4Header.FLAGS_FRAGMENT_OFFSET);
      // The quoted packet's total length is the original's and is not checked, as in the kernel.
      if (headerLength < Ipv4Header.MIN_LENGTH || (fragment & Ipv4Header.FRAGMENT_OFFSET_MASK) != 0) {
        tracked = false;
      }
    }
    // A header length past the quoted bytes: the kernel finds no transport header (dataoff > len).
    if (transport > inner + wire) tracked = false;
    out.keyProtocol = protocol;
    out.innerDetail = 1;
    int transportWire = inner + wire - transport;
    int transportCaptured = inner + captured - transport;
    int srcPort = 0;
    int dstPort = 0;
    if (tracked) {
      if (Protocols.hasPorts(protocol)) {
        // The kernel needs only the ports (nf_ct_get_tuple_ports): 4 bytes, not RFC 792's 8.
        if (transportWire < UdpHeader.PORTS_LENGTH) {
          tracked = false;
        } else if (transportCaptured < UdpHeader.PORTS_LENGTH) {
          return SkipReason.TRUNCATED_TRANSPORT;
        } else {
          srcPort = Bytes.u16(b, transport + UdpHeader.SOURCE_PORT);
          dstPort = Bytes.u16(b, transport + UdpHeader.DESTINATION_PORT);
          out.innerDetail = 2;
          if (protocol == Protocols.TCP && transportCaptured >= TcpHeader.QUOTED_SEQUENCE_END) {
            out.seq = Bytes.u32(b, transport + TcpHeader.SEQUENCE);
          }
        }
      } else if (protocol == (v6 ? Protocols.ICMPV6 : Protocols.ICMP)) {
        if (transportWire < IcmpHeader.LENGTH) {
          tracked = false;
        } else if (transportCaptured < IcmpHeader.LENGTH) {
          return SkipReason.TRUNCATED_TRANSPORT;
        } else {
          int type = Bytes.u8(b, transport + IcmpHeader.TYPE);
          int code = Bytes.u8(b, transport + IcmpHeader.CODE);
          int id = Bytes.u16(b, transport + IcmpHeader.IDENTIFIER);
          srcPort = IcmpHeader.keyPort(v6, type, code, id);
          dstPort = srcPort;
          // Only a query has a reply direction the kernel can invert; errors and other types do not.
          if (IcmpHeader.requestType(v6, type) < 0) tracked = false;
        }
      }
    }
    boolean innerFromHigh = out.setKey(innerSrc, srcPort, innerDst, dstPort);
    out.flags |= innerFromHigh ? PacketFlags.INNER_FROM_HIGH : PacketFlags.FROM_HIGH;
    if (!tracked) out.flags |= PacketFlags.INNER_NOT_TRACKABLE;
    // The error must go back to the quoted packet's sender, or it is not about that packet.
    if (!Arrays.equals(out.dstAddress, 0, out.addressLength, innerSrc, 0, out.addressLength)) {
      out.flags |= PacketFlags.ERROR_DESTINATION_MISMATCH;
    }
    return null;
  }

  /** No quoted IP header to key by: keyed as the error itself, flagged so the engine rejects it. */
  private static SkipReason untrackable(DecodedPacket out) {
    out.flags |= PacketFlags.INNER_NOT_TRACKABLE;
    int port = out.icmpType << 24 | out.icmpCode << 16;
    out.srcPort = port;
    out.dstPort = port;
    FrameDecoder.orient(out);
    out.srcPort = 0;
    out.dstPort = 0;
    return null;
  }
}

package io.flowinspect.capture.decode;

import io.flowinspect.schemas.PacketFlags;

/**
 * Text forms of a decoded packet in the vocabulary of the kernel oracle's tsv files (tools/ct-oracle),
 * so that a packet and the kernel's verdict about it can be lined up. For logs and tests only.
 */
final class PacketText {
  private static final String TCP_FLAG_LETTERS = "FSRPAUEC";

  private PacketText() {}

  static String protocolName(int protocol) {
    return switch (protocol) {
      case Protocols.TCP -> "tcp";
      case Protocols.UDP -> "udp";
      case Protocols.ICMP -> "icmp";
      case Protocols.ICMPV6 -> "icmpv6";
      case Protocols.SCTP -> "sctp";
      case Protocols.DCCP -> "dccp";
      case Protocols.GRE -> "gre";
      case Protocols.UDPLITE -> "udplite";
      case Protocols.IGMP -> "igmp";
      case Protocols.ESP -> "esp";
      default -> "proto" + protocol;
    };
  }

  static String tuple(DecodedPacket p) {
    if (p.addressLength == 0) return "-";
    StringBuilder s = new StringBuilder(64);
    endpoint(s, p.srcAddress, p.addressLength, p.srcPort, p.hasPorts);
    s.append(" > ");
    endpoint(s, p.dstAddress, p.addressLength, p.dstPort, p.hasPorts);
    return s.toString();
  }

  static String info(DecodedPacket p) {
    StringBuilder s = new StringBuilder(32);
    if (p.fragmentId >= 0) {
      s.append("frag(id=").append(p.fragmentId).append(",off=0");
      if ((p.flags & PacketFlags.FIRST_FRAGMENT) != 0) s.append(",MF");
      s.append(") ");
    }
    switch (p.protocol) {
      case Protocols.TCP -> {
        if ((p.flags & PacketFlags.TRANSPORT_MALFORMED) == 0) {
          tcpFlags(s, p.tcpFlags);
          if (p.payloadLength > 0) s.append(" len=").append(p.payloadLength);
        }
      }
      case Protocols.UDP -> s.append("len=").append(p.payloadLength);
      case Protocols.ICMP, Protocols.ICMPV6 -> {
        if (p.icmpType >= 0) icmp(s, p);
      }
      default -> {}
    }
    if ((p.flags & PacketFlags.TRANSPORT_MALFORMED) != 0) separate(s).append("malformed");
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') end--;
    s.setLength(end);
    return s.toString();
  }

  private static void icmp(StringBuilder s, DecodedPacket p) {
    boolean v6 = p.protocol == Protocols.ICMPV6;
    s.append("type=").append(p.icmpType).append('/').append(p.icmpCode);
    if (isEchoOrTimestamp(v6, p.icmpType)) {
      s.append(" id=").append(p.icmpId).append(" seq=").append(p.icmpSequence);
    }
    if ((p.flags & PacketFlags.ICMP_ERROR) != 0 && p.innerDetail > 0) {
      boolean innerFromHigh = (p.flags & PacketFlags.INNER_FROM_HIGH) != 0;
      byte[] innerSrc = innerFromHigh ? p.highAddress : p.lowAddress;
      byte[] innerDst = innerFromHigh ? p.lowAddress : p.highAddress;
      int innerSrcPort = innerFromHigh ? p.highPort : p.lowPort;
      int innerDstPort = innerFromHigh ? p.lowPort : p.highPort;
      boolean ports = p.innerDetail > 1;
      s.append(" inner=(").append(protocolName(p.keyProtocol)).append(' ');
      endpoint(s, innerSrc, p.addressLength, innerSrcPort, ports);
      s.append(" > ");
      endpoint(s, innerDst, p.addressLength, innerDstPort, ports);
      s.append(')');
    }
  }

  /** The oracle prints identifier and sequence for these types only. */
  private static boolean isEchoOrTimestamp(boolean v6, int type) {
    if (v6) return type == IcmpHeader.V6_ECHO_REQUEST || type == IcmpHeader.V6_ECHO_REPLY;
    return type == IcmpHeader.V4_ECHO
        || type == IcmpHeader.V4_ECHO_REPLY
        || type == IcmpHeader.V4_TIMESTAMP
        || type == IcmpHeader.V4_TIMESTAMP_REPLY;
  }

  private static void tcpFlags(StringBuilder s, int flags) {
    if (flags == 0) {
      s.append('.');
      return;
    }
    for (int bit = 0; bit < 8; bit++) {
      if ((flags & (1 << bit)) != 0) s.append(TCP_FLAG_LETTERS.charAt(bit));
    }
  }

  private static StringBuilder separate(StringBuilder s) {
    if (s.length() > 0 && s.charAt(s.length() - 1) != ' ') s.append(' ');
    return s;
  }

  private static void endpoint(StringBuilder s, byte[] address, int length, int port, boolean withPort) {
    if (!withPort) {
      address(s, address, length);
      return;
    }
    if (length == 16) s.append('[');
    address(s, address, length);
    if (length == 16) s.append(']');
    s.append(':').append(port);
  }

  static String address(byte[] a, int length) {
    StringBuilder s = new StringBuilder(40);
    address(s, a, length);
    return s.toString();
  }

  /**
   * IPv4 dotted quad; IPv6 as RFC 5952 §4 (lower-case hex, longest run of two or more zero groups
   * compressed, the first of equal runs), with the embedded IPv4 forms ::a.b.c.d and
   * ::ffff:a.b.c.d that inet_ntop (and so the oracle) prints.
   */
  static void address(StringBuilder s, byte[] a, int length) {
    if (length == 4) {
      s.append(a[0] & 0xff).append('.').append(a[1] & 0xff).append('.')
          .append(a[2] & 0xff).append('.').append(a[3] & 0xff);
      return;
    }
    int[] words = new int[8];
    for (int i = 0; i < 8; i++) words[i] = Bytes.u16(a, 2 * i);
    int bestStart = -1, bestLength = 0;
    for (int i = 0; i < 8; ) {
      if (words[i] != 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < 8 && words[i] == 0) i++;
      if (i - start > bestLength) {
        bestStart = start;
        bestLength = i - start;
      }
    }
    if (bestLength < 2) bestStart = -1;
    boolean embeddedIpv4 = bestStart == 0 && (bestLength == 6 || (bestLength == 5 && words[5] == 0xffff));
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append(i == 0 ? "::" : ":");
        i += bestLength - 1;
        continue;
      }
      if (embeddedIpv4 && i == 6) {
        s.append(a[12] & 0xff).append('.').append(a[13] & 0xff).append('.')
            .append(a[14] & 0xff).append('.').append(a[15] & 0xff);
        return;
      }
      s.append(Integer.toHexString(words[i]));
      if (i < 7) s.append(':');
    }
  }
}

package io.flowinspect.capture.decode;

/** IP protocol numbers (IANA "Assigned Internet Protocol Numbers") the decoder treats specially. */
final class Protocols {
  static final int ICMP = 1;
  static final int IGMP = 2;
  static final int TCP = 6;
  static final int UDP = 17;
  static final int DCCP = 33;
  static final int GRE = 47;
  static final int ESP = 50;
  static final int ICMPV6 = 58;
  static final int SCTP = 132;
  static final int UDPLITE = 136;

  private Protocols() {}

  /**
   * Protocols whose first four bytes are source and destination port, which the kernel keys
   * connections by (nf_ct_get_tuple_ports); the oracle prints them too.
   */
  static boolean hasPorts(int protocol) {
    return protocol == TCP || protocol == UDP || protocol == SCTP || protocol == DCCP || protocol == UDPLITE;
  }

  /**
   * Fixed header before the payload of the port protocols read without their own decoder: SCTP's
   * common header (RFC 9260 §3.1), UDP-Lite's (RFC 3828 §3), DCCP's generic header without the
   * extended sequence number (RFC 4340 §5.1).
   */
  static int commonHeaderLength(int protocol) {
    return switch (protocol) {
      case SCTP, DCCP -> 12;
      case UDPLITE -> 8;
      default -> 0;
    };
  }
}

package io.flowinspect.inspect.engine;

/** Which ICMP and ICMPv6 messages conntrack tracks, and how (RFC 792, RFC 4443). */
final class IcmpTypes {
  /** The kernel discards ICMPv4 types above address-mask reply as unknown (RFC 1122 3.2.2). */
  static final int MAX_KNOWN_V4 = 18;

  private IcmpTypes() {}

  /** Echo, timestamp, information and address-mask requests; ICMPv6 echo and node-information queries. */
  static boolean request(int type, boolean v6) {
    return v6 ? type == 128 || type == 139 : type == 8 || type == 13 || type == 15 || type == 17;
  }

  static boolean reply(int type, boolean v6) {
    return v6 ? type == 129 || type == 140 : type == 0 || type == 14 || type == 16 || type == 18;
  }

  /** Neighbour discovery and multicast listener messages: link-local chatter conntrack leaves untracked. */
  static boolean untracked(int type, boolean v6) {
    return v6 && ((type >= 130 && type <= 136) || type == 143);
  }

  static boolean error(int type, boolean v6) {
    return v6 ? type < 128 : type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
  }
}

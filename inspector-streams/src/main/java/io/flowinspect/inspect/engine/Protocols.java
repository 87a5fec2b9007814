package io.flowinspect.inspect.engine;

/** IP protocol numbers the engine tracks with their own state machine. */
public final class Protocols {
  public static final int ICMP = 1;
  public static final int TCP = 6;
  public static final int UDP = 17;
  public static final int ICMPV6 = 58;

  private Protocols() {}

  public static boolean isIcmp(int protocol) {
    return protocol == ICMP || protocol == ICMPV6;
  }

  public static String name(int protocol, boolean ipv6) {
    return switch (protocol) {
      case TCP -> "tcp";
      case UDP -> "udp";
      case ICMP -> "icmp";
      case ICMPV6 -> "icmpv6";
      case 47 -> "gre";
      case 50 -> "esp";
      case 51 -> "ah";
      case 132 -> "sctp";
      case 136 -> "udplite";
      default -> Integer.toString(protocol);
    };
  }
}

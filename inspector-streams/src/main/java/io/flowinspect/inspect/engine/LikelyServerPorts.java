package io.flowinspect.inspect.engine;

import java.util.BitSet;

/**
 * Zeek's {@code likely_server_ports}: the ports its protocol scripts register with {@code redef
 * likely_server_ports += { ports }}, which decide whether a connection whose first packet is not a
 * SYN (TCP) or comes from such a port (UDP) is "flipped" ({@code TCP.cc}/{@code UDP.cc}
 * {@code WantConnection}). This is the set a default {@code zeek} run loads (HTTP, DNS, SSL/QUIC,
 * FTP, SSH, SMTP, IRC, the tunnel decapsulators, ...); {@code zeek -b} loads fewer.
 */
final class LikelyServerPorts {
  private static final BitSet TCP = ports(
      21, 2811, 22, 25, 587, 53, 80, 81, 631, 1080, 3128, 8000, 8080, 8888, 88, 110, 135, 139, 445, 143, 389, 3268,
      443, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223, 502, 1883, 3306, 3389, 5222, 5269, 5432,
      5900, 5901, 5902, 5903, 5904, 5905, 5906, 5907, 6379, 6666, 6667, 6668, 6669, 7000, 20000, 43, 79);
  private static final BitSet UDP = ports(
      53, 137, 5353, 5355, 67, 547, 88, 123, 161, 162, 443, 514, 1812, 3544, 4789, 6081, 2123, 2152, 5060,
      5246, 5247, 20000);

  private LikelyServerPorts() {}

  static boolean contains(int protocol, int port) {
    BitSet set = switch (protocol) {
      case Protocols.TCP -> TCP;
      case Protocols.UDP -> UDP;
      default -> null;
    };
    return set != null && port >= 0 && set.get(port);
  }

  private static BitSet ports(int... ports) {
    BitSet set = new BitSet(65536);
    for (int p : ports) {
      set.set(p);
    }
    return set;
  }
}

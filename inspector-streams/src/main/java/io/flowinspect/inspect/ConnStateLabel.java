package io.flowinspect.inspect;

import io.flowinspect.inspect.engine.Conn;
import io.flowinspect.inspect.engine.Protocols;
import io.flowinspect.inspect.engine.TcpState;

/** A connection's state in words, e.g. {@code tcp/SYN_SENT} or {@code udp/ASSURED}. */
final class ConnStateLabel {
  /** TCP's labels, made once: one is needed for every connection opened and every one ended. */
  private static final String[] TCP = java.util.Arrays.stream(TcpState.values())
      .map(s -> Protocols.name(Protocols.TCP, false) + "/" + s).toArray(String[]::new);
  private static final String[] PSEUDO = {"UNREPLIED", "REPLIED", "ASSURED"};
  private static final String[] UDP = java.util.Arrays.stream(PSEUDO).map(s -> "udp/" + s).toArray(String[]::new);

  private ConnStateLabel() {}

  static String of(int protocol, boolean ipv6, Conn c) {
    if (protocol == Protocols.TCP) {
      return TCP[c.tcpState().ordinal()];
    }
    int pseudo = c.assured() ? 2 : c.seenReply() ? 1 : 0;
    if (protocol == Protocols.UDP) {
      return UDP[pseudo];
    }
    return Protocols.name(protocol, ipv6) + "/" + PSEUDO[pseudo];
  }
}

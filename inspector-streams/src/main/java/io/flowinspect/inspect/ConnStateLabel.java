package io.flowinspect.inspect;

import io.flowinspect.inspect.engine.Conn;
import io.flowinspect.inspect.engine.Protocols;

/** A connection's state in words, e.g. {@code tcp/SYN_SENT} or {@code udp/ASSURED}. */
final class ConnStateLabel {
  private ConnStateLabel() {}

  static String of(int protocol, boolean ipv6, Conn c) {
    String proto = Protocols.name(protocol, ipv6);
    if (protocol == Protocols.TCP) {
      return proto + "/" + c.tcpState();
    }
    String s = c.assured() ? "ASSURED" : c.seenReply() ? "REPLIED" : "UNREPLIED";
    return proto + "/" + s;
  }
}

package io.flowinspect.inspect.engine;

/** Conntrack's view of a TCP connection, with the kernel's names and order. */
public enum TcpState {
  NONE,
  SYN_SENT,
  SYN_RECV,
  ESTABLISHED,
  FIN_WAIT,
  CLOSE_WAIT,
  LAST_ACK,
  TIME_WAIT,
  CLOSE,
  /** A SYN came from the reply side after one from the original side: simultaneous open. */
  SYN_SENT2;

  private static final TcpState[] BY_ORDINAL = values();

  static TcpState of(int ordinal) {
    return BY_ORDINAL[ordinal];
  }

  /** Closing states, from which a new SYN may reopen the tuple and which eviction may take first. */
  boolean closing() {
    return this == FIN_WAIT || this == CLOSE_WAIT || this == LAST_ACK || this == TIME_WAIT || this == CLOSE;
  }
}

package io.flowinspect.inspect.engine;

/** Why the engine stopped tracking a connection. */
public enum EndReason {
  /** Closed by FINs (or replaced by a new connection on the same tuple after closing). */
  CLOSED,
  /** Ended by a reset. */
  RESET,
  /** Idle for longer than its state's timeout. */
  TIMEOUT,
  /** Dropped to make room in a full state table. */
  EVICTED,
  /** Still open when an offline capture ended. */
  END_OF_INPUT;

  /** Why a connection that timed out ended: a closing or reset TCP connection had ended before its timer did. */
  static EndReason afterTimeout(Conn c) {
    if (c.orig == null) {
      return EndReason.TIMEOUT;
    }
    return switch (c.tcpState) {
      case TIME_WAIT, LAST_ACK -> EndReason.CLOSED;
      case CLOSE -> c.lastIndex == TcpSegmentKind.RST.ordinal() ? EndReason.RESET : EndReason.CLOSED;
      default -> EndReason.TIMEOUT;
    };
  }
}


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
  END_OF_INPUT
}

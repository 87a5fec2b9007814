package io.flowinspect.inspect.engine;

/** Hears from a {@link ConnectionTracker} about connections as they open and end, and about a table under pressure. */
public interface TrackerListener {
  /** A new connection's first packet was accepted; {@code master} is set for an expected one. */
  default void opened(FlowKey key, Conn conn, Packet first, Expectation expectation) {}

  default void ended(FlowKey key, Conn conn, EndReason reason, long nowNanos) {}

  /**
   * The table is under pressure: {@code connections} tracked, new timeouts scaled by
   * {@code timeoutScale}; {@code evicted} connections dropped since the last call;
   * {@code refused} when a new connection could not be tracked at all.
   */
  default void pressure(FlowKey trigger, long connections, double timeoutScale, long evicted, boolean refused,
      long nowNanos) {}
}

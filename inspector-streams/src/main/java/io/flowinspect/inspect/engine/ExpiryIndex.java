package io.flowinspect.inspect.engine;

/**
 * Connections ordered by deadline, so that expiry visits only what is due instead of scanning the
 * whole table. Entries may be stale (the connection got more traffic, or is gone): the tracker
 * checks each one against the connection before acting on it.
 */
public interface ExpiryIndex {
  void add(long deadlineNanos, FlowKey key);

  /**
   * Removes and hands over entries with a deadline at or before {@code nowNanos}, earliest first,
   * at most {@code max} of them; returns how many it handed over.
   */
  int drainDue(long nowNanos, int max, Due consumer);

  @FunctionalInterface
  interface Due {
    void accept(long deadlineNanos, FlowKey key);
  }
}

package io.flowinspect.inspect.engine;

/**
 * Connections in the order they were opened, for eviction under pressure: the oldest connection
 * that never saw a reply goes first. Entries are added when a connection opens and removed when
 * it ends; a connection that got its reply keeps its entry until then (one write fewer per
 * connection), and eviction skips it.
 */
public interface UnrepliedIndex {
  void opened(long firstNanos, FlowKey key);

  void ended(long firstNanos, FlowKey key);

  /** Removes and returns the oldest entry's key, or null when there is none. */
  FlowKey pollOldest();
}

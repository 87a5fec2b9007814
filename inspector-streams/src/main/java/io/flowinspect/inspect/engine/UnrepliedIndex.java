package io.flowinspect.inspect.engine;

/**
 * Connections that have not been answered, in the order they were opened, for eviction under
 * pressure: the oldest goes first. An entry is added when a connection opens and removed with its
 * first reply, or when it ends unanswered. (State written before this rule may still hold entries
 * of answered connections; eviction skips them.)
 */
public interface UnrepliedIndex {
  void opened(long firstNanos, FlowKey key);

  void ended(long firstNanos, FlowKey key);

  /** Removes and returns the oldest entry's key, or null when there is none. */
  FlowKey pollOldest();
}

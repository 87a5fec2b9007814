package io.flowinspect.inspect.engine;

/**
 * The expiry and unreplied indexes hold nothing that the connections do not: each connection
 * carries the deadline it is indexed at and whether it has been answered. So the indexes need not
 * be made durable on their own; after a restart they are written again from the connections,
 * entry for entry what the tracker would have kept (less the stale entries it leaves behind, which
 * it skips anyway).
 */
public final class DerivedIndexes {
  private DerivedIndexes() {}

  /** Writes the index entries that {@code c}, a stored connection, stands for. */
  public static void index(FlowKey key, Conn c, ExpiryIndex expiry, UnrepliedIndex unreplied) {
    if (c.indexedNanos != 0) {
      expiry.add(c.indexedNanos, key);
    }
    if (!c.has(Conn.SEEN_REPLY)) {
      unreplied.opened(c.firstNanos, key);
    }
  }
}

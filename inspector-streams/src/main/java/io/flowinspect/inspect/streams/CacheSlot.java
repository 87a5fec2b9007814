package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.Conn;
import io.flowinspect.inspect.engine.FlowKey;

/**
 * One key's state in {@link ConnectionCacheStore}'s decoded cache. {@code conn == null} with
 * {@code dirty}: removed, not yet deleted below; {@code conn == null} without: a remembered miss.
 */
final class CacheSlot {
  final FlowKey key;
  Conn conn;
  /** Changed since it was last written below; set and cleared through {@link ChangedSlots} only. */
  boolean dirty;
  /** The store below may hold a value for this key (so a removal must be written). */
  boolean stored;
  /** Changed quietly since it was last written (with quiet changes on): written when it leaves memory. */
  boolean quiet;
  /** With quiet changes on: {@link Conn#transitionSignature} of what the store below holds, when {@code stored}. */
  long signature;

  CacheSlot(FlowKey key, Conn conn, boolean stored) {
    this.key = key;
    this.conn = conn;
    this.stored = stored;
  }
}

package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.FlowKey;

/**
 * Starts a batch's packed-memory lookups before its packets are inspected
 * ({@link PackedConnections#touch}), so that their cache misses overlap instead of being waited
 * for one after the other. Only where packed memory is large enough for its lookups to miss the
 * CPU's caches. Changes nothing. Not thread-safe: one per task.
 */
final class LookupsAhead {
  /** Packed connections from which lookups are started ahead. */
  static final int FROM = 200_000;
  private int[] hashes = new int[0];
  /** What the reads ahead read: kept, so that they are not optimized away. */
  private long read;

  void start(FlowKey[] batchKeys, PackedConnections<FlowKey> packed) {
    if (packed.size() < FROM || batchKeys.length < 2) {
      return;
    }
    if (hashes.length < batchKeys.length) {
      hashes = new int[batchKeys.length];
    }
    read += packed.touch(batchKeys, batchKeys.length, hashes);
  }
}

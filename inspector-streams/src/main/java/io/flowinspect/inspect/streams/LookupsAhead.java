package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.StateCodec;
import java.util.Arrays;

/**
 * Starts a batch's packed-memory lookups before its packets are inspected
 * ({@link PackedConnections#touch}), so that their cache misses overlap instead of being waited
 * for one after the other. Only where packed memory is large enough for its lookups to miss the
 * CPU's caches. Changes nothing. Not thread-safe: one per task.
 */
final class LookupsAhead {
  /** Packed connections from which lookups are started ahead. */
  static final int FROM = 200_000;
  private byte[][] keys = new byte[0][];
  private int[] homes = new int[0];
  /** What the reads ahead read: kept, so that they are not optimized away. */
  private long read;

  void start(FlowKey[] batchKeys, PackedConnections packed) {
    if (packed.size() < FROM || batchKeys.length < 2) {
      return;
    }
    if (keys.length < batchKeys.length) {
      keys = new byte[batchKeys.length][];
      homes = new int[batchKeys.length];
    }
    for (int n = 0; n < batchKeys.length; n++) {
      keys[n] = StateCodec.encode(batchKeys[n]);
    }
    read += packed.touch(keys, batchKeys.length, homes);
    Arrays.fill(keys, 0, batchKeys.length, null);
  }
}

package io.flowinspect.inspect.streams;

import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What the connection store below says about quiet changes ({@link ConnectionCacheStore}): under
 * the empty key (no flow key encodes to nothing), "unclean" from a task's first quiet change until
 * a commit has written them all. A start that finds it has lost quiet changes, so every stored
 * connection learns its windows again. Not thread-safe: one per task.
 */
final class QuietMarker {
  static final Bytes KEY = Bytes.wrap(new byte[0]);
  private static final byte[] UNCLEAN = {1};

  /** Whether the store below says "unclean" because of a change held here. */
  private boolean unclean;

  /** Before a quiet change: says below, once, that changes may be missing there from now on. */
  void quietChange(KeyValueStore<Bytes, byte[]> below) {
    if (!unclean) {
      below.put(KEY, UNCLEAN);
      unclean = true;
    }
  }

  /** Whether quiet changes are held here that the store below lacks. */
  boolean unclean() {
    return unclean;
  }

  /** Adds the marker's removal to a batch that writes every quiet change. */
  void clearedBy(List<KeyValue<Bytes, byte[]>> batch) {
    batch.add(KeyValue.pair(KEY, null));
    unclean = false;
  }

  /** What was held is gone; the store below says what it says. */
  void forget() {
    unclean = false;
  }

  /** Whether the store below says changes were lost (a crash while some were held). */
  static boolean foundIn(KeyValueStore<Bytes, byte[]> below) {
    return below.get(KEY) != null;
  }

  static boolean isMarker(Bytes key) {
    return key.get().length == 0;
  }
}

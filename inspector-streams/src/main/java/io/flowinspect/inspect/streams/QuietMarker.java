package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.Conn;
import io.flowinspect.inspect.engine.StateCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
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
  /** Connections written back per RocksDB write batch when a start makes them relearn their windows. */
  private static final int RELEARN_BATCH = 10_000;

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

  /**
   * At a task's start, before anything is read: if the store below says changes were lost (a
   * crash while some were held), rewrites every stored connection with its windows forgotten
   * ({@link Conn#forgetWindows}: each side learns its window from its next segment, as after the
   * kernel's mid-stream pickup) and deletes the marker; true if it did. One pass over the store,
   * only after an unclean stop.
   */
  static boolean relearnIfLost(KeyValueStore<Bytes, byte[]> below) {
    if (below.get(KEY) == null) {
      return false;
    }
    List<KeyValue<Bytes, byte[]>> rewritten = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> all = below.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> e = all.next();
        if (isMarker(e.key)) {
          continue;
        }
        Conn conn = StateCodec.decodeConn(e.value);
        conn.forgetWindows();
        rewritten.add(KeyValue.pair(e.key, StateCodec.encode(conn)));
        if (rewritten.size() == RELEARN_BATCH) {
          below.putAll(rewritten);
          rewritten.clear();
        }
      }
    }
    rewritten.add(KeyValue.pair(KEY, null));
    below.putAll(rewritten);
    return true;
  }

  static boolean isMarker(Bytes key) {
    return key.get().length == 0;
  }
}

package io.flowinspect.inspect.streams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store that holds writes back: puts and deletes wait in a hash map, in arrival order,
 * and reach the RocksDB store below (and its changelog, if it has one) at commit
 * ({@link #flushCache()}), before any scan, and when {@code limit} are waiting. The last write of a
 * key wins, so a connection indexed and unindexed between two commits costs one write below, not
 * two, and none at all in a store whose puts are known to be new keys.
 *
 * <p>It stands in for Kafka Streams' record cache on the inspector's small stores (the expiry and
 * unreplied indexes, expectations, the tracker's counters), which are written once or twice per
 * connection and read mostly by scans. The record cache keeps every entry in a {@code TreeMap}
 * ordered by key bytes, for reads and scans that these stores do not need between commits; its
 * puts were 45 % of the processor's time in the default benchmark's profile. Scans see every
 * write because they flush first. Kafka Streams flushes it before committing ({@link HoldingStore}).
 */
final class WriteBehindStore extends HoldingStore implements KeyValueStore<Bytes, byte[]> {
  /** A write waiting to go below; {@code value == null} is a delete. */
  private static final class Waiting {
    final byte[] value;
    /** A put of a key nothing was waiting for: with {@link #putsAreNew}, the store below lacks the key. */
    final boolean newKey;

    Waiting(byte[] value, boolean newKey) {
      this.value = value;
      this.newKey = newKey;
    }
  }

  private final int limit;
  private final boolean putsAreNew;
  private final LinkedHashMap<Bytes, Waiting> waiting = new LinkedHashMap<>();

  /**
   * @param putsAreNew the caller promises that a key it puts is not in the store already unless it
   *     deleted it since (true of the indexes: each key holds a connection and a time, written once;
   *     a start that writes expiry entries again over old ones breaks it harmlessly, see
   *     {@link StoreTables#rebuildIndexes}).
   *     A put and a delete of such a key between two writes below then cancel out: nothing is written.
   */
  WriteBehindStore(KeyValueStore<Bytes, byte[]> below, int limit, boolean putsAreNew) {
    super(below);
    if (limit < 1) {
      throw new IllegalArgumentException("write-behind limit must be at least 1: " + limit);
    }
    this.limit = limit;
    this.putsAreNew = putsAreNew;
  }

  @Override
  public byte[] get(Bytes key) {
    Waiting w = waiting.get(key);
    return w != null ? w.value : wrapped().get(key);
  }

  @Override
  public void put(Bytes key, byte[] value) {
    if (value == null) {
      Waiting w = waiting.get(key);
      if (w != null && w.newKey) {
        waiting.remove(key); // put and deleted before either was written: the store below never had it
        return;
      }
      waiting.put(key, new Waiting(null, false));
    } else {
      Waiting previous = waiting.get(key);
      // Over a waiting delete the key is (still) below, whatever the caller promised.
      waiting.put(key, new Waiting(value, putsAreNew && (previous == null || previous.newKey)));
    }
    if (waiting.size() >= limit) {
      writeHeld();
    }
  }

  @Override
  public byte[] putIfAbsent(Bytes key, byte[] value) {
    byte[] old = get(key);
    if (old == null) {
      put(key, value);
    }
    return old;
  }

  @Override
  public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
    for (KeyValue<Bytes, byte[]> e : entries) {
      put(e.key, e.value);
    }
  }

  @Override
  public byte[] delete(Bytes key) {
    byte[] old = get(key);
    put(key, null);
    return old;
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
    writeHeld();
    return wrapped().range(from, to);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
    writeHeld();
    return wrapped().reverseRange(from, to);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    writeHeld();
    return wrapped().all();
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseAll() {
    writeHeld();
    return wrapped().reverseAll();
  }

  @Override
  public <PS extends org.apache.kafka.common.serialization.Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(
      P prefix, PS prefixKeySerializer) {
    writeHeld();
    return wrapped().prefixScan(prefix, prefixKeySerializer);
  }

  @Override
  public long approximateNumEntries() {
    return wrapped().approximateNumEntries(); // approximate already: the waiting writes are left out
  }

  /** Writes waiting to go below (for tests). */
  int waiting() {
    return waiting.size();
  }

  @Override
  void forgetHeld() {
    waiting.clear();
  }

  @Override
  void writeHeld() {
    if (waiting.isEmpty()) {
      return;
    }
    List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>(waiting.size());
    for (Map.Entry<Bytes, Waiting> e : waiting.entrySet()) {
      batch.add(KeyValue.pair(e.getKey(), e.getValue().value));
    }
    waiting.clear();
    wrapped().putAll(batch); // one RocksDB write batch; a null value is a delete, logged as a tombstone
  }
}

package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.Conn;
import io.flowinspect.inspect.engine.ConnectionTable;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.StateCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The connection table as the engine sees it: the connections of the last {@code capacity}
 * lookups kept decoded, as objects, in least-recently-used order, over a changelogged RocksDB
 * store that has no record cache of its own. A connection reaches the store below (encoded, one
 * changelog record) when it is pushed out of this cache or when Kafka Streams commits; between
 * two commits, a connection's packets cost a hash lookup each, no encoding and no store call.
 *
 * <p>Why a store and not a map in the processor: Kafka Streams tells stores, not processors, that
 * it is about to commit ({@link HoldingStore}).
 *
 * <p>Contract with the engine (see {@link ConnectionTable}): a connection changed is put back
 * before the record is done. The engine mutates the object it got in place, so a connection
 * pushed out between its lookup and its put is simply written again at the put.
 */
final class ConnectionCacheStore extends HoldingStore implements ConnectionTable {

  /** One key's cached state. {@code conn == null} with {@code dirty}: removed, not yet deleted below. */
  private static final class Slot {
    Conn conn;
    boolean dirty;
    /** The store below may hold a value for this key (so a removal must be written). */
    boolean stored;

    Slot(Conn conn, boolean stored) {
      this.conn = conn;
      this.stored = stored;
    }
  }

  private final int capacity;
  private final LinkedHashMap<FlowKey, Slot> slots;
  /**
   * Whether every connection in the store below is also in {@link #slots}: then a key missing
   * here belongs to a new connection, and no store read is needed to learn that (a RocksDB read
   * that finds nothing cost as much as all the rest of a packet in the benchmark's profile). Null
   * until the first use after (re)initialization, when the store below is read in full if it holds
   * no more connections than the cache does; false from the moment a connection that is in the
   * store below is pushed out of the cache.
   */
  private Boolean complete;
  private long readsBelow;
  /**
   * The key and slot of the last lookup: the engine puts a connection back right after looking it
   * up, with the same key object, and should not pay a second hash lookup per packet for it.
   * Cleared whenever that slot leaves the map.
   */
  private FlowKey lastKey;
  private Slot lastSlot;

  ConnectionCacheStore(KeyValueStore<Bytes, byte[]> encoded, int capacity) {
    super(encoded);
    if (capacity < 1) {
      throw new IllegalArgumentException("connection cache capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    // Access order: least recently used first out. (CLOCK over insertion order, which spares the
    // relinking on every lookup, measured no different: the lookup's cost is the hash map's.)
    this.slots = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true);
  }

  @Override
  public Conn get(FlowKey key) {
    boolean everyConnectionIsHere = complete(); // first, as it may fill the cache
    Slot s = slots.get(key);
    if (s == null && !everyConnectionIsHere) {
      readsBelow++;
      byte[] v = wrapped().get(Bytes.wrap(StateCodec.encode(key)));
      // A miss is remembered too: a new connection is looked up, then put, then (if short) removed,
      // and a connection that never reached the store below needs no tombstone there.
      s = new Slot(v == null ? null : StateCodec.decodeConn(v), v != null);
      slots.put(key, s);
      evictBeyondCapacity();
    }
    lastKey = s == null ? null : key;
    lastSlot = s;
    return s == null ? null : s.conn;
  }

  @Override
  public void put(FlowKey key, Conn conn) {
    boolean everyConnectionIsHere = complete(); // first, as it may fill the cache
    Slot s = slot(key);
    if (s != null) {
      s.conn = conn;
      s.dirty = true;
      return;
    }
    s = new Slot(conn, !everyConnectionIsHere); // new, or pushed out since its lookup and so perhaps below
    s.dirty = true; // before anything is pushed out below: a changed connection is written, never dropped
    slots.put(key, s);
    evictBeyondCapacity();
  }

  @Override
  public void remove(FlowKey key) {
    boolean everyConnectionIsHere = complete(); // first, as it may fill the cache
    Slot s = slot(key);
    if (s == null && everyConnectionIsHere) {
      return; // nothing below to delete
    }
    if (s != null && !s.stored) {
      slots.remove(key); // born and gone between two writes: the store below never knew it
      forgetLast(s);
      return;
    }
    if (s != null) {
      s.conn = null;
      s.dirty = true;
      return;
    }
    s = new Slot(null, true);
    s.dirty = true; // before anything is pushed out below: the delete is written, never dropped
    slots.put(key, s);
    evictBeyondCapacity();
  }

  private Slot slot(FlowKey key) {
    return key == lastKey ? lastSlot : slots.get(key);
  }

  private void forgetLast(Slot leaving) {
    if (leaving == lastSlot) {
      lastKey = null;
      lastSlot = null;
    }
  }

  /** Connections held decoded (including remembered misses and removals not yet written). */
  int cached() {
    return slots.size();
  }

  /** Lookups that had to read the store below. */
  long readsBelow() {
    return readsBelow;
  }

  private boolean complete() {
    if (complete == null) {
      complete = loadAllIfTheyFit();
    }
    return complete;
  }

  /** Reads the store below into the cache, up to its capacity; true if that was all of it. */
  private boolean loadAllIfTheyFit() {
    try (KeyValueIterator<Bytes, byte[]> all = wrapped().all()) {
      while (all.hasNext()) {
        if (slots.size() >= capacity) {
          return false; // what was read stays, as a warm start
        }
        KeyValue<Bytes, byte[]> e = all.next();
        FlowKey key = StateCodec.decodeKey(e.key.get());
        slots.putIfAbsent(key, new Slot(StateCodec.decodeConn(e.value), true));
      }
    }
    return true;
  }

  @Override
  void forgetHeld() {
    slots.clear();
    complete = null;
    lastKey = null;
    lastSlot = null;
  }

  /** Writes every changed connection below in one batch (one RocksDB write batch, then the changelog). */
  @Override
  void writeHeld() {
    List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>();
    Iterator<Map.Entry<FlowKey, Slot>> it = slots.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<FlowKey, Slot> e = it.next();
      Slot s = e.getValue();
      if (!s.dirty) {
        continue;
      }
      KeyValue<Bytes, byte[]> change = written(e.getKey(), s);
      if (change != null) {
        batch.add(change);
      }
      if (s.conn == null) {
        it.remove();
        forgetLast(s);
      }
    }
    if (!batch.isEmpty()) {
      wrapped().putAll(batch);
    }
  }

  private void evictBeyondCapacity() {
    while (slots.size() > capacity) {
      Iterator<Map.Entry<FlowKey, Slot>> it = slots.entrySet().iterator();
      Map.Entry<FlowKey, Slot> eldest = it.next();
      Slot s = eldest.getValue();
      KeyValue<Bytes, byte[]> change = s.dirty ? written(eldest.getKey(), s) : null;
      if (change != null) {
        wrapped().put(change.key, change.value); // a null value deletes without reading the old one
      }
      if (s.stored) {
        complete = false;
      }
      it.remove();
      forgetLast(s);
    }
  }

  /** The write that brings the store below up to a changed slot (null if none is needed); the slot is clean after. */
  private static KeyValue<Bytes, byte[]> written(FlowKey key, Slot s) {
    s.dirty = false;
    if (s.conn != null) {
      s.stored = true;
      return KeyValue.pair(Bytes.wrap(StateCodec.encode(key)), StateCodec.encode(s.conn));
    }
    if (s.stored) {
      s.stored = false;
      return KeyValue.pair(Bytes.wrap(StateCodec.encode(key)), null);
    }
    return null;
  }
}

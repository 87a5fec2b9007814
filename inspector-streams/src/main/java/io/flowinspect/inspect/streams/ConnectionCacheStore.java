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
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * The connection table as the engine sees it: the connections of the last {@code capacity}
 * lookups kept decoded, as objects, in least-recently-used order, over a changelogged RocksDB
 * store that has no record cache of its own. A connection reaches the store below (encoded, one
 * changelog record) when it is pushed out of this cache or when Kafka Streams commits; between
 * two commits, a connection's packets cost a hash lookup each, no encoding and no store call.
 *
 * <p>Why a store and not a map in the processor: Kafka Streams flushes caches before it commits
 * the input offsets (and, with exactly-once, before it commits the transaction) by calling
 * {@link #flushCache()} on each registered store. Only a store is told; a processor is not. Being
 * registered as the connections store (the store below is initialized with this one as its root)
 * is what makes the changelog hold every change up to the committed offsets, as Kafka Streams'
 * own record cache does. {@link WrappedStateStore} and {@code CachedStateStore} are Kafka
 * Streams internals; the build pins the Kafka version and {@code ConnectionCacheStoreTest} fails
 * if a new version stops flushing this store at commit.
 *
 * <p>Contract with the engine (see {@link ConnectionTable}): a connection changed is put back
 * before the record is done. The engine mutates the object it got in place, so a connection
 * pushed out between its lookup and its put is simply written again at the put.
 */
final class ConnectionCacheStore extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
    implements ConnectionTable {

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

  ConnectionCacheStore(KeyValueStore<Bytes, byte[]> encoded, int capacity) {
    super(encoded);
    if (capacity < 1) {
      throw new IllegalArgumentException("connection cache capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.slots = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true);
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    slots.clear(); // a store re-initialized after a failure starts from what the store below holds
    complete = null;
    super.init(context, root);
  }

  @Override
  public Conn get(FlowKey key) {
    boolean everyConnectionIsHere = complete(); // first, as it may fill the cache
    Slot s = slots.get(key);
    if (s != null || everyConnectionIsHere) {
      return s == null ? null : s.conn;
    }
    readsBelow++;
    byte[] v = wrapped().get(Bytes.wrap(StateCodec.encode(key)));
    // A miss is remembered too: a new connection is looked up, then put, then (if short) removed,
    // and a connection that never reached the store below needs no tombstone there.
    Conn c = v == null ? null : StateCodec.decodeConn(v);
    slots.put(key, new Slot(c, v != null));
    evictBeyondCapacity();
    return c;
  }

  @Override
  public void put(FlowKey key, Conn conn) {
    boolean everyConnectionIsHere = complete(); // first, as it may fill the cache
    Slot s = slots.get(key);
    if (s == null) {
      s = new Slot(conn, !everyConnectionIsHere); // new, or pushed out since its lookup and so perhaps below
      slots.put(key, s);
      evictBeyondCapacity();
    }
    s.conn = conn;
    s.dirty = true;
  }

  @Override
  public void remove(FlowKey key) {
    boolean everyConnectionIsHere = complete(); // first, as it may fill the cache
    Slot s = slots.get(key);
    if (s == null && everyConnectionIsHere) {
      return; // nothing below to delete
    }
    if (s == null) {
      s = new Slot(null, true);
      slots.put(key, s);
      evictBeyondCapacity();
    } else if (!s.stored) {
      slots.remove(key); // born and gone between two writes: the store below never knew it
      return;
    }
    s.conn = null;
    s.dirty = true;
  }

  /** Writes every changed connection to the store below, then lets that store flush. */
  @Override
  public void flushCache() {
    writeChanged();
    super.flushCache();
  }

  /**
   * Forgets what was not written. Kafka Streams calls this when it recycles a task (active to
   * standby or back) after a clean commit, when nothing should be left to forget.
   */
  @Override
  public void clearCache() {
    slots.clear();
    complete = null;
    super.clearCache();
  }

  /** Like Kafka Streams' own caching stores: what is still cached is written before closing. */
  @Override
  public void close() {
    try {
      if (isOpen()) {
        writeChanged();
      }
    } finally { // RocksDB is closed (and its directory lock released) even if the last write fails
      slots.clear();
      super.close();
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

  /** Writes every changed connection below in one batch (one RocksDB write batch, then the changelog). */
  private void writeChanged() {
    List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>();
    Iterator<Map.Entry<FlowKey, Slot>> it = slots.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<FlowKey, Slot> e = it.next();
      Slot s = e.getValue();
      if (!s.dirty) {
        continue;
      }
      s.dirty = false;
      if (s.conn != null) {
        batch.add(KeyValue.pair(Bytes.wrap(StateCodec.encode(e.getKey())), StateCodec.encode(s.conn)));
        s.stored = true;
      } else {
        if (s.stored) {
          batch.add(KeyValue.pair(Bytes.wrap(StateCodec.encode(e.getKey())), null));
        }
        it.remove();
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
      if (s.dirty) {
        write(eldest.getKey(), s);
      }
      if (s.stored) {
        complete = false;
      }
      it.remove();
    }
  }

  private void write(FlowKey key, Slot s) {
    Bytes k = Bytes.wrap(StateCodec.encode(key));
    if (s.conn != null) {
      wrapped().put(k, StateCodec.encode(s.conn));
      s.stored = true;
    } else if (s.stored) {
      wrapped().put(k, null); // a delete that, unlike delete(), does not read the old value first
      s.stored = false;
    }
    s.dirty = false;
  }
}

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
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The connection table as the engine sees it, in three tiers: the connections of the last
 * {@code capacity} lookups kept decoded, as objects, in least-recently-used order; behind them,
 * those pushed out, kept packed as bytes ({@link PackedConnections}, up to a memory budget); and
 * below both, a changelogged RocksDB store that has no record cache of its own. A connection
 * reaches the store below (encoded, one changelog record) when Kafka Streams commits, or when it
 * is pushed out of packed memory; between two commits, a connection's packets cost a hash lookup
 * each, no encoding and no store call.
 *
 * <p>Why a store and not a map in the processor: Kafka Streams tells stores, not processors, that
 * it is about to commit ({@link HoldingStore}).
 *
 * <p>Contract with the engine (see {@link ConnectionTable}): a connection changed is put back
 * before the record is done. The engine mutates the object it got in place, so a connection
 * pushed out between its lookup and its put is simply written again at the put (and its packed
 * copy dropped).
 */
final class ConnectionCacheStore extends HoldingStore implements ConnectionTable {

  /** One key's cached state. {@code conn == null} with {@code dirty}: removed, not yet deleted below. */
  private static final class Slot {
    final FlowKey key;
    Conn conn;
    boolean dirty;
    /** The store below may hold a value for this key (so a removal must be written). */
    boolean stored;

    Slot(FlowKey key, Conn conn, boolean stored) {
      this.key = key;
      this.conn = conn;
      this.stored = stored;
    }
  }

  /** Changes written ahead per RocksDB write batch, so that a deadline is checked every few dozen writes. */
  private static final int WRITE_AHEAD_BATCH = 64;

  private final int capacity;
  private final LinkedHashMap<FlowKey, Slot> slots;
  /** Where connections pushed out of {@link #slots} go, as bytes, before the store below. */
  private final PackedConnections packed;
  /**
   * Every slot that turned changed since the last commit, in that order, so that a commit visits
   * the changed connections only: walking all of a full cache to find them cost a commit more
   * than encoding them did (JFR, exactly-once run, where commits come every 100 ms). A slot written
   * early (pushed out) or dropped stays listed, clean, and is skipped; the list is compacted when
   * such slots make up most of it, so it stays within twice the cache's size between commits.
   */
  private final ArrayList<Slot> changed = new ArrayList<>();
  /** Slots that are changed and not yet written: all of them in {@link #slots}, listed in {@link #changed}. */
  private int changedCount;
  /**
   * Whether every connection in the store below is also in memory ({@link #slots} or
   * {@link #packed}): then a key missing there belongs to a new connection, and no store read is
   * needed to learn that (a RocksDB read that finds nothing cost as much as all the rest of a
   * packet in the benchmark's profile). Null until the first use after (re)initialization, when
   * the store below is read in full if it fits in memory; false from the moment a connection that
   * is in the store below leaves memory.
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
  /**
   * The key of the last lookup that found its connection nowhere, memory holding every
   * connection: the put of a new connection that follows needs no second look into packed memory
   * (an encoding and a probe). Used once; cleared when anything is forgotten.
   */
  private FlowKey absentKey;
  /**
   * Where in {@link #changed} the oldest change not yet written ahead may be: everything before it
   * was written or dropped since the last commit. Back to 0 whenever the list is compacted or cleared.
   */
  private int writtenAheadUpTo;

  ConnectionCacheStore(KeyValueStore<Bytes, byte[]> encoded, int capacity, long packedBytes) {
    super(encoded);
    if (capacity < 1) {
      throw new IllegalArgumentException("connection cache capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    // Access order: least recently used first out. (CLOCK over insertion order, which spares the
    // relinking on every lookup, measured no different: the lookup's cost is the hash map's.)
    this.slots = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true);
    this.packed = new PackedConnections(packedBytes);
  }

  @Override
  public Conn get(FlowKey key) {
    boolean everyConnectionIsHere = complete(); // first, as it may fill the cache
    Slot s = slots.get(key);
    if (s == null) {
      // Packed memory is empty while the decoded cache holds every connection: then a new
      // connection's key need not even be encoded.
      byte[] encodedKey = packed.size() == 0 ? null : StateCodec.encode(key);
      PackedConnections.Taken t = encodedKey == null ? null : packed.take(encodedKey);
      if (t != null) {
        s = new Slot(key, t.value() == null ? null : StateCodec.decodeConn(t.value()), t.stored());
        if (t.changed()) {
          markChanged(s);
        }
      } else if (!everyConnectionIsHere) {
        readsBelow++;
        byte[] v = wrapped().get(Bytes.wrap(encodedKey != null ? encodedKey : StateCodec.encode(key)));
        // A miss is remembered too: a new connection is looked up, then put, then (if short) removed,
        // and a connection that never reached the store below needs no tombstone there.
        s = new Slot(key, v == null ? null : StateCodec.decodeConn(v), v != null);
      }
      if (s != null) {
        slots.put(key, s);
        evictBeyondCapacity();
      }
    }
    lastKey = s == null ? null : key;
    lastSlot = s;
    absentKey = s == null ? key : null;
    return s == null ? null : s.conn;
  }

  @Override
  public void put(FlowKey key, Conn conn) {
    boolean everyConnectionIsHere = complete(); // first, as it may fill the cache
    Slot s = slot(key);
    if (s != null) {
      s.conn = conn;
      markChanged(s);
      return;
    }
    // New, or pushed out since its lookup: then it is packed, or perhaps below.
    s = new Slot(key, conn, mayBeBelow(key, everyConnectionIsHere));
    markChanged(s); // before anything is pushed out below: a changed connection is written, never dropped
    slots.put(key, s);
    evictBeyondCapacity();
  }

  @Override
  public void remove(FlowKey key) {
    boolean everyConnectionIsHere = complete(); // first, as it may fill the cache
    Slot s = slot(key);
    if (s == null && !mayBeBelow(key, everyConnectionIsHere)) {
      return; // nothing below to delete
    }
    if (s != null && !s.stored) {
      slots.remove(key); // born and gone between two writes (or a remembered miss): nothing below
      if (s.dirty) {
        markClean(s); // its place in the list of changed slots is skipped
      }
      forgetLast(s);
      return;
    }
    if (s != null) {
      s.conn = null;
      markChanged(s);
      return;
    }
    s = new Slot(key, null, true);
    markChanged(s); // before anything is pushed out below: the delete is written, never dropped
    slots.put(key, s);
    evictBeyondCapacity();
  }

  /**
   * For a key not in {@link #slots}: whether the store below may hold it. Its packed entry, if it
   * has one, is dropped: the caller replaces it.
   */
  private boolean mayBeBelow(FlowKey key, boolean everyConnectionIsHere) {
    if (key == absentKey) {
      absentKey = null; // its slot is about to exist: from now on the slot or packed memory knows
      return false;
    }
    PackedConnections.Taken t = packed.size() == 0 ? null : packed.take(StateCodec.encode(key));
    return t != null ? t.stored() : !everyConnectionIsHere;
  }

  private void markChanged(Slot s) {
    if (s.dirty) {
      return;
    }
    s.dirty = true;
    changedCount++;
    if (changed.size() >= 2 * changedCount + 1024) {
      writtenAheadUpTo = 0;
      changed.removeIf(c -> !c.dirty); // mostly slots pushed out (and written) since the last commit
    }
    changed.add(s);
  }

  private void markClean(Slot s) {
    s.dirty = false;
    changedCount--;
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

  /** Decoded connections changed since the last commit and not yet written (for tests). */
  int changedSlots() {
    return changedCount;
  }

  /** Entries in the list of changed slots, written or not (for tests: the list compacts itself). */
  int listedChanges() {
    return changed.size();
  }

  /** Connections held packed (including removals not yet written). */
  int packed() {
    return packed.size();
  }

  /** Lookups that had to read the store below. */
  long readsBelow() {
    return readsBelow;
  }

  private boolean complete() {
    if (complete == null) {
      complete = loadAll(null);
    }
    return complete;
  }

  /**
   * Reads the store below now, at a task's start, instead of at the first lookup, and hands every
   * connection in it to {@code visitor}, decoded (to write the indexes that are derived from them,
   * {@link io.flowinspect.inspect.engine.DerivedIndexes}). What memory held is dropped first: a
   * task that Kafka Streams suspends and then resumes on the same thread starts again over the
   * same stores, which still hold what they had cached at the suspending commit (all of it
   * written, since that commit wrote every change).
   */
  void load(BiConsumer<FlowKey, Conn> visitor) {
    if (changedCount > 0 || packed.changed() > 0) {
      throw new IllegalStateException("changes not yet written: a task starts only after a commit");
    }
    forgetHeld();
    complete = loadAll(visitor);
  }

  /**
   * Reads the store below into the cache, decoded and then packed, as far as they go; true if that
   * was all of it. Without a visitor it stops reading where memory is full; with one it reads on.
   */
  private boolean loadAll(BiConsumer<FlowKey, Conn> visitor) {
    boolean fits = true;
    try (KeyValueIterator<Bytes, byte[]> all = wrapped().all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> e = all.next();
        FlowKey key = null;
        Conn conn = null;
        if (visitor != null || (fits && slots.size() < capacity)) {
          key = StateCodec.decodeKey(e.key.get());
          conn = StateCodec.decodeConn(e.value);
        }
        if (visitor != null) {
          visitor.accept(key, conn);
        }
        if (!fits) {
          continue;
        }
        if (slots.size() < capacity) {
          slots.putIfAbsent(key, new Slot(key, conn, true));
        } else if (!packed.add(e.key.get(), e.value, PackedConnections.STORED, this::writeBelow)
            || packed.storedEntryLeft()) {
          fits = false; // what was read stays, as a warm start
          if (visitor == null) {
            break;
          }
        }
      }
    }
    return fits;
  }

  @Override
  void forgetHeld() {
    slots.clear();
    packed.clear();
    changed.clear();
    changedCount = 0;
    writtenAheadUpTo = 0;
    complete = null;
    lastKey = null;
    lastSlot = null;
    absentKey = null;
  }

  /** Writes every changed connection below in one batch (one RocksDB write batch, then the changelog). */
  @Override
  void writeHeld() {
    List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>(changed.size());
    for (Slot s : changed) {
      if (!s.dirty) {
        continue; // written when it was pushed out, or dropped unwritten
      }
      KeyValue<Bytes, byte[]> change = written(s);
      if (change != null) {
        batch.add(change);
      }
      if (s.conn == null) {
        slots.remove(s.key);
        forgetLast(s);
      }
    }
    changed.clear();
    changedCount = 0;
    writtenAheadUpTo = 0;
    packed.drainChanged((key, value) -> batch.add(KeyValue.pair(Bytes.wrap(key), value)));
    if (!batch.isEmpty()) {
      wrapped().putAll(batch);
    }
  }

  /**
   * Writes the decoded connections changed longest ago, in batches, until at most {@code keep}
   * decoded changes wait for the next commit or {@code deadlineNanos} ({@link System#nanoTime()})
   * has passed; returns how many were written. Called while the stream thread would otherwise wait for
   * records ({@link IdleTime}), so that a commit finds little left to write: a commit that writes
   * every connection changed in the last five seconds stalls the thread (and every verdict behind
   * it) for as long as that takes. A connection written ahead and changed again is written again
   * at the commit. Changes kept packed ({@link PackedConnections}) wait for the commit.
   */
  int writeOldestChanges(int keep, long deadlineNanos) {
    int written = 0;
    List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>(WRITE_AHEAD_BATCH);
    while (changedCount > keep && writtenAheadUpTo < changed.size() && deadlineNanos - System.nanoTime() > 0) {
      while (batch.size() < WRITE_AHEAD_BATCH && changedCount > keep && writtenAheadUpTo < changed.size()) {
        Slot s = changed.get(writtenAheadUpTo++);
        if (!s.dirty) {
          continue; // written when it was pushed out, or dropped unwritten
        }
        KeyValue<Bytes, byte[]> change = written(s);
        if (change != null) {
          batch.add(change);
        }
        if (s.conn == null) { // a removal, now written: nothing left to remember
          slots.remove(s.key);
          forgetLast(s);
        }
      }
      if (!batch.isEmpty()) {
        wrapped().putAll(batch);
        written += batch.size();
        batch.clear();
      }
    }
    return written;
  }

  /**
   * Moves the least recently used slots out: packed, changed or not, if they fit; otherwise (too
   * large, or no packed memory) a changed one is written below at once.
   */
  private void evictBeyondCapacity() {
    while (slots.size() > capacity) {
      Iterator<Map.Entry<FlowKey, Slot>> it = slots.entrySet().iterator();
      Slot s = it.next().getValue();
      it.remove();
      forgetLast(s);
      if (s.conn != null || s.stored) { // else a remembered miss, or a removal of nothing below: forgotten
        byte[] key = StateCodec.encode(s.key);
        byte[] value = s.conn == null ? null : StateCodec.encode(s.conn);
        int flags = (s.dirty ? PackedConnections.CHANGED : 0) | (s.stored ? PackedConnections.STORED : 0);
        if (packed.add(key, value, flags, this::writeBelow)) {
          if (s.dirty) {
            markClean(s); // its change travels with the packed entry
          }
        } else {
          KeyValue<Bytes, byte[]> change = s.dirty ? written(s) : null;
          if (change != null) {
            wrapped().put(change.key, change.value); // a null value deletes without reading the old one
          }
          if (s.stored) {
            complete = false;
          }
        }
      } else if (s.dirty) {
        markClean(s);
      }
      if (packed.storedEntryLeft()) {
        complete = false;
      }
      s.conn = null; // it may stay listed as changed until the next commit: not with its connection
    }
  }

  private void writeBelow(byte[] key, byte[] value) {
    wrapped().put(Bytes.wrap(key), value); // a null value deletes without reading the old one
  }

  /** The write that brings the store below up to a changed slot (null if none is needed); the slot is clean after. */
  private KeyValue<Bytes, byte[]> written(Slot s) {
    markClean(s);
    if (s.conn != null) {
      s.stored = true;
      return KeyValue.pair(Bytes.wrap(StateCodec.encode(s.key)), StateCodec.encode(s.conn));
    }
    if (s.stored) {
      s.stored = false;
      return KeyValue.pair(Bytes.wrap(StateCodec.encode(s.key)), null);
    }
    return null;
  }
}

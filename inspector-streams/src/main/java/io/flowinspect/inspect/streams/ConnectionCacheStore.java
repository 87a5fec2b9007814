package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.Conn;
import io.flowinspect.inspect.engine.ConnectionTable;
import io.flowinspect.inspect.engine.FixedConnLayout;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.StateCodec;
import java.util.ArrayList;
import java.util.List;
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

  /** Changes written ahead per RocksDB write batch, so that a deadline is checked every few dozen writes. */
  private static final int WRITE_AHEAD_BATCH = 64;

  private final int capacity;
  private final DecodedSlots slots;
  /** Where connections pushed out of {@link #slots} go, as bytes, before the store below. */
  private final PackedConnections<FlowKey> packed;
  /** Packed connections looked up lately: found again, they are busy and taken into the decoded cache. */
  private final RecentTouches recent;
  /** A connection that stays in packed memory, looked up for a packet and put back where it lies. */
  private final PackedInPlace inPlace;
  /** The slots changed since the last commit; every one of them is in {@link #slots}. */
  private final ChangedSlots changed = new ChangedSlots();
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
  private CacheSlot lastSlot;
  /**
   * The key of the last lookup that found its connection nowhere, memory holding every
   * connection: the put of a new connection that follows needs no second look into packed memory
   * (an encoding and a probe). Used once; cleared when anything is forgotten.
   */
  private FlowKey absentKey;
  private long takenFromPacked;
  private final LookupsAhead lookupsAhead = new LookupsAhead();

  /**
   * With quiet changes on, changes that move a connection to no other state (see
   * {@link Conn#transitionSignature}) are held in memory until the connection leaves memory or
   * {@link #quietWrites} says so, instead of being written at every commit.
   */
  private final boolean quietChanges;
  private final QuietWrites quietWrites;
  private final QuietMarker marker = new QuietMarker();
  private long quietChangesWritten;
  private boolean relearned;

  ConnectionCacheStore(KeyValueStore<Bytes, byte[]> encoded, int capacity, long packedBytes) {
    this(encoded, capacity, packedBytes, false, null);
  }

  ConnectionCacheStore(KeyValueStore<Bytes, byte[]> encoded, int capacity, long packedBytes, boolean quietChanges,
      QuietWrites quietWrites) {
    super(encoded);
    this.quietChanges = quietChanges;
    this.quietWrites = quietWrites;
    if (capacity < 1) {
      throw new IllegalArgumentException("connection cache capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.slots = new DecodedSlots(capacity);
    this.packed = new PackedConnections<>(packedBytes, FlowKeyForm.INSTANCE);
    this.recent = new RecentTouches(capacity);
    this.inPlace = new PackedInPlace(packed, quietChanges);
  }

  /** Before a batch's packets are inspected: starts their packed-memory lookups ({@link LookupsAhead}). */
  void startLookups(FlowKey[] keys) {
    lookupsAhead.start(keys, packed);
  }

  @Override
  public Conn get(FlowKey key) {
    boolean everyConnectionIsHere = complete(); // first, as it may fill the cache
    CacheSlot s = slots.get(key);
    if (s == null) {
      long at = packed.size() == 0 ? -1 : packed.find(key);
      if (at >= 0 && (packed.flags(at) & PackedConnections.ABSENT) == 0 && !recent.touch(key.hashCode())) {
        return lookedUpInPacked(key, at);
      }
      PackedConnections.Taken t = at < 0 ? null : packed.take(key);
      if (t != null) {
        takenFromPacked++;
        s = slotAsStored(key, t.value() == null ? null : FixedConnLayout.decode(t.value(), 0, t.value().length, null),
            t.stored());
        s.quiet = (t.flags() & PackedConnections.QUIET) != 0;
        if (t.changed()) {
          changed.mark(s);
        }
      } else if (!everyConnectionIsHere) {
        readsBelow++;
        byte[] v = wrapped().get(Bytes.wrap(StateCodec.encode(key)));
        // A miss is remembered too: a new connection is looked up, then put, then (if short) removed,
        // and a connection that never reached the store below needs no tombstone there.
        s = slotAsStored(key, v == null ? null : StateCodec.decodeConn(v), v != null);
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

  /**
   * A connection in packed memory is offered to {@code update} where it lies, in
   * {@link FixedConnLayout} ({@link PackedInPlace#update}); a decoded one is not, and the engine
   * then takes the full way. The decoded tier's filter is asked first: a busy connection is
   * decoded, and its packets should not pay a probe of packed memory's index before the lookup
   * that finds it.
   */
  @Override
  public boolean updateInPlace(FlowKey key, ConnectionTable.InPlaceUpdate update) {
    if (slots.mayContain(key)) {
      return false;
    }
    switch (inPlace.update(key, update)) {
      case WRITTEN -> {
        return true;
      }
      case WRITTEN_QUIETLY -> {
        marker.quietChange(wrapped());
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  /**
   * A slot for a connection as the store below (or packed memory, which holds it as the store
   * below does, or as changed) has it; with quiet changes on, with that state's signature.
   */
  private CacheSlot slotAsStored(FlowKey key, Conn conn, boolean stored) {
    CacheSlot s = new CacheSlot(key, conn, stored);
    if (quietChanges && conn != null) {
      s.signature = conn.transitionSignature();
    }
    return s;
  }

  /**
   * A connection in packed memory that is not busy stays there: it is decoded for this packet
   * and written back in place at the put. Taking it into the decoded cache would push the cache's
   * oldest out into packed memory for every such packet, the work that dominates when
   * connections far outnumber the cache and each sees a packet now and then (ten million
   * connections at a few hundred thousand packets a second). Busy means looked up again within
   * about a decoded cache's worth of other packed lookups ({@link RecentTouches}): then the cache
   * can keep it until its next packet, and the lookup takes it in.
   */
  private Conn lookedUpInPacked(FlowKey key, long address) {
    lastKey = null;
    lastSlot = null;
    absentKey = null;
    return inPlace.lookUp(key, address);
  }

  @Override
  public void put(FlowKey key, Conn conn) {
    switch (inPlace.writeBack(key, conn)) {
      case WRITTEN -> {
        return;
      }
      case WRITTEN_QUIETLY -> {
        marker.quietChange(wrapped());
        return;
      }
      default -> { } // not written back: into the decoded cache below
    }
    boolean everyConnectionIsHere = complete(); // first, as it may fill the cache
    CacheSlot s = slot(key);
    inPlace.kept(conn);
    if (s != null) {
      s.conn = conn;
      if (quietChanges && s.stored && !s.dirty && conn.transitionSignature() == s.signature) {
        s.quiet = true;
        marker.quietChange(wrapped());
      } else {
        changed.mark(s);
      }
      return;
    }
    // New, or pushed out since its lookup: then it is packed, or perhaps below.
    s = new CacheSlot(key, conn, mayBeBelow(key, everyConnectionIsHere));
    changed.mark(s); // before anything is pushed out below: a changed connection is written, never dropped
    slots.put(key, s);
    evictBeyondCapacity();
  }

  @Override
  public void remove(FlowKey key) {
    boolean everyConnectionIsHere = complete(); // first, as it may fill the cache
    CacheSlot s = slot(key);
    if (s == null && !mayBeBelow(key, everyConnectionIsHere)) {
      return; // nothing below to delete
    }
    if (s != null && !s.stored) {
      slots.remove(key); // born and gone between two writes (or a remembered miss): nothing below
      if (s.dirty) {
        changed.clean(s); // its place in the list of changed slots is skipped
      }
      forgetLast(s);
      return;
    }
    if (s != null) {
      s.conn = null;
      s.quiet = false;
      changed.mark(s);
      return;
    }
    s = new CacheSlot(key, null, true);
    changed.mark(s); // before anything is pushed out below: the delete is written, never dropped
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
    PackedConnections.Taken t = packed.size() == 0 ? null : packed.take(key);
    return t != null ? t.stored() : !everyConnectionIsHere;
  }

  private CacheSlot slot(FlowKey key) {
    return key == lastKey ? lastSlot : slots.get(key);
  }

  private void forgetLast(CacheSlot leaving) {
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
    return changed.count();
  }

  /** Entries in the list of changed slots, written or not (for tests: the list compacts itself). */
  int listedChanges() {
    return changed.listed();
  }

  /** Connections held packed (including removals not yet written). */
  int packed() {
    return packed.size();
  }

  /** Puts written over a connection's packed entry where it lay (for tests and the benchmark). */
  long updatedPacked() {
    return inPlace.updated();
  }

  /** Packets that changed a packed connection in place, never decoded ({@link #updateInPlace}). */
  long updatedInPlace() {
    return inPlace.inPlace();
  }

  /** Lookups that took a connection out of packed memory into the decoded cache (busy ones, and removals). */
  long takenFromPacked() {
    return takenFromPacked;
  }

  /** Quiet changes written (when their connections left memory, or when {@link QuietWrites} said so). */
  long quietChangesWritten() {
    return quietChangesWritten;
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
    if (changed.count() > 0 || packed.changed() > 0) {
      throw new IllegalStateException("changes not yet written: a task starts only after a commit");
    }
    forgetHeld();
    relearned = QuietMarker.relearnIfLost(wrapped());
    complete = loadAll(visitor);
  }

  /** Whether the last {@link #load} found quiet changes lost, so that every stored connection relearned its windows. */
  boolean relearnedWindows() {
    return relearned;
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
        if (QuietMarker.isMarker(e.key)) {
          continue;
        }
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
          slots.putIfAbsent(key, slotAsStored(key, conn, true));
        } else if (!packed.add(key != null ? key : StateCodec.decodeKey(e.key.get()), e.key.get(),
            conn != null ? FixedConnLayout.encode(conn) : FixedConnLayout.fromStored(e.value),
            PackedConnections.STORED, this::writeBelow)
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
    recent.clear();
    changed.clear();
    complete = null;
    lastKey = null;
    lastSlot = null;
    absentKey = null;
    inPlace.forget();
    marker.forget();
  }

  /** Writes every changed connection below in one batch (one RocksDB write batch, then the changelog). */
  @Override
  void writeHeld() {
    List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>(changed.count() + packed.changed());
    changed.writeAll(s -> writeInto(batch, s));
    packed.drainChanged((key, value) -> batch.add(KeyValue.pair(Bytes.wrap(key), FixedConnLayout.toStored(value))));
    if (marker.unclean() && quietWrites != null && quietWrites.due()) {
      writeQuietInto(batch);
    }
    if (!batch.isEmpty()) {
      wrapped().putAll(batch);
    }
  }

  /**
   * Adds every quiet change to {@code batch} (decoded ones by a walk over the cache, packed ones
   * over packed memory's index), then the marker's removal: after this batch the store below holds
   * every change again.
   */
  private void writeQuietInto(List<KeyValue<Bytes, byte[]>> batch) {
    int before = batch.size();
    for (CacheSlot s : slots.values()) {
      if (s.quiet) {
        KeyValue<Bytes, byte[]> change = written(s);
        if (change != null) {
          batch.add(change);
        }
      }
    }
    packed.drainQuiet((key, value) -> batch.add(KeyValue.pair(Bytes.wrap(key), FixedConnLayout.toStored(value))));
    quietChangesWritten += batch.size() - before;
    marker.clearedBy(batch);
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
    boolean more = true;
    while (more && changed.count() > keep && deadlineNanos - System.nanoTime() > 0) {
      while (batch.size() < WRITE_AHEAD_BATCH && changed.count() > keep) {
        CacheSlot s = changed.nextToWriteAhead();
        if (s == null) {
          more = false;
          break;
        }
        writeInto(batch, s);
      }
      if (!batch.isEmpty()) {
        wrapped().putAll(batch);
        written += batch.size();
        batch.clear();
      }
    }
    return written;
  }

  /** Adds a changed slot's write to {@code batch}, if it needs one; a removal, once written, leaves the cache. */
  private void writeInto(List<KeyValue<Bytes, byte[]>> batch, CacheSlot s) {
    KeyValue<Bytes, byte[]> change = written(s);
    if (change != null) {
      batch.add(change);
    }
    if (s.conn == null) {
      slots.remove(s.key);
      forgetLast(s);
    }
  }

  /**
   * Moves the least recently used slots out: packed, changed or not, if they fit; otherwise (too
   * large, or no packed memory) a changed one is written below at once.
   */
  private void evictBeyondCapacity() {
    while (slots.size() > capacity) {
      CacheSlot s = slots.removeEldest();
      forgetLast(s);
      if (s.conn != null || s.stored) { // else a remembered miss, or a removal of nothing below: forgotten
        byte[] value = s.conn == null ? null : FixedConnLayout.encode(s.conn);
        int flags = (s.dirty ? PackedConnections.CHANGED : 0) | (s.stored ? PackedConnections.STORED : 0)
            | (s.quiet ? PackedConnections.QUIET : 0);
        if (packed.add(s.key, value, flags, this::writeBelow)) {
          if (s.dirty) {
            changed.clean(s); // its change travels with the packed entry
          }
        } else {
          KeyValue<Bytes, byte[]> change = s.dirty || s.quiet ? written(s) : null;
          if (change != null) {
            wrapped().put(change.key, change.value); // a null value deletes without reading the old one
          }
          if (s.stored) {
            complete = false;
          }
        }
      } else if (s.dirty) {
        changed.clean(s);
      }
      if (packed.storedEntryLeft()) {
        complete = false;
      }
      s.conn = null; // it may stay listed as changed until the next commit: not with its connection
    }
  }

  /** Writes a connection leaving packed memory (in {@link FixedConnLayout}) below, in the stored form. */
  private void writeBelow(byte[] key, byte[] value) {
    wrapped().put(Bytes.wrap(key), FixedConnLayout.toStored(value)); // a null value deletes without reading the old one
  }

  /** The write that brings the store below up to a changed slot (null if none is needed); the slot is clean after. */
  private KeyValue<Bytes, byte[]> written(CacheSlot s) {
    if (s.dirty) {
      changed.clean(s);
    }
    s.quiet = false;
    if (s.conn != null) {
      s.stored = true;
      if (quietChanges) {
        s.signature = s.conn.transitionSignature();
      }
      return KeyValue.pair(Bytes.wrap(StateCodec.encode(s.key)), StateCodec.encode(s.conn));
    }
    if (s.stored) {
      s.stored = false;
      return KeyValue.pair(Bytes.wrap(StateCodec.encode(s.key)), null);
    }
    return null;
  }
}

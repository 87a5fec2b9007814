package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.DerivedIndexes;
import io.flowinspect.inspect.engine.Expectation;
import io.flowinspect.inspect.engine.ExpectationTable;
import io.flowinspect.inspect.engine.ExpiryIndex;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.StateCodec;
import io.flowinspect.inspect.engine.TrackerMeta;
import io.flowinspect.inspect.engine.UnrepliedIndex;
import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The engine's tables over Kafka Streams key-value stores (RocksDB), all but the connections
 * themselves ({@link ConnectionCacheStore}): expectations and the tracker's counters changelogged,
 * the two indexes local and written again at every start ({@link #rebuildIndexes}). The expiry
 * index is keyed by the big-endian deadline followed by the flow key, so a range scan from the
 * start up to "now" visits exactly the entries that are due and stops at the first that is not;
 * the unreplied index likewise by opening time, so that its first entry is the oldest. Deletes
 * are written as {@code put(key, null)}: {@code delete} returns the old value, which would cost a
 * RocksDB read that nothing here needs.
 */
final class StoreTables implements ExpectationTable, ExpiryIndex, UnrepliedIndex, TrackerMeta {
  private static final byte[] EMPTY = new byte[0];
  static final int CLEAR_SLICE = 10_000;
  private static final Bytes CONNECTION_COUNT = Bytes.wrap("connections".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  private final KeyValueStore<Bytes, byte[]> expectations;
  private final KeyValueStore<Bytes, byte[]> expiry;
  private final KeyValueStore<Bytes, byte[]> unreplied;
  private final KeyValueStore<Bytes, byte[]> meta;
  private final NearDeadlines near;
  /** Expectations in their store; -1 until counted. */
  private long expectationCount = -1;
  /**
   * No expiry entry on disk is due before this: lowered by every entry written there, raised by
   * every scan to the first entry it left. Unknown at a start (a previous run may have left
   * entries), so the first scan reads the disk.
   */
  private long diskDueFrom = Long.MIN_VALUE;

  StoreTables(KeyValueStore<Bytes, byte[]> expectations, KeyValueStore<Bytes, byte[]> expiry,
      KeyValueStore<Bytes, byte[]> unreplied, KeyValueStore<Bytes, byte[]> meta) {
    this(expectations, expiry, unreplied, meta, new NearDeadlines(NearDeadlines.DEFAULT_LIMIT,
        NearDeadlines.DEFAULT_HORIZON_NANOS));
  }

  StoreTables(KeyValueStore<Bytes, byte[]> expectations, KeyValueStore<Bytes, byte[]> expiry,
      KeyValueStore<Bytes, byte[]> unreplied, KeyValueStore<Bytes, byte[]> meta, NearDeadlines near) {
    this.near = near;
    this.expectations = expectations;
    this.expiry = expiry;
    this.unreplied = unreplied;
    this.meta = meta;
  }

  @Override
  public void opened(long firstNanos, io.flowinspect.inspect.engine.FlowKey key) {
    unreplied.put(Bytes.wrap(indexKey(firstNanos, StateCodec.encode(key))), EMPTY);
  }

  @Override
  public void ended(long firstNanos, io.flowinspect.inspect.engine.FlowKey key) {
    unreplied.put(Bytes.wrap(indexKey(firstNanos, StateCodec.encode(key))), null);
  }

  @Override
  public io.flowinspect.inspect.engine.FlowKey pollOldest() {
    Bytes first;
    try (KeyValueIterator<Bytes, byte[]> it = unreplied.all()) {
      if (!it.hasNext()) {
        return null;
      }
      first = it.next().key;
    }
    unreplied.put(first, null);
    byte[] raw = first.get();
    return StateCodec.decodeKey(java.util.Arrays.copyOfRange(raw, 8, raw.length));
  }

  @Override
  public long connectionCount() {
    byte[] v = meta.get(CONNECTION_COUNT);
    return v == null ? 0 : ByteBuffer.wrap(v).getLong();
  }

  @Override
  public void connectionCount(long value) {
    meta.put(CONNECTION_COUNT, ByteBuffer.allocate(8).putLong(value).array());
  }

  @Override
  public Expectation get(Expectation.Key key) {
    if (expectationCount() == 0) {
      return null; // nearly always: every new connection asks, and only FTP control connections announce
    }
    byte[] v = expectations.get(Bytes.wrap(StateCodec.encode(key)));
    return v == null ? null : StateCodec.decodeExpectation(v);
  }

  @Override
  public void put(Expectation expectation) {
    Bytes key = Bytes.wrap(StateCodec.encode(expectation.key()));
    if (expectations.get(key) == null) {
      expectationCount = expectationCount() + 1;
    }
    expectations.put(key, StateCodec.encode(expectation));
  }

  @Override
  public void remove(Expectation.Key key) {
    if (expectationCount() == 0) {
      return;
    }
    Bytes k = Bytes.wrap(StateCodec.encode(key));
    if (expectations.get(k) != null) {
      expectationCount--;
      expectations.put(k, null);
    }
  }

  /** Expectations stored, counted once (the store is small) and then kept. */
  private long expectationCount() {
    if (expectationCount < 0) {
      long n = 0;
      try (KeyValueIterator<Bytes, byte[]> it = expectations.all()) {
        for (; it.hasNext(); it.next()) {
          n++;
        }
      }
      expectationCount = n;
    }
    return expectationCount;
  }

  @Override
  public void add(long deadlineNanos, FlowKey key) {
    byte[] flow = StateCodec.encode(key);
    if (!near.offer(deadlineNanos, flow)) {
      expiry.put(Bytes.wrap(indexKey(deadlineNanos, flow)), EMPTY);
      diskDueFrom = Math.min(diskDueFrom, deadlineNanos);
    }
  }

  /**
   * Hands over the due entries of both parts of the index, memory ({@link NearDeadlines}) and
   * disk, merged in the order of the disk's keys; an entry in both (a start writes an entry again
   * over one a previous run left on disk) counts once. The disk is not read at all while nothing
   * on it can be due.
   */
  @Override
  public int drainDue(long nowNanos, int max, Due consumer) {
    near.advance(nowNanos);
    java.util.List<NearDeadlines.Entry> due = new java.util.ArrayList<>();
    java.util.List<Bytes> fromDisk = new java.util.ArrayList<>();
    if (diskDueFrom <= nowNanos) {
      // Unbounded, so that the first entry not due tells when the disk next needs reading.
      try (KeyValueIterator<Bytes, byte[]> disk = expiry.all()) {
        Bytes diskKey = disk.hasNext() ? disk.next().key : null;
        NearDeadlines.Entry diskHead = diskKey == null ? null : entry(diskKey);
        while (diskHead != null && diskHead.deadlineNanos() <= nowNanos && due.size() < max) {
          NearDeadlines.Entry memoryHead = near.peekDue(nowNanos);
          if (memoryHead != null && memoryHead.compareTo(diskHead) < 0) {
            due.add(near.takeHead());
            continue;
          }
          near.dropHeadsEqualTo(diskHead); // the same entry in both parts: handed over once
          due.add(diskHead);
          fromDisk.add(diskKey);
          diskKey = disk.hasNext() ? disk.next().key : null;
          diskHead = diskKey == null ? null : entry(diskKey);
        }
        diskDueFrom = diskHead == null ? Long.MAX_VALUE : diskHead.deadlineNanos();
      }
    }
    // The disk has nothing more that is due (or the budget is spent): the rest comes from memory.
    while (due.size() < max && near.peekDue(nowNanos) != null) {
      due.add(near.takeHead());
    }
    // Act after closing the iterator: the consumer writes to the same store.
    for (Bytes k : fromDisk) {
      expiry.put(k, null);
    }
    for (NearDeadlines.Entry e : due) {
      consumer.accept(e.deadlineNanos(), StateCodec.decodeKey(e.key()));
    }
    return due.size();
  }

  private static NearDeadlines.Entry entry(Bytes indexKey) {
    byte[] raw = indexKey.get();
    long deadline = ByteBuffer.wrap(raw, 0, 8).getLong() ^ Long.MIN_VALUE;
    return new NearDeadlines.Entry(deadline, java.util.Arrays.copyOfRange(raw, 8, raw.length));
  }

  /** What {@link #rebuildIndexes} did: old unreplied entries dropped, connections read. */
  record Rebuilt(long dropped, long connections) {}

  /**
   * Writes the expiry and unreplied indexes again from the connections (local stores, not
   * changelogged: {@link DerivedIndexes} says why that is enough), and reads the connections into
   * memory on the way. For a task's start, before its first record.
   *
   * <p>The unreplied index is emptied first: eviction takes its entries oldest first, and old
   * entries of answered connections in front of the live ones would each cost a walk. The expiry
   * index keeps what a previous run on this disk left: the tracker checks every due entry against
   * its connection and skips stale ones, so they cost a look each when they come due, while
   * deleting them here cost most of a start (10 M connections leave 20 M entries). An entry
   * written again over the same one already there breaks the store's promise that its puts are
   * new, which would matter only if it were deleted before it reached RocksDB; but expiry entries
   * are deleted only by {@link #drainDue}, after its scan has written everything waiting.
   */
  Rebuilt rebuildIndexes(ConnectionCacheStore connections) {
    long dropped = clear(unreplied);
    long[] read = {0};
    connections.load((key, conn) -> {
      DerivedIndexes.index(key, conn, this, this);
      read[0]++;
    });
    return new Rebuilt(dropped, read[0]);
  }

  /**
   * Deletes a store's entries a slice at a time, each slice read by a fresh iterator that starts
   * after the last key deleted, so that no iterator is open while the store is written and none
   * walks the tombstones of the slices before it.
   */
  private static long clear(KeyValueStore<Bytes, byte[]> store) {
    long cleared = 0;
    Bytes from = null;
    while (true) {
      java.util.List<Bytes> slice = new java.util.ArrayList<>(CLEAR_SLICE);
      try (KeyValueIterator<Bytes, byte[]> it = from == null ? store.all() : store.range(from, null)) {
        while (slice.size() < CLEAR_SLICE && it.hasNext()) {
          slice.add(it.next().key);
        }
      }
      for (Bytes k : slice) {
        store.put(k, null);
      }
      cleared += slice.size();
      if (slice.size() < CLEAR_SLICE) {
        return cleared;
      }
      from = slice.get(slice.size() - 1);
    }
  }

  static byte[] indexKey(long deadlineNanos, byte[] flowKey) {
    return ByteBuffer.allocate(8 + flowKey.length).putLong(sortable(deadlineNanos)).put(flowKey).array();
  }

  /** Flips the sign bit so that unsigned byte order equals signed numeric order. */
  private static long sortable(long v) {
    return v ^ Long.MIN_VALUE;
  }
}

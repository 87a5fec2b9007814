package io.flowinspect.inspect.streams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The part of the expiry index kept in memory: entries whose deadline is near (within
 * {@code horizonNanos} of the index's clock, the latest "now" it was drained at), up to
 * {@code limit} of them. The rest go to the RocksDB store ({@link StoreTables}), which merges both
 * parts when draining, in one order: by deadline, then by the key's bytes, unsigned, as RocksDB
 * orders the stored entries. So which part holds an entry never changes what expires or in which
 * order.
 *
 * <p>Why: most entries are near. A connection is indexed at its first, short deadline (120 s for
 * a TCP SYN, 30 s for UDP) and most connections end before it, leaving the entry stale. On disk
 * each entry cost a write-behind map entry, a RocksDB put, a later range scan and a delete: a
 * tenth of the stream thread on the default benchmark. Here it costs a list append and, when due,
 * a heap operation. The index is local and written again at every start (DESIGN, "The expiry and
 * unreplied indexes have no changelog"), so losing this part at a stop loses nothing.
 *
 * <p>Layout: entries not yet due wait unsorted in buckets of 2^30 ns (about a second) of
 * deadline; when the clock reaches a bucket its entries move into a heap ordered as above, from
 * which due entries are taken. Not thread-safe: one per task.
 */
final class NearDeadlines {
  /**
   * Entries per task by default. By their layout (an entry object, the key's array, a slot in a
   * list or the heap) 70–100 bytes each from IPv4 to IPv6 keys, so about 11 MiB when full.
   */
  static final int DEFAULT_LIMIT = 131_072;
  /** Deadlines further than this from the clock go to disk: long timeouts are mostly refreshed. */
  static final long DEFAULT_HORIZON_NANOS = 600_000_000_000L;
  private static final int BUCKET_SHIFT = 30;

  /** One index entry: a deadline and the encoded flow key. */
  record Entry(long deadlineNanos, byte[] key) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      int c = Long.compare(deadlineNanos, o.deadlineNanos);
      return c != 0 ? c : Arrays.compareUnsigned(key, o.key);
    }
  }

  private final int limit;
  private final long horizonNanos;
  private final TreeMap<Long, ArrayList<Entry>> waiting = new TreeMap<>();
  private final PriorityQueue<Entry> reached = new PriorityQueue<>();
  /** The latest bucket moved into {@link #reached}; later entries of it and earlier go there directly. */
  private long reachedThrough = Long.MIN_VALUE;
  private long clock = Long.MIN_VALUE;
  /** The bucket of the last entry that waited, and its list. */
  private long lastBucket = Long.MIN_VALUE;
  private ArrayList<Entry> lastList;
  private int size;

  NearDeadlines(int limit, long horizonNanos) {
    if (limit < 0 || horizonNanos < 0) {
      throw new IllegalArgumentException("near-deadline limit and horizon must not be negative");
    }
    this.limit = limit;
    this.horizonNanos = horizonNanos;
  }

  /** Takes the entry if it is near and there is room; false means it belongs on disk. */
  boolean offer(long deadlineNanos, byte[] key) {
    if (size >= limit || (clock != Long.MIN_VALUE && deadlineNanos - clock > horizonNanos)) {
      return false;
    }
    Entry e = new Entry(deadlineNanos, key);
    long bucket = deadlineNanos >> BUCKET_SHIFT;
    if (bucket <= reachedThrough) {
      reached.add(e);
    } else {
      if (bucket != lastBucket) { // most entries land in the bucket of the one before
        lastList = waiting.computeIfAbsent(bucket, b -> new ArrayList<>(256));
        lastBucket = bucket;
      }
      lastList.add(e);
    }
    size++;
    return true;
  }

  /** Moves the clock forward to {@code nowNanos} (never back) and readies the buckets it reached. */
  void advance(long nowNanos) {
    clock = Math.max(clock, nowNanos);
    long bucket = clock >> BUCKET_SHIFT;
    while (!waiting.isEmpty() && waiting.firstKey() <= bucket) {
      Map.Entry<Long, ArrayList<Entry>> first = waiting.pollFirstEntry();
      reached.addAll(first.getValue());
      if (first.getKey() == lastBucket) {
        lastBucket = Long.MIN_VALUE;
        lastList = null;
      }
    }
    reachedThrough = Math.max(reachedThrough, bucket);
  }

  /**
   * The earliest entry, if it is due at {@code nowNanos}; null otherwise. The caller's now, not the
   * clock: a sensor's watermark can move a drain's now back, and nothing after it may come out.
   */
  Entry peekDue(long nowNanos) {
    Entry head = reached.peek();
    return head != null && head.deadlineNanos() <= Math.min(clock, nowNanos) ? head : null;
  }

  /**
   * Removes and returns the entry {@link #peekDue} returned, and any copies of it: the disk holds
   * an entry once however often it is written, and so must this part.
   */
  Entry takeHead() {
    Entry head = reached.remove();
    size--;
    dropHeadsEqualTo(head);
    return head;
  }

  /** Removes the entries at the head that equal {@code e} (it was handed over from the disk). */
  void dropHeadsEqualTo(Entry e) {
    while (!reached.isEmpty() && reached.peek().compareTo(e) == 0) {
      reached.remove();
      size--;
    }
  }

  int size() {
    return size;
  }
}

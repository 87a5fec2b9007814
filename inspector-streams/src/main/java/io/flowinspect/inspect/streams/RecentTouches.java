package io.flowinspect.inspect.streams;

/**
 * Which packed connections were looked up lately, to tell a busy connection (worth taking into the
 * decoded cache) from one that sees a packet now and then (updated where it lies in packed
 * memory). A direct-mapped table of key hashes, twice as many slots as the decoded cache holds
 * connections: a key's hash stays in its slot until another key's lookup lands there, so a key
 * looked up again within about a cache's worth of other lookups finds its hash still there.
 *
 * <p>It replaces a touch stamp in each packed entry, which needed the entry's header written on
 * every packet and, with four bits of stamp, made one idle entry in fifteen look busy after the
 * stamps wrapped (with ten million connections, one packet in fifteen then moved a connection into
 * the decoded cache and another one out). Here a stale slot holds another key's hash, and two keys
 * that share a 32-bit hash are the only false "busy".
 *
 * <p>Not thread-safe: one per task.
 */
final class RecentTouches {
  private final int[] hashes;
  private final int mask;

  /** A table for a decoded cache of {@code cacheCapacity} connections. */
  RecentTouches(int cacheCapacity) {
    int slots = Integer.highestOneBit(Math.max(1024, Math.min(1 << 26, 2 * cacheCapacity) - 1)) << 1;
    hashes = new int[slots];
    mask = slots - 1;
  }

  /** Records a lookup of the key with this hash; true if it was looked up lately already (busy). */
  boolean touch(int hash) {
    int h = hash == 0 ? 1 : hash; // 0 marks an empty slot
    int i = spread(h) & mask;
    if (hashes[i] == h) {
      return true;
    }
    hashes[i] = h;
    return false;
  }

  /** Forgets every lookup (the table starts over, e.g. when memory is dropped). */
  void clear() {
    java.util.Arrays.fill(hashes, 0);
  }

  int slots() {
    return hashes.length;
  }

  /** The slot comes from bits that the packed index's slot does not use, so neighbours there are not neighbours here. */
  private static int spread(int h) {
    return Integer.reverse(h * 0x9E37_79B9);
  }
}

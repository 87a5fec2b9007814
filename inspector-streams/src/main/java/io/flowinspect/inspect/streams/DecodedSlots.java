package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.FlowKey;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The decoded tier of {@link ConnectionCacheStore}: its slots by key, least recently used first,
 * with a {@link HashFilter} of their keys' hashes in front. With far more connections than the
 * tier holds, almost every lookup is of a key that is not there; the filter answers those from an
 * array that stays in the CPU's cache, where the map would take a miss in its buckets and one in
 * a node (with ten million connections, 12 % of the stream thread in a profile).
 *
 * <p>Not thread-safe.
 */
final class DecodedSlots {
  private final LinkedHashMap<FlowKey, CacheSlot> map;
  private final HashFilter hashes;

  DecodedSlots(int capacity) {
    // Access order: least recently used first out. (CLOCK over insertion order, which spares the
    // relinking on every lookup, measured no different: the lookup's cost is the hash map's.)
    this.map = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true);
    this.hashes = new HashFilter(Math.min(capacity, 1 << 20));
  }

  /** False if {@code key} has no slot here; true if it may have one (the filter alone, the map untouched). */
  boolean mayContain(FlowKey key) {
    return hashes.mayContain(key.hashCode());
  }

  /** The slot of {@code key} (now the most recently used), or null. */
  CacheSlot get(FlowKey key) {
    return mayContain(key) ? map.get(key) : null;
  }

  void put(FlowKey key, CacheSlot slot) {
    if (map.put(key, slot) == null) {
      hashes.add(key.hashCode());
    }
  }

  void putIfAbsent(FlowKey key, CacheSlot slot) {
    if (map.putIfAbsent(key, slot) == null) {
      hashes.add(key.hashCode());
    }
  }

  void remove(FlowKey key) {
    if (map.remove(key) != null) {
      hashes.remove(key.hashCode());
    }
  }

  /** Removes and returns the least recently used slot; there must be one. */
  CacheSlot removeEldest() {
    Iterator<CacheSlot> it = map.values().iterator();
    CacheSlot s = it.next();
    it.remove();
    hashes.remove(s.key.hashCode());
    return s;
  }

  int size() {
    return map.size();
  }

  Collection<CacheSlot> values() {
    return map.values();
  }

  void clear() {
    map.clear();
    hashes.clear();
  }
}

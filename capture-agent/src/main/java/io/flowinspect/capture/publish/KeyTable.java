package io.flowinspect.capture.publish;

import java.util.Arrays;

/**
 * Which connections a batch already lists, without an object per packet: an open-addressing
 * table of the key's fields packed into six longs, cleared between batches by forgetting only the
 * slots it used.
 */
final class KeyTable {
  private static final int WORDS = 6;
  private long[] words;
  private int[] indexes;
  private int[] used;
  private int count;
  private int mask;

  KeyTable(int expectedKeys) {
    int capacity = Integer.highestOneBit(Math.max(16, expectedKeys * 2) - 1) << 1;
    allocate(capacity);
  }

  /**
   * The index of the key; for a key seen for the first time, the next free index is assigned and
   * returned as {@code ~index} (negative), so that the caller knows to write the key out.
   */
  int indexOf(long w0, long w1, long w2, long w3, long w4, long w5) {
    if (count * 2 >= indexes.length) {
      grow();
    }
    int slot = (int) mix(w0, w1, w2, w3, w4, w5) & mask;
    while (true) {
      int index = indexes[slot];
      if (index < 0) {
        put(slot, count, w0, w1, w2, w3, w4, w5);
        return ~count++;
      }
      int base = slot * WORDS;
      if (words[base] == w0 && words[base + 1] == w1 && words[base + 2] == w2 && words[base + 3] == w3
          && words[base + 4] == w4 && words[base + 5] == w5) {
        return index;
      }
      slot = (slot + 1) & mask;
    }
  }

  int size() {
    return count;
  }

  void clear() {
    for (int i = 0; i < count; i++) {
      indexes[used[i]] = -1;
    }
    count = 0;
  }

  private void put(int slot, int index, long w0, long w1, long w2, long w3, long w4, long w5) {
    int base = slot * WORDS;
    words[base] = w0;
    words[base + 1] = w1;
    words[base + 2] = w2;
    words[base + 3] = w3;
    words[base + 4] = w4;
    words[base + 5] = w5;
    indexes[slot] = index;
    used[index] = slot;
  }

  private void grow() {
    long[] oldWords = words;
    int[] oldIndexes = indexes;
    int oldCount = count;
    allocate(indexes.length * 2);
    for (int slot = 0; slot < oldIndexes.length; slot++) {
      int index = oldIndexes[slot];
      if (index >= 0) {
        int b = slot * WORDS;
        int s = (int) mix(oldWords[b], oldWords[b + 1], oldWords[b + 2], oldWords[b + 3], oldWords[b + 4],
            oldWords[b + 5]) & mask;
        while (indexes[s] >= 0) {
          s = (s + 1) & mask;
        }
        put(s, index, oldWords[b], oldWords[b + 1], oldWords[b + 2], oldWords[b + 3], oldWords[b + 4], oldWords[b + 5]);
      }
    }
    count = oldCount;
  }

  private void allocate(int capacity) {
    words = new long[capacity * WORDS];
    indexes = new int[capacity];
    used = new int[capacity];
    Arrays.fill(indexes, -1);
    mask = capacity - 1;
  }

  private static long mix(long w0, long w1, long w2, long w3, long w4, long w5) {
    long h = w0 * 0x9E3779B97F4A7C15L;
    h = (h ^ w1) * 0xC2B2AE3D27D4EB4FL;
    h = (h ^ w2) * 0x165667B19E3779F9L;
    h = (h ^ w3) * 0x9E3779B97F4A7C15L;
    h = (h ^ w4) * 0xC2B2AE3D27D4EB4FL;
    h = (h ^ w5) * 0x165667B19E3779F9L;
    return h ^ (h >>> 29);
  }
}

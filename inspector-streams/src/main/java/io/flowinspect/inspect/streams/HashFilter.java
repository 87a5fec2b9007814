package io.flowinspect.inspect.streams;

/**
 * The 32-bit hashes of a set's keys, kept apart from the set so that most lookups of an absent key
 * are answered from this small array: "no" is certain, "maybe" sends the caller to the set. A
 * multiset (two keys may share a hash): open addressing over an {@code int[]}, linear probing,
 * deletion by backward shift, at most half full.
 *
 * <p>Not thread-safe.
 */
final class HashFilter {
  private int[] slots;
  private int size;

  HashFilter(int expected) {
    slots = new int[Math.max(16, Integer.highestOneBit(Math.max(1, 2 * expected - 1)) << 1)];
  }

  /** Whether a key of this hash may be in the set: false means it is not. */
  boolean mayContain(int hash) {
    int h = stored(hash);
    int mask = slots.length - 1;
    for (int i = home(h, mask); slots[i] != 0; i = (i + 1) & mask) {
      if (slots[i] == h) {
        return true;
      }
    }
    return false;
  }

  void add(int hash) {
    if (2 * (size + 1) > slots.length) {
      grow();
    }
    insert(stored(hash));
    size++;
  }

  /** Removes one occurrence of the hash; the caller knows that a key of this hash was added. */
  void remove(int hash) {
    int h = stored(hash);
    int mask = slots.length - 1;
    int i = home(h, mask);
    while (slots[i] != h) {
      if (slots[i] == 0) {
        throw new IllegalStateException("hash " + hash + " is not in the filter");
      }
      i = (i + 1) & mask;
    }
    int hole = i;
    for (int j = (i + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
      int home = home(slots[j], mask);
      if (AddressIndex.fillsHole(hole, j, home)) {
        slots[hole] = slots[j];
        hole = j;
      }
    }
    slots[hole] = 0;
    size--;
  }

  int size() {
    return size;
  }

  void clear() {
    java.util.Arrays.fill(slots, 0);
    size = 0;
  }

  private void insert(int h) {
    int mask = slots.length - 1;
    int i = home(h, mask);
    while (slots[i] != 0) {
      i = (i + 1) & mask;
    }
    slots[i] = h;
  }

  private void grow() {
    int[] old = slots;
    slots = new int[old.length * 2];
    for (int h : old) {
      if (h != 0) {
        insert(h);
      }
    }
  }

  /** 0 marks an empty slot, so a hash of 0 is kept as 1 (the set answers for the rare collision). */
  private static int stored(int hash) {
    return hash == 0 ? 1 : hash;
  }

  private static int home(int h, int mask) {
    return (h * 0x9E37_79B9 >>> 7) & mask;
  }
}

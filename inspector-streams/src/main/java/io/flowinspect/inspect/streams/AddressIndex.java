package io.flowinspect.inspect.streams;

/**
 * An open-addressing hash index from a 32-bit key hash to a block address, for
 * {@link PackedConnections}: one long per slot, the hash in the high half (so that most probes
 * compare no key bytes) and the address in 8-byte units, plus one, in the low half (zero is an
 * empty slot; addresses up to 32 GiB). Linear probing; deletion by backward shift, so there are no
 * tombstones and probe runs stay as short as the load allows. Callers compare keys themselves:
 * {@link #slotOf} walks one probe run.
 *
 * <p>Not thread-safe.
 */
final class AddressIndex {
  static final int MIN_SLOTS = 1 << 10;

  private long[] slots;
  private int size;

  /** An index of {@code length} slots, a power of two (0 for one that holds nothing). */
  AddressIndex(int length) {
    slots = new long[length];
  }

  int size() {
    return size;
  }

  int length() {
    return slots.length;
  }

  long bytes() {
    return (long) slots.length * Long.BYTES;
  }

  /** Whether one more entry would load the index past 75 %. */
  boolean full() {
    return size + 1 > slots.length - (slots.length >>> 2);
  }

  /** The first slot of {@code hash}'s probe run. */
  int home(int hash) {
    return hash & (slots.length - 1);
  }

  /** The next slot of a probe run, or -1 at its end (an empty slot). */
  int next(int slot) {
    int j = (slot + 1) & (slots.length - 1);
    return slots[j] == 0 ? -1 : j;
  }

  /** {@code slot} if it holds an entry, else -1: the start of a walk {@code slotOf(home(h))}, {@code next(...)}. */
  int slotOf(int slot) {
    return slots.length == 0 || slots[slot] == 0 ? -1 : slot;
  }

  /** The raw content of a slot (for reads made only to bring it into the CPU's cache). */
  long raw(int slot) {
    return slots[slot];
  }

  boolean occupied(int slot) {
    return slots[slot] != 0;
  }

  int hashAt(int slot) {
    return (int) (slots[slot] >>> 32);
  }

  long addressAt(int slot) {
    return ((slots[slot] & 0xffff_ffffL) - 1) << 3;
  }

  /** Points {@code slot} at another address, keeping its hash (the entry moved). */
  void setAddressAt(int slot, long address) {
    slots[slot] = (slots[slot] & 0xffff_ffff_0000_0000L) | ((address >>> 3) + 1);
  }

  void insert(int hash, long address) {
    int mask = slots.length - 1;
    int i = hash & mask;
    while (slots[i] != 0) {
      i = (i + 1) & mask;
    }
    slots[i] = (long) hash << 32 | ((address >>> 3) + 1);
    size++;
  }

  /** Empties {@code slot}, moving back the later entries of its probe run that may fill it. */
  void removeAt(int slot) {
    int mask = slots.length - 1;
    int hole = slot;
    for (int j = (slot + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
      int home = (int) (slots[j] >>> 32) & mask;
      if (fillsHole(hole, j, home)) {
        slots[hole] = slots[j];
        hole = j;
      }
    }
    slots[hole] = 0;
    size--;
  }

  /**
   * Linear probing's backward shift: whether the entry at {@code slot}, whose probe run starts at
   * {@code home}, may move back into the empty {@code hole} before it (its run then still reaches
   * it), the table wrapping around. Shared with {@link HashFilter}.
   */
  static boolean fillsHole(int hole, int slot, int home) {
    return hole <= slot ? (home <= hole || home > slot) : (home <= hole && home > slot);
  }

  /** Doubles the slots, reinserting every entry. */
  void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    size = 0;
    for (long s : old) {
      if (s != 0) {
        insert((int) (s >>> 32), ((s & 0xffff_ffffL) - 1) << 3);
      }
    }
  }
}

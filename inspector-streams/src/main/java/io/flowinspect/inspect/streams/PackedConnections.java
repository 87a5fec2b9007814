package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.ConnectionTable;
import java.util.Arrays;

/**
 * Connections kept in memory as their stored bytes, behind the decoded cache, for tables far
 * larger than it can hold: a million connections as objects take ~650 MB of heap and keep the
 * collector busy; here, as bytes in a few large arrays that the collector never traces, ~130 MB.
 *
 * <p>Layout. Entries live in blocks of a {@link BlockArena} (16-byte size classes carved from
 * chunks of up to 16 MiB, reused by later entries of their class, never compacted), laid out as
 * {@link PackedEntry} says: a header of flags and lengths, the key, the value. An {@link AddressIndex} (open addressing over longs) maps a key's hash to its
 * block. The chunks and
 * the index stay within the budget; when they are full, an entry takes a free block of a larger
 * class before anything is pushed out, and the table starts over when its free space has become
 * unusable (see {@link #allocate}). The list of changed entries, 8 bytes per change since the last
 * commit, comes on top.
 *
 * <p>Flags follow the decoded cache's slots: changed since the last commit, perhaps in the store
 * below, and absent (a removal the store below has yet to learn). Changed entries are listed by
 * address for the commit. A listed block may be freed and reused before the commit: the commit
 * reads it as it then is, so what is written is only ever what is changed at that moment.
 *
 * <p>Keys are found through their {@link PackedKeyForm}: hashed and compared with the stored bytes as
 * they are, so that a lookup encodes nothing.
 *
 * <p>Not thread-safe: one per task, used by its stream thread.
 */
final class PackedConnections<K> {
  /** To be written to the store below at the next commit. */
  static final int CHANGED = 1;
  /** The store below may hold the key, so a removal must be written there. */
  static final int STORED = 1 << 1;
  /** No value: the connection is gone, and the store below may still have it. */
  static final int ABSENT = 1 << 2;
  private static final int LISTED = 1 << 3;
  /** Added since the eviction hand last passed: spared once. */
  private static final int RECENT = 1 << 4;
  private static final int FREE = BlockArena.FREE;
  /**
   * Changed since it was last written, but quietly (no transition: see
   * {@link io.flowinspect.inspect.engine.Conn#transitionSignature}): written when it leaves the
   * table or by {@link #drainQuiet}, not at commits.
   */
  static final int QUIET = 1 << 6;

  /** Larger entries are not packed (the caller writes them below instead). */
  static final int MAX_ENTRY = 1024;
  static final long MIN_INDEX_BYTES = AddressIndex.MIN_SLOTS * (long) Long.BYTES;
  /** Addresses are kept in 32 bits of 8-byte units. */
  static final long MAX_BUDGET = 16L << 30;

  /** An entry taken out of the table: its value ({@code null} if absent) and flags. */
  record Taken(byte[] value, int flags) {
    boolean changed() {
      return (flags & CHANGED) != 0;
    }

    boolean stored() {
      return (flags & STORED) != 0;
    }
  }

  /** Receives the changed entries that leave, to write them below ({@code value == null}: a removal). */
  interface Writer {
    void write(byte[] key, byte[] value);
  }

  /** Reads a value where it lies: {@code length} bytes of {@code data} from {@code from}. */
  interface ValueReader<T> {
    T read(byte[] data, int from, int length);
  }

  /** Packed memory keyed by bytes (tests, benchmarks). */
  static PackedConnections<byte[]> ofBytes(long budgetBytes) {
    return new PackedConnections<>(budgetBytes, PackedKeyForm.BYTES);
  }

  private final long budgetBytes;
  private final PackedKeyForm<K> keys;
  private final BlockArena arena;
  /** A budget too small for an index and one chunk packs nothing (and holds nothing). */
  private final boolean disabled;
  private AddressIndex index;
  private int hand;
  private long[] listed = new long[1024];
  private int listedCount;
  private int changedCount;
  private boolean storedLeft;
  private long startedOver;
  private long frees;
  /** Entries pushed out for one that needs a block before giving up on packing it. */
  static final int MAX_EVICTIONS_PER_ADD = 16;

  PackedConnections(long budgetBytes, PackedKeyForm<K> keys) {
    this.keys = keys;
    if (budgetBytes < 0 || budgetBytes > MAX_BUDGET) {
      throw new IllegalArgumentException("packed connections need a budget from 0 to 16 GiB: " + budgetBytes);
    }
    this.budgetBytes = budgetBytes;
    // Chunks of 16 MiB, or an eighth of a small budget (at least 4 KiB).
    int chunkShift = Math.max(12, Math.min(24, 63 - Long.numberOfLeadingZeros(Math.max(1, budgetBytes / 8))));
    this.arena = new BlockArena(chunkShift, MAX_ENTRY);
    this.disabled = budgetBytes < MIN_INDEX_BYTES + arena.chunkSize();
    this.index = new AddressIndex(disabled ? 0 : AddressIndex.MIN_SLOTS);
  }

  int size() {
    return index.size();
  }

  /** Bytes held: the chunks (entries, free blocks, the unused end) and the index. */
  long bytes() {
    return arena.chunkBytes() + indexBytes();
  }

  private long indexBytes() {
    return index.bytes();
  }

  int changed() {
    return changedCount;
  }

  /** Removes and returns the entry of {@code key}, or null if there is none. */
  Taken take(K key) {
    int i = slotOf(key);
    if (i < 0) {
      return null;
    }
    long address = index.addressAt(i);
    Taken t = new Taken(valueAt(address), flagsAt(address) & (CHANGED | STORED | ABSENT | QUIET));
    index.removeAt(i);
    free(address);
    return t;
  }

  /**
   * The address of {@code key}'s entry, or -1 if there is none; the entry stays. The address is
   * good for {@link #flags}, {@link #value} and {@link #replace} for as long as {@link #frees}
   * does not change.
   */
  long find(K key) {
    int i = slotOf(key);
    return i < 0 ? -1 : index.addressAt(i);
  }

  /** The flags ({@link #CHANGED}, {@link #STORED}, {@link #ABSENT}, {@link #QUIET}) at {@code address}. */
  int flags(long address) {
    return flagsAt(address) & (CHANGED | STORED | ABSENT | QUIET);
  }

  /** The value of the entry at {@code address}, null if it is absent. */
  byte[] value(long address) {
    return valueAt(address);
  }

  /** The value of the present entry at {@code address}, read where it lies by {@code reader}. */
  <T> T readValue(long address, ValueReader<T> reader) {
    byte[] chunk = arena.chunkOf(address);
    int at = arena.offsetOf(address);
    return reader.read(chunk, PackedEntry.valueFrom(chunk, at), PackedEntry.valueLength(chunk, at));
  }

  /**
   * Writes {@code value} over the value of the entry at {@code address} (from {@link #find}), in
   * the entry's block if it fits there, else in a larger free block the entry moves to (then
   * {@link #frees} changes); the entry is then changed (and present). False if there is no such
   * block, and nothing is changed: the caller takes the entry out instead. This is how a
   * connection that sees a packet now and then is updated in packed memory, without leaving the
   * table and pushing another one in.
   */
  boolean replace(long address, byte[] value) {
    return replace(address, value, value.length, CHANGED);
  }

  /** {@link #replace(long, byte[])} with the first {@code length} bytes of {@code value}. */
  boolean replace(long address, byte[] value, int length) {
    return replace(address, value, length, CHANGED);
  }

  /**
   * Like {@link #replace}, for a change that keeps the connection where it was persisted: the entry
   * is {@link #QUIET} (written when it leaves, or by {@link #drainQuiet}), not changed, unless it
   * already was.
   */
  boolean replaceQuietly(long address, byte[] value, int length) {
    return replace(address, value, length, QUIET);
  }

  private boolean replace(long address, byte[] value, int length, int how) {
    byte[] chunk = arena.chunkOf(address);
    int at = arena.offsetOf(address);
    int needed = PackedEntry.length(PackedEntry.keyLength(chunk, at), length);
    if (needed > arena.blockSize(address)) {
      address = moved(address, BlockArena.blockFor(needed));
      if (address < 0) {
        return false;
      }
      chunk = arena.chunkOf(address);
      at = arena.offsetOf(address);
    }
    PackedEntry.writeValue(chunk, at, value, length);
    marked(address, chunk, at, how);
    return true;
  }

  /**
   * Lets {@code update} change the value of the present entry at {@code address} where it lies
   * (its length stays); if it does, the entry is then {@link #CHANGED}, or {@link #QUIET} when
   * {@code quietly} (as {@link #replace} and {@link #replaceQuietly}). False if the update declined.
   */
  boolean updateInPlace(long address, ConnectionTable.InPlaceUpdate update, boolean quietly) {
    byte[] chunk = arena.chunkOf(address);
    int at = arena.offsetOf(address);
    if (!update.apply(chunk, PackedEntry.valueFrom(chunk, at), PackedEntry.valueLength(chunk, at))) {
      return false;
    }
    marked(address, chunk, at, quietly ? QUIET : CHANGED);
    return true;
  }

  /** Marks the entry at {@code address}, whose value was just written, changed in the way {@code how} says. */
  private void marked(long address, byte[] chunk, int at, int how) {
    int f = PackedEntry.flags(chunk, at);
    if ((how & CHANGED) != 0 && (f & CHANGED) == 0) {
      changedCount++;
    }
    PackedEntry.setFlags(chunk, at, (f & ~ABSENT) | how | RECENT);
    if ((how & CHANGED) != 0 && (f & LISTED) == 0) {
      list(address);
    }
  }

  /**
   * Moves the entry at {@code address}, whose value has outgrown its block, into a free block of at
   * least {@code block} bytes, if one is free without pushing an entry out; returns its new
   * address, or -1 (nothing changed). A connection's value grows by a byte or two now and then (a
   * counter or a time needs one more byte): moving it here costs a copy, where leaving the table
   * would move it into the decoded cache and push that cache's oldest connection out.
   */
  private long moved(long address, int block) {
    if (block > MAX_ENTRY) {
      return -1;
    }
    long to = freeBlock(block);
    if (to < 0) {
      return -1;
    }
    int slot = slotOfAddress(address);
    int f = flagsAt(address);
    PackedEntry.copy(arena.chunkOf(address), arena.offsetOf(address), arena.chunkOf(to), arena.offsetOf(to));
    setFlags(to, f & ~LISTED);
    index.setAddressAt(slot, to);
    free(address); // counts a changed entry out, and the old address in the list of changes is skipped
    if ((f & CHANGED) != 0) {
      changedCount++;
      list(to);
    }
    return to;
  }

  /**
   * Reads, for each of the first {@code count} keys, the first index slot of its probe run, and
   * then every cache line of the entry its key's hash points to, acting on neither: loads that
   * depend on nothing before them, so that the cache misses of a batch's lookups are waited for
   * together rather than one after the other. The second pass walks each probe run (its slots are
   * in the cache by then) to the slot holding the key's hash: the home slot holds another key's
   * entry for a good part of the keys (linear probing at the index's load), and reading that
   * entry would bring in a line the lookup never reads. {@code hashes} is the caller's scratch
   * array. Returns a value made of what was read, for the caller to keep (so that the compiler
   * does not drop the reads).
   */
  long touch(K[] batch, int count, int[] hashes) {
    if (disabled) {
      return 0;
    }
    long sum = 0;
    for (int n = 0; n < count; n++) {
      int hash = hash(batch[n]);
      hashes[n] = hash;
      sum += index.raw(index.home(hash));
    }
    for (int n = 0; n < count; n++) {
      int hash = hashes[n];
      for (int i = index.slotOf(index.home(hash)); i >= 0; i = index.next(i)) {
        if (index.hashAt(i) == hash) {
          long address = index.addressAt(i);
          byte[] chunk = arena.chunkOf(address);
          int at = arena.offsetOf(address);
          int end = chunk.length - 1;
          // Every line an entry in the fixed layout may span (an in-place segment reads and writes
          // most of it); a read past the entry's block is harmless.
          sum += chunk[at] + chunk[Math.min(at + 64, end)] + chunk[Math.min(at + 128, end)]
              + chunk[Math.min(at + 176, end)];
          break;
        }
      }
    }
    return sum;
  }

  /** Blocks freed so far: an address from {@link #find} is good while this stays the same. */
  long frees() {
    return frees;
  }

  /** The index slot of {@code key}'s entry, or -1. */
  private int slotOf(K key) {
    if (disabled) {
      return -1;
    }
    int hash = hash(key);
    for (int i = index.slotOf(index.home(hash)); i >= 0; i = index.next(i)) {
      if (index.hashAt(i) == hash && keyEquals(index.addressAt(i), key)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Adds the entry of a key that is not in the table. When the budget is reached, entries leave
   * first, the changed ones through {@code writer}. False if the entry is not packed: too large,
   * a budget too small, or no block for it after {@link #MAX_EVICTIONS_PER_ADD} entries left (the
   * caller then writes it below itself).
   */
  boolean add(K key, byte[] value, int flags, Writer writer) {
    return add(key, keys.encode(key), value, flags, writer);
  }

  /** {@link #add(Object, byte[], int, Writer)} of a key whose bytes the caller has already. */
  boolean add(K key, byte[] encodedKey, byte[] value, int flags, Writer writer) {
    int length = PackedEntry.length(encodedKey.length, value == null ? 0 : value.length);
    if (disabled || length > MAX_ENTRY || encodedKey.length > 255) {
      return false;
    }
    int block = BlockArena.blockFor(length);
    if (block + indexBytes() > budgetBytes) {
      return false;
    }
    if (index.full()) {
      if (arena.chunkBytes() + 2 * indexBytes() <= budgetBytes) {
        index.grow();
        hand = 0;
      } else {
        evictOne(writer);
      }
    }
    long address = allocate(block, writer);
    if (address < 0) {
      return false;
    }
    int f = (flags & (CHANGED | STORED | QUIET)) | (value == null ? ABSENT : 0) | RECENT;
    PackedEntry.write(arena.chunkOf(address), arena.offsetOf(address), f, encodedKey, value);
    index.insert(hash(key), address);
    if ((f & CHANGED) != 0) {
      changedCount++;
      list(address);
    }
    return true;
  }

  /** Hands every changed entry to {@code writer}; after it none is changed, and absent ones are gone. */
  void drainChanged(Writer writer) {
    for (int n = 0; n < listedCount; n++) {
      long address = listed[n];
      int f = flagsAt(address);
      if ((f & (CHANGED | FREE)) != CHANGED) {
        continue; // taken, pushed out, or its block reused by an entry written already
      }
      writeIfNeeded(f, address, writer);
      changedCount--;
      if ((f & ABSENT) != 0) {
        setFlags(address, f & ~CHANGED);
        remove(address);
      } else {
        setFlags(address, (f & ~(CHANGED | LISTED | QUIET)) | STORED);
      }
    }
    listedCount = 0;
  }

  /**
   * Hands every {@link #QUIET} entry that is not also changed to {@code writer} (call
   * {@link #drainChanged} first for those), by a walk over the whole index; returns how many.
   * After it, none is quiet.
   */
  int drainQuiet(Writer writer) {
    int written = 0;
    for (int i = 0; i < index.length(); i++) {
      if (!index.occupied(i)) {
        continue;
      }
      long address = index.addressAt(i);
      int f = flagsAt(address);
      if ((f & (QUIET | CHANGED)) == QUIET) {
        writer.write(keyAt(address), valueAt(address));
        setFlags(address, (f & ~QUIET) | STORED);
        written++;
      }
    }
    return written;
  }

  /** Whether an entry that the store below holds has left the table since the last call. */
  boolean storedEntryLeft() {
    boolean left = storedLeft;
    storedLeft = false;
    return left;
  }

  /** Forgets everything (the store below is the truth again). */
  void clear() {
    frees++; // every address is gone
    arena.clear();
    index = new AddressIndex(disabled ? 0 : AddressIndex.MIN_SLOTS);
    hand = 0;
    listedCount = 0;
    changedCount = 0;
    storedLeft = false;
  }

  /** Pushes one entry out, by CLOCK over the index; a changed one goes below through {@code writer}. */
  private void evictOne(Writer writer) {
    if (index.size() == 0) {
      throw new IllegalStateException("nothing to push out of an empty table");
    }
    while (true) {
      hand = (hand + 1) & (index.length() - 1);
      if (!index.occupied(hand)) {
        continue;
      }
      long address = index.addressAt(hand);
      int f = flagsAt(address);
      if ((f & RECENT) != 0) {
        setFlags(address, f & ~RECENT);
        continue;
      }
      if ((f & (CHANGED | QUIET)) != 0) {
        writeIfNeeded(f, address, writer); // memory has the only copy of a quiet change
      }
      if ((f & ABSENT) == 0 && (f & (CHANGED | STORED)) != 0) {
        storedLeft = true; // the store below has it now, memory does not
      }
      index.removeAt(hand);
      free(address);
      return;
    }
  }

  /** Writes a changed entry below, unless it is the removal of something that never was there. */
  private void writeIfNeeded(int flags, long address, Writer writer) {
    if ((flags & (ABSENT | STORED)) != ABSENT) {
      writer.write(keyAt(address), valueAt(address));
    }
  }

  private void remove(long address) {
    index.removeAt(slotOfAddress(address));
    free(address);
  }

  /** The index slot that points to the entry at {@code address}. */
  private int slotOfAddress(long address) {
    byte[] chunk = arena.chunkOf(address);
    int at = arena.offsetOf(address);
    int hash = mix(keys.hashOfEncoded(chunk, at + PackedEntry.HEADER, PackedEntry.keyLength(chunk, at)));
    for (int i = index.slotOf(index.home(hash)); i >= 0; i = index.next(i)) {
      if (index.addressAt(i) == address) {
        return i;
      }
    }
    throw new IllegalStateException("a packed connection is missing from the index");
  }

  private void list(long address) {
    if (listedCount == listed.length) {
      if (listedCount >= 2 * changedCount + 1024) {
        compactListed();
      }
      if (listedCount == listed.length) {
        listed = Arrays.copyOf(listed, listed.length * 2);
      }
    }
    setFlags(address, flagsAt(address) | LISTED);
    listed[listedCount++] = address;
  }

  /** Keeps only the listed blocks that hold a changed entry, each once. */
  private void compactListed() {
    int kept = 0;
    for (int n = 0; n < listedCount; n++) {
      long address = listed[n];
      setFlags(address, flagsAt(address) & ~LISTED);
    }
    for (int n = 0; n < listedCount; n++) {
      long address = listed[n];
      int f = flagsAt(address);
      if ((f & (CHANGED | FREE | LISTED)) == CHANGED) {
        setFlags(address, f | LISTED);
        listed[kept++] = address;
      }
    }
    listedCount = kept;
  }

  /**
   * A block of at least {@code block} bytes, its class in its header: a free one of the class, or
   * fresh space while the chunks stay within the budget, or a free one of a larger class, or room
   * made by pushing a few entries out; -1 if none of that gives one.
   *
   * <p>Blocks of a class are only reused for entries of that class or smaller, so free space can
   * sit in classes too small for the entries that now come (connections grow as their history
   * does). Pushing entries out until one of the right size happens to be freed could empty the
   * table for one entry; so at most {@link #MAX_EVICTIONS_PER_ADD} leave, and when more than half
   * of the chunks is free but unusable, the table starts over: every entry leaves (the changed ones
   * written below) and the chunks are carved afresh.
   */
  private long allocate(int block, Writer writer) {
    for (int evicted = 0; ; evicted++) {
      long address = freeBlock(block);
      if (address >= 0) {
        return address;
      }
      if (index.size() == 0 || evicted == MAX_EVICTIONS_PER_ADD) {
        break;
      }
      evictOne(writer);
    }
    if (arena.chunkBytes() - arena.blockBytes() > arena.chunkBytes() / 2) {
      startOver(writer);
      return arena.carve(block);
    }
    return -1;
  }

  /**
   * A block of at least {@code block} bytes without pushing anything out: a free one of the class,
   * fresh space within the budget, or a free one of a larger class; -1 if there is none.
   */
  private long freeBlock(int block) {
    long address = arena.reuseExact(block);
    if (address >= 0) {
      return address;
    }
    if (arena.canCarve(block, indexBytes(), budgetBytes)) {
      return arena.carve(block);
    }
    return arena.reuseLarger(block);
  }

  /** Every entry leaves (the changed ones through {@code writer}) and the chunks are reused from the start. */
  private void startOver(Writer writer) {
    while (index.size() > 0) {
      evictOne(writer);
    }
    arena.reset();
    listedCount = 0; // every listed entry has left, written
    startedOver++;
  }

  /** How many times fragmentation made the table start over (for tests and metrics). */
  long startedOver() {
    return startedOver;
  }

  private void free(long address) {
    frees++;
    int f = flagsAt(address);
    if ((f & CHANGED) != 0) {
      changedCount--;
    }
    arena.free(address);
  }

  private boolean keyEquals(long address, K key) {
    byte[] chunk = arena.chunkOf(address);
    int at = arena.offsetOf(address);
    return keys.matches(key, chunk, at + PackedEntry.HEADER, PackedEntry.keyLength(chunk, at));
  }

  private byte[] keyAt(long address) {
    return PackedEntry.key(arena.chunkOf(address), arena.offsetOf(address));
  }

  /** The value, or null if the entry is absent. */
  private byte[] valueAt(long address) {
    return (flagsAt(address) & ABSENT) != 0 ? null : PackedEntry.value(arena.chunkOf(address), arena.offsetOf(address));
  }

  private int flagsAt(long address) {
    return PackedEntry.flags(arena.chunkOf(address), arena.offsetOf(address));
  }

  private void setFlags(long address, int flags) {
    PackedEntry.setFlags(arena.chunkOf(address), arena.offsetOf(address), flags);
  }

  private int hash(K key) {
    return mix(keys.hash(key));
  }

  private static int mix(int hash) {
    int h = hash;
    h ^= h >>> 16; // murmur3's finalizer: the low bits pick the slot
    h *= 0x85eb_ca6b;
    h ^= h >>> 13;
    h *= 0xc2b2_ae35;
    return h ^ (h >>> 16);
  }
}

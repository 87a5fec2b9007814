package io.flowinspect.inspect.streams;

import java.util.Arrays;

/**
 * The memory of {@link PackedConnections}: blocks of 16-byte size classes carved from byte-array
 * chunks and reused through a free list per class, so that nothing is ever moved or compacted. A
 * block is addressed by a long: chunk number in the high bits, offset in the low ones.
 *
 * <p>What the arena keeps in a block: byte 4 holds its size class, for as long as it exists; a
 * free block holds {@link #FREE} in byte 0 and, in bytes 8 to 15, the address of the next free
 * block of its class. Everything else belongs to the caller.
 *
 * <p>Not thread-safe.
 */
final class BlockArena {
  static final int CLASS_BYTES = 16;
  /** Byte 0 of a free block. */
  static final int FREE = 1 << 5;
  private static final int CLASS_AT = 4;
  private static final int NEXT_AT = 8;

  private final int chunkShift;
  private final int chunkSize;
  private byte[][] chunks = new byte[0][];
  /** Where the next fresh block goes: a chunk (== chunks.length before the first) and an offset in it. */
  private int topChunk;
  private int topOffset;
  private final long[] freeBlocks;
  private long blockBytes;

  /** Chunks of {@code 1 << chunkShift} bytes; blocks of at most {@code maxBlock} bytes. */
  BlockArena(int chunkShift, int maxBlock) {
    this.chunkShift = chunkShift;
    this.chunkSize = 1 << chunkShift;
    this.freeBlocks = new long[maxBlock / CLASS_BYTES + 1];
    Arrays.fill(freeBlocks, -1);
  }

  /** Bytes of the chunks, used or not. */
  long chunkBytes() {
    return (long) chunks.length * chunkSize;
  }

  int chunkSize() {
    return chunkSize;
  }

  /** Bytes of the blocks in use. */
  long blockBytes() {
    return blockBytes;
  }

  /** The block size that holds {@code length} bytes. */
  static int blockFor(int length) {
    return (length + CLASS_BYTES - 1) / CLASS_BYTES * CLASS_BYTES;
  }

  /** A free block of exactly this size, or -1. */
  long reuseExact(int block) {
    return reuse(block / CLASS_BYTES);
  }

  /** A free block larger than this size (the smallest such), or -1. */
  long reuseLarger(int block) {
    for (int larger = block / CLASS_BYTES + 1; larger < freeBlocks.length; larger++) {
      long address = reuse(larger);
      if (address >= 0) {
        return address;
      }
    }
    return -1;
  }

  /**
   * Whether a fresh block can be carved: at the top, in a chunk after it (after a {@link #reset}),
   * or in a new chunk that keeps the chunks and {@code otherBytes} within {@code budget}.
   */
  boolean canCarve(int block, long otherBytes, long budget) {
    return roomAtTop(block) || topChunk + 1 < chunks.length || chunkBytes() + chunkSize + otherBytes <= budget;
  }

  /** A fresh block; call when {@link #canCarve} says so. */
  long carve(int block) {
    if (!roomAtTop(block)) {
      if (topChunk < chunks.length) {
        topChunk++; // the rest of the current chunk is too short: left unused
      }
      if (topChunk >= chunks.length) {
        chunks = Arrays.copyOf(chunks, chunks.length + 1);
        chunks[chunks.length - 1] = new byte[chunkSize];
        topChunk = chunks.length - 1;
      }
      topOffset = 0;
    }
    long address = (long) topChunk << chunkShift | topOffset;
    topOffset += block;
    chunkOf(address)[offsetOf(address) + CLASS_AT] = (byte) (block / CLASS_BYTES);
    blockBytes += block;
    return address;
  }

  /** The size of the block at {@code address}, in use. */
  int blockSize(long address) {
    return (chunkOf(address)[offsetOf(address) + CLASS_AT] & 0xff) * CLASS_BYTES;
  }

  /** Returns a block to its class's free list. */
  void free(long address) {
    byte[] chunk = chunkOf(address);
    int at = offsetOf(address);
    int sizeClass = chunk[at + CLASS_AT] & 0xff;
    chunk[at] = (byte) FREE;
    writeLong(chunk, at + NEXT_AT, freeBlocks[sizeClass]);
    freeBlocks[sizeClass] = address;
    blockBytes -= (long) sizeClass * CLASS_BYTES;
  }

  /** Forgets every block but keeps the chunks, to be carved again from the first. */
  void reset() {
    Arrays.fill(freeBlocks, -1);
    blockBytes = 0;
    topChunk = 0;
    topOffset = 0;
  }

  /** Forgets every block and lets the chunks go. */
  void clear() {
    reset();
    chunks = new byte[0][];
  }

  byte[] chunkOf(long address) {
    return chunks[(int) (address >>> chunkShift)];
  }

  int offsetOf(long address) {
    return (int) (address & (chunkSize - 1));
  }

  private boolean roomAtTop(int block) {
    return topChunk < chunks.length && topOffset + block <= chunkSize;
  }

  private long reuse(int sizeClass) {
    long address = freeBlocks[sizeClass];
    if (address >= 0) {
      freeBlocks[sizeClass] = readLong(chunkOf(address), offsetOf(address) + NEXT_AT);
      blockBytes += (long) sizeClass * CLASS_BYTES;
    }
    return address;
  }

  private static long readLong(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (b[at + i] & 0xff);
    }
    return v;
  }

  private static void writeLong(byte[] b, int at, long v) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }
}

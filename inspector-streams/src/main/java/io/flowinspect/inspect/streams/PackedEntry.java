package io.flowinspect.inspect.streams;

import java.util.Arrays;

/**
 * The byte layout of one entry of {@link PackedConnections}, at an offset in a chunk of its
 * {@link BlockArena}: a 5-byte header, then the key, then the value.
 * <ul>
 *   <li>byte 0: flags ({@link PackedConnections#CHANGED} and the others; the arena's
 *       {@link BlockArena#FREE} once the block is freed);</li>
 *   <li>byte 1: the key's length;</li>
 *   <li>bytes 2 and 3: the value's length in the low ten bits, under the epoch of the entry's last
 *       touch in the high four (0: never touched; see {@link PackedConnections#TOUCHED});</li>
 *   <li>byte 4: the arena's size class (the arena's, not written here).</li>
 * </ul>
 */
final class PackedEntry {
  static final int HEADER = 5;
  private static final int EPOCH_SHIFT = 4;

  private PackedEntry() {}

  /** Writes a whole entry, never touched; {@code value == null} writes none (an absent entry). */
  static void write(byte[] chunk, int at, int flags, byte[] key, byte[] value) {
    int valueLength = value == null ? 0 : value.length;
    chunk[at] = (byte) flags;
    chunk[at + 1] = (byte) key.length;
    writeValueLength(chunk, at, valueLength, 0);
    System.arraycopy(key, 0, chunk, at + HEADER, key.length);
    if (value != null) {
      System.arraycopy(value, 0, chunk, at + HEADER + key.length, valueLength);
    }
  }

  /** The bytes an entry of this key and value takes, header included. */
  static int length(int keyLength, int valueLength) {
    return HEADER + keyLength + valueLength;
  }

  /** Writes a new value over the entry's, touched in {@code epoch}; the caller has checked that it fits the block. */
  static void writeValue(byte[] chunk, int at, byte[] value, int epoch) {
    System.arraycopy(value, 0, chunk, at + HEADER + keyLength(chunk, at), value.length);
    writeValueLength(chunk, at, value.length, epoch);
  }

  static int flags(byte[] chunk, int at) {
    return chunk[at] & 0xff;
  }

  static void setFlags(byte[] chunk, int at, int flags) {
    chunk[at] = (byte) flags;
  }

  static int keyLength(byte[] chunk, int at) {
    return chunk[at + 1] & 0xff;
  }

  /** The epoch of the entry's last touch (0: never touched). */
  static int epoch(byte[] chunk, int at) {
    return (chunk[at + 2] & 0xff) >>> EPOCH_SHIFT;
  }

  static boolean keyEquals(byte[] chunk, int at, byte[] key) {
    return keyLength(chunk, at) == key.length
        && Arrays.equals(chunk, at + HEADER, at + HEADER + key.length, key, 0, key.length);
  }

  static byte[] key(byte[] chunk, int at) {
    return Arrays.copyOfRange(chunk, at + HEADER, at + HEADER + keyLength(chunk, at));
  }

  /** A copy of the value's bytes (empty for an absent entry). */
  static byte[] value(byte[] chunk, int at) {
    int from = at + HEADER + keyLength(chunk, at);
    int length = (chunk[at + 2] & 0x03) << 8 | (chunk[at + 3] & 0xff);
    return Arrays.copyOfRange(chunk, from, from + length);
  }

  private static void writeValueLength(byte[] chunk, int at, int valueLength, int epoch) {
    chunk[at + 2] = (byte) (epoch << EPOCH_SHIFT | valueLength >>> 8);
    chunk[at + 3] = (byte) valueLength;
  }
}

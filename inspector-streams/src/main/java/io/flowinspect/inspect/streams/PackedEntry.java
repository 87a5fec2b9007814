package io.flowinspect.inspect.streams;

import java.util.Arrays;

/**
 * The byte layout of one entry of {@link PackedConnections}, at an offset in a chunk of its
 * {@link BlockArena}: a 5-byte header, then the key, then the value.
 * <ul>
 *   <li>byte 0: flags ({@link PackedConnections#CHANGED} and the others; the arena's
 *       {@link BlockArena#FREE} once the block is freed);</li>
 *   <li>byte 1: the key's length;</li>
 *   <li>bytes 2 and 3: the value's length (ten bits);</li>
 *   <li>byte 4: the arena's size class (the arena's, not written here).</li>
 * </ul>
 */
final class PackedEntry {
  static final int HEADER = 5;

  private PackedEntry() {}

  /** Writes a whole entry; {@code value == null} writes none (an absent entry). */
  static void write(byte[] chunk, int at, int flags, byte[] key, byte[] value) {
    int valueLength = value == null ? 0 : value.length;
    chunk[at] = (byte) flags;
    chunk[at + 1] = (byte) key.length;
    writeValueLength(chunk, at, valueLength);
    System.arraycopy(key, 0, chunk, at + HEADER, key.length);
    if (value != null) {
      System.arraycopy(value, 0, chunk, at + HEADER + key.length, valueLength);
    }
  }

  /** The bytes an entry of this key and value takes, header included. */
  static int length(int keyLength, int valueLength) {
    return HEADER + keyLength + valueLength;
  }

  /** Writes the first {@code length} bytes of {@code value} over the entry's value; the caller has checked that they fit the block. */
  static void writeValue(byte[] chunk, int at, byte[] value, int length) {
    System.arraycopy(value, 0, chunk, at + HEADER + keyLength(chunk, at), length);
    writeValueLength(chunk, at, length);
  }

  /** Copies the entry at {@code at} to {@code toAt}: bytes 0 to 3 of the header, the key and the value (byte 4 is the destination block's own). */
  static void copy(byte[] chunk, int at, byte[] to, int toAt) {
    System.arraycopy(chunk, at, to, toAt, 4);
    System.arraycopy(chunk, at + HEADER, to, toAt + HEADER, keyLength(chunk, at) + valueLength(chunk, at));
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

  static byte[] key(byte[] chunk, int at) {
    return Arrays.copyOfRange(chunk, at + HEADER, at + HEADER + keyLength(chunk, at));
  }

  /** A copy of the value's bytes (empty for an absent entry). */
  static byte[] value(byte[] chunk, int at) {
    int from = valueFrom(chunk, at);
    return Arrays.copyOfRange(chunk, from, from + valueLength(chunk, at));
  }

  /** Where the value starts in the chunk. */
  static int valueFrom(byte[] chunk, int at) {
    return at + HEADER + keyLength(chunk, at);
  }

  static int valueLength(byte[] chunk, int at) {
    return (chunk[at + 2] & 0x03) << 8 | (chunk[at + 3] & 0xff);
  }

  private static void writeValueLength(byte[] chunk, int at, int valueLength) {
    chunk[at + 2] = (byte) (valueLength >>> 8);
    chunk[at + 3] = (byte) valueLength;
  }
}

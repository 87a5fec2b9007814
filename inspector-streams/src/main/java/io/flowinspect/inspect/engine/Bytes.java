package io.flowinspect.inspect.engine;

import java.util.Arrays;

/** A growable byte buffer with the few encodings the state codecs need: big-endian and varints. */
final class Bytes {
  private byte[] buf;
  private int pos;
  /** Where reading stops: the end of the array, or of the slice being read. */
  private int limit;
  /** Where the slice being read starts (0 for a whole array), for error messages. */
  private int start;

  Bytes(int capacity) {
    buf = new byte[capacity];
    limit = capacity;
  }

  private Bytes(byte[] data, int from, int length) {
    buf = data;
    pos = from;
    start = from;
    limit = from + length;
  }

  static Bytes reading(byte[] data) {
    return new Bytes(data, 0, data.length);
  }

  /** Reads {@code length} bytes of {@code data} from {@code from}, without copying them. */
  static Bytes reading(byte[] data, int from, int length) {
    if (from < 0 || length < 0 || from + length > data.length) {
      throw new IllegalArgumentException("slice " + from + "+" + length + " outside " + data.length + " bytes");
    }
    return new Bytes(data, from, length);
  }

  byte[] toArray() {
    return Arrays.copyOf(buf, pos);
  }

  /** The array written so far (its first {@link #position} bytes), for a caller that copies them out itself. */
  byte[] array() {
    return buf;
  }

  /** Starts writing again from the first byte, keeping the array. */
  void rewind() {
    pos = 0;
  }

  /** Leaves the next {@code n} bytes to be written later, straight into {@link #array}. */
  void skip(int n) {
    ensure(n);
    pos += n;
  }

  int position() {
    return pos;
  }

  void u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
  }

  void i32(int v) {
    ensure(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  void i64(long v) {
    i32((int) (v >>> 32));
    i32((int) v);
  }

  /** Unsigned LEB128: small counters take one or two bytes. */
  void varLong(long v) {
    ensure(10);
    while ((v & ~0x7fL) != 0) {
      buf[pos++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  /** ZigZag then LEB128, for values that may be negative. */
  void zigzag(long v) {
    varLong(zigzagValue(v));
  }

  long zigzagValue(long v) {
    return (v << 1) ^ (v >> 63);
  }

  static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  /**
   * A time difference in the coarsest unit that keeps it exact (ms, µs or ns, in the two low
   * bits): timeouts are whole milliseconds and many captures tick in microseconds, so most
   * differences shrink by one to three bytes, and none loses a nanosecond.
   */
  void nanos(long v) {
    long z = zigzagValue(v);
    if (v % 1_000_000 == 0) {
      varLong(zigzagValue(v / 1_000_000) << 2 | 2);
    } else if (v % 1_000 == 0) {
      varLong(zigzagValue(v / 1_000) << 2 | 1);
    } else {
      varLong(z << 2);
    }
  }

  long nanos() {
    long raw = varLong();
    long value = unzigzag(raw >>> 2);
    return switch ((int) (raw & 3)) {
      case 2 -> value * 1_000_000;
      case 1 -> value * 1_000;
      default -> value;
    };
  }

  void string(String s) {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    varLong(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  /** The big-endian int at {@code at} of {@code data}, read in place. */
  static int i32At(byte[] data, int at) {
    return (data[at] & 0xff) << 24 | (data[at + 1] & 0xff) << 16 | (data[at + 2] & 0xff) << 8 | (data[at + 3] & 0xff);
  }

  static long i64At(byte[] data, int at) {
    return (i32At(data, at) & 0xffff_ffffL) << 32 | (i32At(data, at + 4) & 0xffff_ffffL);
  }

  int u8() {
    need(1);
    return buf[pos++] & 0xff;
  }

  int i32() {
    need(4);
    int v = i32At(buf, pos);
    pos += 4;
    return v;
  }

  long i64() {
    return (i32() & 0xffff_ffffL) << 32 | (i32() & 0xffff_ffffL);
  }

  long varLong() {
    // Most stored varints are one or two bytes: read those without a bounds check per byte.
    if (pos + 1 < limit) {
      int b0 = buf[pos];
      if (b0 >= 0) {
        pos++;
        return b0;
      }
      int b1 = buf[pos + 1];
      if (b1 >= 0) {
        pos += 2;
        return (b0 & 0x7f) | (long) b1 << 7;
      }
    }
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = u8();
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes at " + (pos - start));
  }

  long zigzag() {
    return unzigzag(varLong());
  }

  String string() {
    int n = (int) varLong();
    need(n);
    String s = new String(buf, pos, n, java.nio.charset.StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
      limit = buf.length;
    }
  }

  private void need(int n) {
    if (n < 0 || pos + n > limit) {
      throw new IllegalArgumentException("truncated: need " + n + " bytes at " + (pos - start) + " of " + (limit - start));
    }
  }
}

package io.flowinspect.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable, growable byte buffer with the Avro binary encodings of primitives (Avro
 * specification, "Binary Encoding"): zig-zag variable-length ints and longs, booleans,
 * length-prefixed bytes and UTF-8 strings. The hand-written writers of the hot topics (the agent's
 * packets, the inspector's verdicts) use it to produce, without Avro objects in between, the bytes
 * {@link AvroSerde} would (after its {@link AvroSerde#header()}); each keeps a test that holds
 * it to that.
 */
public final class ByteSink {
  private byte[] buf;
  private int size;

  public ByteSink(int capacity) {
    buf = new byte[capacity];
  }

  public int size() {
    return size;
  }

  public void clear() {
    size = 0;
  }

  public void writeInt(int v) {
    writeLong(v);
  }

  public void writeLong(long v) {
    ensure(10);
    long z = (v << 1) ^ (v >> 63);
    while ((z & ~0x7fL) != 0) {
      buf[size++] = (byte) ((z & 0x7f) | 0x80);
      z >>>= 7;
    }
    buf[size++] = (byte) z;
  }

  public void writeBoolean(boolean v) {
    ensure(1);
    buf[size++] = (byte) (v ? 1 : 0);
  }

  public void writeBytes(byte[] b, int offset, int length) {
    writeLong(length);
    writeRaw(b, offset, length);
  }

  /** A string: its UTF-8 length, then its UTF-8 bytes (short ASCII ones without an intermediate array). */
  public void writeString(String s) {
    int n = s.length();
    if (n <= 63) { // the zig-zag length then takes one byte
      ensure(n + 1);
      int start = size + 1;
      int i = 0;
      while (i < n && s.charAt(i) < 0x80) {
        buf[start + i] = (byte) s.charAt(i);
        i++;
      }
      if (i == n) {
        buf[size] = (byte) (n << 1);
        size = start + n;
        return;
      }
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    writeBytes(utf8, 0, utf8.length);
  }

  /** {@code v} as four bytes, most significant first (network order, as an IPv4 address). */
  public void writeRawInt(int v) {
    ensure(4);
    buf[size++] = (byte) (v >>> 24);
    buf[size++] = (byte) (v >>> 16);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
  }

  public void writeRaw(byte[] b, int offset, int length) {
    ensure(length);
    System.arraycopy(b, offset, buf, size, length);
    size += length;
  }

  public void writeTo(ByteSink other) {
    other.writeRaw(buf, 0, size);
  }

  public byte[] toArray() {
    return Arrays.copyOf(buf, size);
  }

  private void ensure(int n) {
    if (size + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }
  }
}

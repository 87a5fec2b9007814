package io.flowinspect.capture.publish;

import java.util.Arrays;

/**
 * A reusable, growable byte buffer with the Avro binary encodings of the primitives the packet
 * records use (Avro specification, "Binary Encoding"): zig-zag variable-length ints and longs,
 * and length-prefixed bytes.
 */
final class ByteSink {
  private byte[] buf;
  private int size;

  ByteSink(int capacity) {
    buf = new byte[capacity];
  }

  int size() {
    return size;
  }

  void clear() {
    size = 0;
  }

  void writeInt(int v) {
    writeLong(v);
  }

  void writeLong(long v) {
    ensure(10);
    long z = (v << 1) ^ (v >> 63);
    while ((z & ~0x7fL) != 0) {
      buf[size++] = (byte) ((z & 0x7f) | 0x80);
      z >>>= 7;
    }
    buf[size++] = (byte) z;
  }

  void writeBytes(byte[] b, int offset, int length) {
    writeLong(length);
    writeRaw(b, offset, length);
  }

  void writeRaw(byte[] b, int offset, int length) {
    ensure(length);
    System.arraycopy(b, offset, buf, size, length);
    size += length;
  }

  void writeTo(ByteSink other) {
    other.writeRaw(buf, 0, size);
  }

  byte[] toArray() {
    return Arrays.copyOf(buf, size);
  }

  private void ensure(int n) {
    if (size + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }
  }
}

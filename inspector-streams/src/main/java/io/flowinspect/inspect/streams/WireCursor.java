package io.flowinspect.inspect.streams;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads Avro's binary encoding (zig-zag varints, length-prefixed bytes) from an array, checking
 * every read against the end: a record cut short or carrying an impossible length fails with the
 * byte offset at fault, never with an index error or a huge allocation.
 */
final class WireCursor {
  private final byte[] data;
  private int pos;

  WireCursor(byte[] data, int offset) {
    this.data = data;
    this.pos = offset;
  }

  int position() {
    return pos;
  }

  byte[] data() {
    return data;
  }

  int readInt() {
    int raw = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = next();
      raw |= (b & 0x7f) << shift;
      if (b < 0x80) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw malformed("an int longer than 5 bytes");
  }

  long readLong() {
    long raw = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      long b = next();
      raw |= (b & 0x7f) << shift;
      if (b < 0x80) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw malformed("a long longer than 10 bytes");
  }

  /** The length of a bytes or string field, checked against what is left; the cursor moves past it. */
  int readBytesStart() {
    long length = readLong();
    if (length < 0 || length > data.length - pos) {
      throw malformed("a length of " + length + " with " + (data.length - pos) + " bytes left");
    }
    int start = pos;
    pos += (int) length;
    return start;
  }

  String readString() {
    int start = readBytesStart();
    return new String(data, start, pos - start, StandardCharsets.UTF_8);
  }

  /** The number of items in the next block of an array (Avro may write a block's byte size after a negative count). */
  long readBlockCount() {
    long count = readLong();
    if (count < 0) {
      readLong();
      count = -count;
      if (count < 0) {
        throw malformed("an array block count of " + Long.MIN_VALUE);
      }
    }
    if (count > data.length - pos) { // every item takes at least one byte
      throw malformed("an array block of " + count + " items with " + (data.length - pos) + " bytes left");
    }
    return count;
  }

  SerializationException malformed(String what) {
    return new SerializationException("malformed packet batch: " + what + " at byte " + pos);
  }

  private int next() {
    if (pos >= data.length) {
      throw malformed("the record ends early");
    }
    return data[pos++] & 0xff;
  }
}

package io.flowinspect.synth;

/** The Internet checksum (RFC 1071), for writing frames that any receiver accepts. */
final class Checksum {
  private Checksum() {}

  static long sum(byte[] b, int offset, int length) {
    long s = 0;
    int i = offset;
    int end = offset + length;
    for (; i + 1 < end; i += 2) {
      s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
    if (i < end) {
      s += (b[i] & 0xff) << 8;
    }
    return s;
  }

  static int fold(long s) {
    while ((s >>> 16) != 0) {
      s = (s & 0xffff) + (s >>> 16);
    }
    return (int) (~s & 0xffff);
  }
}

package io.flowinspect.capture.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The one's-complement sum of RFC 1071. Data whose sum (checksum field included) folds to 0xffff
 * is intact. Words are added 32 bits at a time into a long: since 2^16 = 1 (mod 2^16 - 1), the
 * fold of a sum of 32-bit words equals the fold of the sum of their 16-bit halves (RFC 1071 §2(B)).
 */
final class InternetChecksum {
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private InternetChecksum() {}

  /** Unfolded sum of {@code length} bytes; an odd last byte is padded with a zero byte. */
  static long sum(byte[] b, int offset, int length) {
    long sum = 0;
    int i = offset;
    int end = offset + length;
    for (int last = end - 4; i <= last; i += 4) {
      sum += Integer.toUnsignedLong((int) INT_BE.get(b, i));
    }
    if (end - i >= 2) {
      sum += Bytes.u16(b, i);
      i += 2;
    }
    if (i < end) sum += (b[i] & 0xff) << 8;
    return sum;
  }

  /** The 16-bit one's-complement value of an unfolded sum. */
  static int fold(long sum) {
    while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
    return (int) sum;
  }

  static boolean intact(long sum) {
    return fold(sum) == 0xffff;
  }
}

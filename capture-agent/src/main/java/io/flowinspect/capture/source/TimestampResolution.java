package io.flowinspect.capture.source;

/**
 * The unit of a pcapng interface's timestamps (option if_tsresol, draft-ietf-opsawg-pcapng,
 * Interface Description Block): 10^-n seconds, or 2^-n when the high bit of the option's byte is
 * set, n from 0 to 127. Converts a timestamp, an unsigned 64-bit count of units, to nanoseconds,
 * rounding down, exactly for every n.
 */
final class TimestampResolution {
  /** The unit when an interface has no if_tsresol option. */
  static final TimestampResolution MICROSECONDS = of((byte) 6);

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final int BINARY = 0x80;
  private static final int EXPONENT = 0x7f;

  private enum Kind { MULTIPLY, DIVIDE, ZERO, BINARY }

  private final int option;
  private final Kind kind;
  /** MULTIPLY: nanoseconds per unit; DIVIDE: units per nanosecond (unsigned); BINARY: n. */
  private final long factor;

  private TimestampResolution(int option, Kind kind, long factor) {
    this.option = option;
    this.kind = kind;
    this.factor = factor;
  }

  /** The if_tsresol byte as the file holds it. */
  static TimestampResolution of(byte option) {
    int value = option & 0xff;
    int n = value & EXPONENT;
    if ((value & BINARY) != 0) return new TimestampResolution(value, Kind.BINARY, n);
    if (n <= 9) return new TimestampResolution(value, Kind.MULTIPLY, powerOfTen(9 - n));
    // 10^19 exceeds a long but not 64 unsigned bits; from 10^20 on, no 64-bit count reaches 1 ns.
    if (n - 9 <= 19) return new TimestampResolution(value, Kind.DIVIDE, powerOfTen(n - 9));
    return new TimestampResolution(value, Kind.ZERO, 0);
  }

  /**
   * Nanoseconds in {@code units} (unsigned) of this resolution, rounded down.
   *
   * @throws ArithmeticException when they exceed a long (after the year 2262)
   */
  long nanos(long units) {
    return switch (kind) {
      case MULTIPLY -> {
        if (units < 0) throw new ArithmeticException("long overflow");
        yield Math.multiplyExact(units, factor);
      }
      case DIVIDE -> Long.divideUnsigned(units, factor);
      case ZERO -> 0;
      case BINARY -> binary(units, (int) factor);
    };
  }

  /** units * 10^9 / 2^n, through the 128-bit product because units * 10^9 overflows 64 bits. */
  private static long binary(long units, int n) {
    // Math.multiplyHigh is signed; adding 10^9 when units has its top bit set makes it unsigned.
    long high = Math.multiplyHigh(units, NANOS_PER_SECOND) + ((units >> 63) & NANOS_PER_SECOND);
    long low = units * NANOS_PER_SECOND;
    if (n >= 64) return high >>> (n - 64);
    if (n == 0) {
      if (high != 0 || low < 0) throw new ArithmeticException("long overflow");
      return low;
    }
    long nanos = (high << (64 - n)) | (low >>> n);
    if ((high >>> n) != 0 || nanos < 0) throw new ArithmeticException("long overflow");
    return nanos;
  }

  private static long powerOfTen(int n) {
    long value = 1;
    for (int i = 0; i < n; i++) value *= 10; // wraps at 10^19 to its unsigned 64-bit value, as wanted
    return value;
  }

  @Override
  public String toString() {
    return ((option & BINARY) != 0 ? "2^-" : "10^-") + (option & EXPONENT) + " s";
  }
}

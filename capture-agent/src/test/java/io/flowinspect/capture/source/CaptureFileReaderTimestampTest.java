package io.flowinspect.capture.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** pcapng timestamps in every if_tsresol unit become exact nanoseconds, rounded down, or overflow. */
class CaptureFileReaderTimestampTest {
  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** units × 10^9 / unitsPerSecond, rounded down, computed without any overflow. */
  private static BigInteger exact(long units, int option) {
    int n = option & 0x7f;
    BigInteger perSecond = (option & 0x80) != 0 ? BigInteger.TWO.pow(n) : BigInteger.TEN.pow(n);
    return new BigInteger(Long.toUnsignedString(units)).multiply(NANOS_PER_SECOND).divide(perSecond);
  }

  private static List<Long> samples() {
    List<Long> units = new ArrayList<>(List.of(0L, 1L, 2L, 999L, 1000L, 999_999_999L, 1_000_000_000L,
        Long.MAX_VALUE, Long.MIN_VALUE, -1L, 1_700_000_000_123_456_789L, 9_223_372_036L, 9_223_372_037L));
    for (int shift = 0; shift < 64; shift++) {
      units.add(1L << shift);
      units.add((1L << shift) - 1);
    }
    Random random = new Random(7);
    for (int i = 0; i < 300; i++) units.add(random.nextLong() >>> random.nextInt(64));
    return units;
  }

  @Test
  void everyResolutionConvertsExactlyOrOverflows() {
    for (int option = 0; option < 256; option++) {
      TimestampResolution resolution = TimestampResolution.of((byte) option);
      for (long units : samples()) {
        BigInteger expected = exact(units, option);
        if (expected.compareTo(LONG_MAX) > 0) {
          assertThatThrownBy(() -> resolution.nanos(units))
              .as("%s units of %s", Long.toUnsignedString(units), resolution).isInstanceOf(ArithmeticException.class);
        } else {
          assertThat(resolution.nanos(units)).as("%s units of %s", Long.toUnsignedString(units), resolution)
              .isEqualTo(expected.longValueExact());
        }
      }
    }
  }

  @Test
  void theDefaultUnitIsTheMicrosecond() {
    assertThat(TimestampResolution.MICROSECONDS.nanos(1_700_000_000_000_001L)).isEqualTo(1_700_000_000_000_001_000L);
    assertThat(TimestampResolution.MICROSECONDS).hasToString("10^-6 s");
    assertThat(TimestampResolution.of((byte) 0x94)).hasToString("2^-20 s");
  }
}

package io.flowinspect.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Latency percentiles by nearest rank, in milliseconds, from sorted nanosecond samples. */
class VerdictLatencyTest {
  private static final long MS = 1_000_000L;

  /** 1 ms, 2 ms, ... 100 ms. */
  private static final long[] ONE_TO_HUNDRED_MS = LongStream.rangeClosed(1, 100).map(i -> i * MS).toArray();

  @Test
  void medianOfOneToAHundredMillisecondsIsFifty() {
    assertThat(VerdictLatency.percentileMillis(ONE_TO_HUNDRED_MS, 0.50)).isEqualTo(50.0);
  }

  @Test
  void ninetyNinthPercentileOfOneToAHundredMillisecondsIsNinetyNine() {
    assertThat(VerdictLatency.percentileMillis(ONE_TO_HUNDRED_MS, 0.99)).isEqualTo(99.0);
  }

  @Test
  void wholeFractionIsTheMaximum() {
    assertThat(VerdictLatency.percentileMillis(ONE_TO_HUNDRED_MS, 1.0)).isEqualTo(100.0);
  }

  @Test
  void zeroFractionIsTheMinimum() {
    assertThat(VerdictLatency.percentileMillis(ONE_TO_HUNDRED_MS, 0.0)).isEqualTo(1.0);
  }

  @Test
  void percentileIsAlwaysOneOfTheSamplesByNearestRank() {
    long[] sorted = {3 * MS, 7 * MS, 20 * MS, 400 * MS};

    // rank = ceil(fraction × 4): 0.5 → 2nd, 0.51 → 3rd, 0.99 → 4th, 0.25 → 1st
    assertThat(VerdictLatency.percentileMillis(sorted, 0.50)).isEqualTo(7.0);
    assertThat(VerdictLatency.percentileMillis(sorted, 0.51)).isEqualTo(20.0);
    assertThat(VerdictLatency.percentileMillis(sorted, 0.99)).isEqualTo(400.0);
    assertThat(VerdictLatency.percentileMillis(sorted, 0.25)).isEqualTo(3.0);
  }

  @Test
  void nanosecondsBecomeFractionalMilliseconds() {
    long[] sorted = {1_500_000L, 2_250_000L};

    assertThat(VerdictLatency.percentileMillis(sorted, 0.5)).isCloseTo(1.5, within(1e-12));
    assertThat(VerdictLatency.percentileMillis(sorted, 1.0)).isCloseTo(2.25, within(1e-12));
  }

  @Test
  void singleSampleIsEveryPercentile() {
    long[] one = {42 * MS};

    assertThat(VerdictLatency.percentileMillis(one, 0.0)).isEqualTo(42.0);
    assertThat(VerdictLatency.percentileMillis(one, 0.5)).isEqualTo(42.0);
    assertThat(VerdictLatency.percentileMillis(one, 0.99)).isEqualTo(42.0);
    assertThat(VerdictLatency.percentileMillis(one, 1.0)).isEqualTo(42.0);
  }

  @Test
  void noSamplesIsNotANumberRatherThanZero() {
    assertThat(VerdictLatency.percentileMillis(new long[0], 0.5)).isNaN();
    assertThat(VerdictLatency.percentileMillis(new long[0], 0.99)).isNaN();
    assertThat(VerdictLatency.percentileMillis(new long[0], 1.0)).isNaN();
  }

  @Test
  void ninetyNinthPercentileOfAThousandSamplesIgnoresTheTenSlowest() {
    long[] sorted = new long[1000];
    for (int i = 0; i < 990; i++) {
      sorted[i] = 2 * MS;
    }
    for (int i = 990; i < 1000; i++) {
      sorted[i] = 500 * MS;
    }

    assertThat(VerdictLatency.percentileMillis(sorted, 0.99)).isEqualTo(2.0);
    assertThat(VerdictLatency.percentileMillis(sorted, 0.991)).isEqualTo(500.0);
    assertThat(VerdictLatency.percentileMillis(sorted, 1.0)).isEqualTo(500.0);
  }
}

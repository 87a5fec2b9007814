package io.flowinspect.capture.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How {@link CaptureStats} folds libpcap's 32-bit readings into 64-bit totals. */
class LiveStatsTest {
  @Test
  void aReadingBecomesTheTotals() {
    assertThat(CaptureStats.NONE.advancedTo(10, 2, 1)).isEqualTo(new CaptureStats(10, 2, 1));
  }

  @Test
  void aRepeatedReadingChangesNothing() {
    CaptureStats stats = CaptureStats.NONE.advancedTo(10, 2, 1);
    assertThat(stats.advancedTo(10, 2, 1)).isEqualTo(stats);
  }

  @Test
  void totalsKeepCountingPastLibpcapsThirtyTwoBitWrap() {
    CaptureStats nearTheTop = CaptureStats.NONE.advancedTo(0xFFFF_FFF0L, 0xFFFF_FFFFL, 0);
    CaptureStats wrapped = nearTheTop.advancedTo(0x10, 0x5, 0);
    CaptureStats wrappedTwice = wrapped.advancedTo(0x20, 0x5, 0)
        .advancedTo(0xFFFF_FFFFL, 0x5, 0).advancedTo(0x1, 0x5, 0);

    assertThat(wrapped).isEqualTo(new CaptureStats(0x1_0000_0010L, 0x1_0000_0005L, 0));
    assertThat(wrappedTwice.received()).isEqualTo(0x2_0000_0001L);
  }
}

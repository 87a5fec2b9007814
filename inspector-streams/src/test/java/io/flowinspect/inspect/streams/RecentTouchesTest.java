package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecentTouchesTest {
  @Test
  void aKeyLookedUpAgainAtOnceIsBusyAndAFirstLookupIsNot() {
    RecentTouches recent = new RecentTouches(50_000);

    assertThat(recent.touch(12345)).isFalse();
    assertThat(recent.touch(12345)).isTrue();
    assertThat(recent.touch(0)).as("the hash that marks empty slots works too").isFalse();
    assertThat(recent.touch(0)).isTrue();
    recent.clear();
    assertThat(recent.touch(12345)).isFalse();
  }

  @Test
  void busyMeansLookedUpAgainWithinAboutADecodedCachesWorthOfOtherLookups() {
    int cache = 10_000;
    RecentTouches recent = new RecentTouches(cache);
    SplittableRandom random = new SplittableRandom(7);
    int keys = 2_000;

    assertThat(stillBusy(recent, random, keys, cache / 2)).as("after half a cache's worth").isGreaterThan(keys * 6 / 10);
    assertThat(stillBusy(recent, random, keys, 4 * recent.slots())).as("after four tables' worth").isLessThan(keys / 20);
  }

  /** Touches {@code keys} keys, then {@code others} other ones, then the keys again: how many were busy. */
  private static int stillBusy(RecentTouches recent, SplittableRandom random, int keys, int others) {
    int[] hashes = new int[keys];
    for (int i = 0; i < keys; i++) {
      hashes[i] = random.nextInt();
      recent.touch(hashes[i]);
    }
    for (int i = 0; i < others; i++) {
      recent.touch(random.nextInt());
    }
    int busy = 0;
    for (int h : hashes) {
      busy += recent.touch(h) ? 1 : 0;
    }
    return busy;
  }
}

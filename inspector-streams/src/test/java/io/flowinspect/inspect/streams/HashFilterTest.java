package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HashFilterTest {
  @Test
  void neverDeniesAHashItHoldsAndForgetsOnlyOneOccurrenceAtATime() {
    HashFilter filter = new HashFilter(4); // grows as it fills
    Map<Integer, Integer> model = new HashMap<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int step = 0; step < 200_000; step++) {
      // A small range, so that hashes repeat (two keys, one hash) and probe runs collide.
      int hash = random.nextInt(5_000) - 2_500;
      if (random.nextInt(3) > 0 || !model.containsKey(hash)) {
        filter.add(hash);
        model.merge(hash, 1, Integer::sum);
      } else {
        filter.remove(hash);
        model.computeIfPresent(hash, (k, n) -> n == 1 ? null : n - 1);
      }
      if (step % 1_000 == 0) {
        for (int h = -2_500; h < 2_500; h++) {
          // 0 and 1 share a slot value: the filter may say "maybe" for one when it holds the other.
          boolean expected = model.containsKey(h) || (h <= 1 && h >= 0 && (model.containsKey(0) || model.containsKey(1)));
          assertThat(filter.mayContain(h)).as("hash %d at step %d", h, step).isEqualTo(expected);
        }
      }
    }
    assertThat(filter.size()).isEqualTo(model.values().stream().mapToInt(Integer::intValue).sum());
  }

  @Test
  void removingAHashItDoesNotHoldIsABug() {
    HashFilter filter = new HashFilter(16);
    filter.add(7);

    assertThatThrownBy(() -> filter.remove(8)).isInstanceOf(IllegalStateException.class);
  }
}

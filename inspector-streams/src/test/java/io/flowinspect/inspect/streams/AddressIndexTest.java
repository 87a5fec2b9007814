package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressIndexTest {

  /** The addresses in {@code hash}'s probe run with that hash. */
  private static List<Long> find(AddressIndex index, int hash) {
    List<Long> found = new ArrayList<>();
    for (int i = index.slotOf(index.home(hash)); i >= 0; i = index.next(i)) {
      if (index.hashAt(i) == hash) {
        found.add(index.addressAt(i));
      }
    }
    return found;
  }

  @Test
  void removingTheHeadOfAProbeRunKeepsTheRestOfItReachable() {
    AddressIndex index = new AddressIndex(AddressIndex.MIN_SLOTS);
    int length = index.length();
    index.insert(5, 16);
    index.insert(5 + length, 32); // same home slot, next in the run
    index.insert(6, 48); // home taken by the second: further along
    index.insert(5 + 2 * length, 64);

    index.removeAt(index.home(5));

    assertThat(find(index, 5)).isEmpty();
    assertThat(find(index, 5 + length)).containsExactly(32L);
    assertThat(find(index, 6)).containsExactly(48L);
    assertThat(find(index, 5 + 2 * length)).containsExactly(64L);
    assertThat(index.size()).isEqualTo(3);
  }

  @Test
  void aRunThatWrapsPastTheEndSurvivesRemovalsAndGrowth() {
    AddressIndex index = new AddressIndex(AddressIndex.MIN_SLOTS);
    int last = index.length() - 1;
    for (int k = 0; k < 5; k++) {
      index.insert(last + k * index.length(), 16L * (k + 1)); // all want the last slot: the run wraps to 0..3
    }
    index.removeAt(last);
    index.grow();

    for (int k = 1; k < 5; k++) {
      assertThat(find(index, last + k * AddressIndex.MIN_SLOTS)).as("entry %d", k).containsExactly(16L * (k + 1));
    }
    assertThat(index.length()).isEqualTo(2 * AddressIndex.MIN_SLOTS);
    assertThat(index.size()).isEqualTo(4);
  }

  @Test
  void addressesUpToThirtyTwoGibibytesRoundTrip() {
    AddressIndex index = new AddressIndex(AddressIndex.MIN_SLOTS);
    long highest = (1L << 35) - 16;
    index.insert(7, highest);

    assertThat(find(index, 7)).containsExactly(highest);
  }

  @Test
  void anIndexOfNoSlotsFindsNothing() {
    AddressIndex index = new AddressIndex(0);

    assertThat(index.slotOf(index.home(42))).isEqualTo(-1);
    assertThat(index.bytes()).isZero();
  }
}

package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InputGapsTest {
  private KeyValueStore<Bytes, byte[]> meta;

  @BeforeEach
  void openMetaStore() {
    meta = new RecordingStore("meta", k -> new String(k.get(), StandardCharsets.US_ASCII)).store;
    meta.init(new MockProcessorContext<>().getStateStoreContext(), meta);
  }

  @Test
  void consecutiveRecordsLeaveNoGap() {
    InputGaps gaps = new InputGaps(meta);
    for (long offset = 0; offset < 5; offset++) {
      assertThat(gaps.inspecting(3, offset)).isNull();
    }
  }

  @Test
  void theFirstRecordATaskEverInspectsLeavesNoGapWhereverItStarts() {
    assertThat(new InputGaps(meta).inspecting(0, 1_000)).isNull();
  }

  @Test
  void aRecordPastTheNextOffsetReportsTheOffsetsInBetween() {
    InputGaps gaps = new InputGaps(meta);
    gaps.inspecting(2, 10);
    gaps.inspecting(2, 11);
    InputGaps.Gap gap = gaps.inspecting(2, 50);
    assertThat(gap).isEqualTo(new InputGaps.Gap(2, 12, 50));
    assertThat(gap.records()).isEqualTo(38);
    assertThat(gaps.inspecting(2, 51)).as("reported once").isNull();
  }

  @Test
  void aRestartComparesItsFirstRecordWithTheOffsetStoredByTheRunBeforeIt() {
    InputGaps before = new InputGaps(meta);
    before.inspecting(0, 0);
    before.inspecting(0, 1);
    InputGaps after = new InputGaps(meta); // the meta store is what the changelog restores
    assertThat(after.inspecting(0, 7)).isEqualTo(new InputGaps.Gap(0, 2, 7));
  }

  @Test
  void recordsReadAgainAfterACrashAreNoGap() {
    InputGaps gaps = new InputGaps(meta);
    for (long offset = 0; offset < 10; offset++) {
      gaps.inspecting(0, offset);
    }
    InputGaps restarted = new InputGaps(meta); // at-least-once: from the committed offset, before the stored one
    assertThat(restarted.inspecting(0, 6)).isNull();
    assertThat(restarted.inspecting(0, 7)).isNull();
  }
}

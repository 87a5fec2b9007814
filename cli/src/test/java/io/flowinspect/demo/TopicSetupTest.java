package io.flowinspect.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowinspect.demo.TopicSetup.TopicSpec;
import io.flowinspect.schemas.Topics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSetupTest {
  @Test
  void topicsFedWithCaptureTimeAreBoundedBySizeAndTheVerdictTableIsCompacted() {
    List<TopicSpec> plan = TopicSetup.plan(Topics.withPrefix("p"), 6, 1L << 20);

    assertThat(plan).extracting(TopicSpec::name).containsExactly("p.packets", "p.verdicts", "p.alerts", "p.flows", "p.dlq");
    assertThat(plan).extracting(TopicSpec::partitions).containsExactly(6, 6, 6, 6, 1);
    assertThat(plan.get(0).configs()).isEqualTo(Map.of("retention.ms", "-1", "retention.bytes", "1048576"));
    assertThat(plan.get(1).configs()).isEqualTo(Map.of("cleanup.policy", "compact"));
  }

  @Test
  void aThrowAwayBrokerMayKeepEverythingButNoTopicKeepsNothing() {
    assertThat(TopicSetup.plan(Topics.withPrefix("p"), 1, TopicSetup.UNBOUNDED).get(0).configs())
        .containsEntry("retention.bytes", "-1");
    assertThatThrownBy(() -> TopicSetup.plan(Topics.withPrefix("p"), 1, 0)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> TopicSetup.plan(Topics.withPrefix("p"), 0, 1)).hasMessageContaining("partitions");
  }
}

package io.flowinspect.demo;

import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.schemas.Topics;
import java.util.Map;

/** Creates flowinspect's topics with the configuration each one needs. */
public final class TopicSetup {
  /**
   * Records carry capture time, not the time they were written: a replay of last month's capture
   * writes records a month old, and the broker's default retention (7 days, judged by the newest
   * record timestamp of a segment) would delete them at its next check, before anyone reads them.
   * So the topics fed with capture time are bounded by size instead, per partition.
   */
  public static final Map<String, String> SIZE_RETENTION = Map.of(
      "retention.ms", "-1",
      "retention.bytes", Long.toString(1L << 30));

  private TopicSetup() {}

  public static void create(EmbeddedKafka kafka, Topics topics, int partitions) {
    kafka.createTopic(topics.packets().name(), partitions, SIZE_RETENTION);
    // The verdict topic is a table: an enforcer needs the latest decision per connection, and a
    // tombstone removes an ended connection for good.
    kafka.createTopic(topics.verdicts().name(), partitions, Map.of("cleanup.policy", "compact"));
    kafka.createTopic(topics.alerts().name(), partitions, SIZE_RETENTION);
    kafka.createTopic(topics.flows().name(), partitions, SIZE_RETENTION);
    kafka.createTopic(topics.deadLetters().name(), 1, SIZE_RETENTION);
  }
}

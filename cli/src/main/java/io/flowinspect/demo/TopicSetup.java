package io.flowinspect.demo;

import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.schemas.Topics;
import java.util.Map;

/** Creates flowinspect's topics with the configuration each one needs. */
public final class TopicSetup {
  private TopicSetup() {}

  public static void create(EmbeddedKafka kafka, Topics topics, int partitions) {
    kafka.createTopic(topics.packets().name(), partitions, Map.of());
    // The verdict topic is a table: an enforcer needs the latest decision per connection, and a
    // tombstone removes an ended connection for good.
    kafka.createTopic(topics.verdicts().name(), partitions, Map.of("cleanup.policy", "compact"));
    kafka.createTopic(topics.alerts().name(), partitions, Map.of());
    kafka.createTopic(topics.flows().name(), partitions, Map.of());
    kafka.createTopic(topics.deadLetters().name(), 1, Map.of());
  }
}

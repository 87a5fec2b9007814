package io.flowinspect.demo;

import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.schemas.Topics;
import java.util.List;
import java.util.Map;

/**
 * flowinspect's topics with the configuration each one needs: created on the embedded broker by
 * the demo, the bench and the {@code broker} command, and on a real cluster by the {@code topics}
 * command.
 */
public final class TopicSetup {
  /** Per partition, for the topics fed with capture time. */
  public static final long DEFAULT_RETENTION_BYTES = 1L << 30;
  /** For {@link #plan}: no size limit either (a throw-away broker whose consumer may lag far behind). */
  public static final long UNBOUNDED = -1;

  /** One topic as flowinspect needs it: the settings in {@code configs} are the ones it relies on. */
  public record TopicSpec(String name, int partitions, Map<String, String> configs) {}

  private TopicSetup() {}

  /**
   * Every topic: packets, verdicts, alerts and flows with {@code partitions} partitions, the
   * dead-letter topic with one (it is rare and read by people). The topics fed with capture time
   * keep {@code retentionBytes} per partition ({@link #UNBOUNDED}: everything).
   */
  public static List<TopicSpec> plan(Topics topics, int partitions, long retentionBytes) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
    }
    if (retentionBytes < 1 && retentionBytes != UNBOUNDED) {
      throw new IllegalArgumentException("retention bytes must be at least 1, not " + retentionBytes);
    }
    Map<String, String> bySize = sizeRetention(retentionBytes);
    return List.of(
        new TopicSpec(topics.packets().name(), partitions, bySize),
        // The verdict topic is a table: an enforcer needs the latest decision per connection, and a
        // tombstone removes an ended connection for good.
        new TopicSpec(topics.verdicts().name(), partitions, Map.of("cleanup.policy", "compact")),
        new TopicSpec(topics.alerts().name(), partitions, bySize),
        new TopicSpec(topics.flows().name(), partitions, bySize),
        new TopicSpec(topics.deadLetters().name(), 1, bySize));
  }

  public static void create(EmbeddedKafka kafka, Topics topics, int partitions) {
    create(kafka, topics, partitions, DEFAULT_RETENTION_BYTES);
  }

  public static void create(EmbeddedKafka kafka, Topics topics, int partitions, long retentionBytes) {
    for (TopicSpec t : plan(topics, partitions, retentionBytes)) {
      kafka.createTopic(t.name(), t.partitions(), t.configs());
    }
  }

  /**
   * The settings of a topic fed with capture time. Records carry capture time, not the time they
   * were written: a replay of last month's capture writes records a month old, and the broker's
   * default retention (7 days, judged by the newest record timestamp of a segment) would delete
   * them at its next check, before anyone reads them. So these topics are bounded by size
   * instead, per partition. A consumer that falls further behind than that loses the oldest
   * records it has not read (Kafka Streams goes on from the oldest offset left).
   */
  public static Map<String, String> sizeRetention(long bytes) {
    return Map.of("retention.ms", "-1", "retention.bytes", Long.toString(bytes));
  }
}

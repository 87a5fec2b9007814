package io.flowinspect.demo;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until a consumer group (here: the inspector's Kafka Streams application) has committed
 * every record of a topic. With at-least-once processing a commit follows the flush of everything
 * produced before it, so the outputs are complete once the inputs are committed.
 */
public final class ConsumerLag {
  private ConsumerLag() {}

  /** Returns true when the group caught up within {@code timeout}. */
  public static boolean awaitCaughtUp(String bootstrapServers, String groupId, String topic, Duration timeout)
      throws InterruptedException {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(p)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (lag(admin, groupId, topic) == 0) {
          return true;
        }
        Thread.sleep(100);
      }
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read offsets of " + groupId + ": " + e.getCause(), e);
    }
  }

  static long lag(Admin admin, String groupId, String topic) throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
    int partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
    for (int i = 0; i < partitions; i++) {
      request.put(new TopicPartition(topic, i), OffsetSpec.latest());
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all().get();
    long lag = 0;
    for (var e : ends.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      lag += e.getValue().offset() - (c == null ? 0 : c.offset());
    }
    return lag;
  }
}

package io.flowinspect.demo;

import io.flowinspect.inspect.streams.StreamsProperties;
import io.flowinspect.schemas.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams settings for tests that stop an inspector and start another on the same task:
 * commits every 100 ms, and the shortest session the broker allows, since Kafka Streams does not
 * leave its group on close and the next instance gets the task when the session has timed out.
 */
final class HandoverProperties {
  private HandoverProperties() {}

  static Properties of(String bootstrap, String applicationId, Topics topics, Path stateDir) {
    return StreamsProperties.of(bootstrap, applicationId, topics, Map.of(
        StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100",
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000",
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "1000"));
  }
}

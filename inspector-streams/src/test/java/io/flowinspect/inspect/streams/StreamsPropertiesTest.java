package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowinspect.schemas.Topics;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {

  @Test
  void everyStoreOfTheInspectorSharesTheBoundedRocksDbMemory() {
    Properties p = StreamsProperties.of("localhost:9092", "app", Topics.withPrefix("t"), Map.of());

    assertThat(p.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(BoundedRocksDb.class.getName());
  }

  @Test
  void anEmptyConfigSetterAsksForKafkaStreamsOwnRocksDbSettings() {
    Properties p = StreamsProperties.of("localhost:9092", "app", Topics.withPrefix("t"),
        Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, ""));

    assertThat(p).doesNotContainKey(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG);
  }

  @Test
  void aBadRocksDbSettingFailsBeforeAnythingStartsNamingTheKey() {
    assertThatThrownBy(() -> StreamsProperties.of("localhost:9092", "app", Topics.withPrefix("t"),
        Map.of(BoundedRocksDbSettings.MEMORY_BYTES, "256MB")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(BoundedRocksDbSettings.MEMORY_BYTES)
        .hasMessageContaining("256MB");
  }

  @Test
  void atLeastOnceCommitsEveryFiveSeconds() {
    Properties p = StreamsProperties.of("localhost:9092", "app", Topics.withPrefix("t"), Map.of());

    assertThat(new StreamsConfig(p).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(5_000L);
  }

  @Test
  void exactlyOnceKeepsKafkaStreamsHundredMillisecondCommits() {
    Properties p = StreamsProperties.of("localhost:9092", "app", Topics.withPrefix("t"),
        Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2));

    assertThat(new StreamsConfig(p).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(100L);
  }

  @Test
  void anEnforcerTradesThroughputForVerdictLatencyWithShortCommits() {
    Properties p = StreamsProperties.of("localhost:9092", "app", Topics.withPrefix("t"),
        Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100"));

    assertThat(new StreamsConfig(p).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(100L);
  }

  @Test
  void userOverridesWin() {
    Properties p = StreamsProperties.of("localhost:9092", "app", Topics.withPrefix("t"),
        Map.of(BoundedRocksDbSettings.MEMORY_BYTES, "536870912", StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
            StreamsConfig.EXACTLY_ONCE_V2));

    assertThat(p.get(BoundedRocksDbSettings.MEMORY_BYTES)).isEqualTo("536870912");
    assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
  }
}

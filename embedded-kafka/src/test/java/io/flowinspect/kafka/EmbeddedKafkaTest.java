package io.flowinspect.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedKafkaTest {

  @Test
  void brokerStartsOnLoopbackAndAcceptsProduceAndConsume() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
      kafka.createTopic("packets", 3, Map.of("cleanup.policy", "delete"));

      List<String> sent = new ArrayList<>();
      try (KafkaProducer<String, String> producer = producer(kafka)) {
        for (int i = 0; i < 6; i++) {
          int partition = i % 3;
          RecordMetadata written =
              producer.send(new ProducerRecord<>("packets", partition, "k" + i, "v" + i)).get();
          assertThat(written.partition()).isEqualTo(partition);
          sent.add(partition + ":v" + i);
        }
      }

      assertThat(readAll(kafka, "packets", 3, sent.size())).containsExactlyInAnyOrderElementsOf(sent);
    }
  }

  @Test
  void closeStopsTheChildProcessAndDeletesTheDataDirectory() throws IOException {
    EmbeddedKafka kafka = EmbeddedKafka.start();
    long pid = kafka.pid();
    Path dataDir = kafka.dataDir();
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isPresent();
    assertThat(dataDir).isDirectory();
    assertThat(kafka.logFile()).startsWith(dataDir).isNotEmptyFile();

    kafka.close();

    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(dataDir).doesNotExist();
  }

  @Test
  void twoBrokersCanRunSideBySide() throws Exception {
    try (EmbeddedKafka a = EmbeddedKafka.start(); EmbeddedKafka b = EmbeddedKafka.start()) {
      assertThat(a.bootstrapServers()).isNotEqualTo(b.bootstrapServers());
      assertThat(a.pid()).isNotEqualTo(b.pid());
      assertThat(a.dataDir()).isNotEqualTo(b.dataDir());

      a.createTopic("only-in-a", 1, Map.of());
      b.createTopic("only-in-b", 1, Map.of());

      assertThat(topics(a)).contains("only-in-a").doesNotContain("only-in-b");
      assertThat(topics(b)).contains("only-in-b").doesNotContain("only-in-a");
    }
  }

  @Test
  void startupFailureReportsTheBrokerLog() {
    // Passes formatting (which only parses the config), then fails as the broker loads the class.
    EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults()
        .withBrokerConfig(Map.of("authorizer.class.name", "io.flowinspect.NoSuchAuthorizer"));

    assertThatThrownBy(() -> EmbeddedKafka.start(options))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the broker exited with code 1 while starting")
        .hasMessageContaining("last lines of")
        .hasMessageContaining("ClassNotFoundException: io.flowinspect.NoSuchAuthorizer");
  }

  @Test
  void invalidBrokerConfigFailsAtFormattingWithTheConfigError() {
    EmbeddedKafka.Options options =
        EmbeddedKafka.Options.defaults().withBrokerConfig(Map.of("num.io.threads", "many"));

    assertThatThrownBy(() -> EmbeddedKafka.start(options))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("formatting the broker's storage failed")
        .hasMessageContaining("Invalid value many for configuration num.io.threads");
  }

  @Test
  void optionsRejectTheSettingsThatEmbeddedKafkaOwns() {
    assertThatThrownBy(() -> EmbeddedKafka.Options.defaults()
        .withBrokerConfig(Map.of("listeners", "PLAINTEXT://0.0.0.0:9092")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("brokerConfig may not set listeners: EmbeddedKafka owns it");
    assertThatThrownBy(() -> EmbeddedKafka.Options.defaults().withHeapMegabytes(0))
        .hasMessage("heapMegabytes < 1: 0");
    assertThatThrownBy(() -> EmbeddedKafka.Options.defaults().withStartTimeout(Duration.ZERO))
        .hasMessage("startTimeout <= 0: PT0S");
  }

  @Test
  void createTopicAcceptsAnExistingTopicOnlyWithTheSamePartitionCount() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopic("flows", 2, Map.of());
      kafka.createTopic("flows", 2, Map.of());

      assertThatThrownBy(() -> kafka.createTopic("flows", 4, Map.of()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("topic flows exists with 2 partitions, not 4");
    }
  }

  @Test
  void deletingTopicsByPrefixLeavesTheOthers() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopic("warm-up-packets", 2, Map.of());
      kafka.createTopic("warm-up-app-store-changelog", 1, Map.of("cleanup.policy", "compact"));
      kafka.createTopic("packets", 1, Map.of());
      kafka.createTopic("no-warm-up-packets", 1, Map.of()); // holds the prefix, but not at its start

      assertThat(kafka.deleteTopicsStartingWith("warm-up"))
          .containsExactly("warm-up-app-store-changelog", "warm-up-packets");

      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
            .containsExactlyInAnyOrder("packets", "no-warm-up-packets");
      }
      assertThat(kafka.deleteTopicsStartingWith("warm-up")).isEmpty();
      assertThatThrownBy(() -> kafka.deleteTopicsStartingWith("")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  static KafkaProducer<String, String> producer(EmbeddedKafka kafka) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
        new StringSerializer(), new StringSerializer());
  }

  /** Reads {@code count} records from the start of every partition, as {@code "partition:value"}. */
  static List<String> readAll(EmbeddedKafka kafka, String topic, int partitions, int count) {
    List<TopicPartition> assigned = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      assigned.add(new TopicPartition(topic, p));
    }
    List<String> read = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (read.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          read.add(record.partition() + ":" + record.value());
        }
      }
    }
    return read;
  }

  private static java.util.Set<String> topics(EmbeddedKafka kafka) throws Exception {
    try (Admin admin = Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      return admin.listTopics().names().get();
    }
  }
}

package io.flowinspect.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.publish.PublisherOptions;
import io.flowinspect.inspect.streams.InspectorRunner;
import io.flowinspect.inspect.streams.InspectorSettings;
import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.measure.Trees;
import io.flowinspect.schemas.Alert;
import io.flowinspect.schemas.AlertType;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Packets the broker deletes before the inspector has read them are never inspected; the
 * inspector says so (an alert, a metric, its log) instead of going on silently. Against a real
 * broker, because what is tested is Kafka Streams' own reset past deleted records: the deletion is
 * made as retention makes it, by moving the partition's log start offset (the Admin API's
 * {@code deleteRecords}), while the inspector is stopped.
 */
class UnreadPacketsDeletedTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long SECOND = 1_000_000_000L;
  private static final int SYN = 0x02;

  @Test
  void recordsDeletedBeforeTheInspectorReadThemRaiseAPacketsLostAlert() throws Exception {
    InspectorSettings settings = InspectorSettings.defaults();
    Topics topics = settings.topics();
    TopicPartition packets = new TopicPartition(topics.packets().name(), 0);
    Path state = Files.createTempDirectory("flowinspect-lost");
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.create(kafka, topics, 1);
      Properties streams = HandoverProperties.of(bootstrap, "lost-test", topics, state);
      InspectorRunner first = new InspectorRunner(settings, streams).start(Duration.ofSeconds(60));
      try {
        publishSyns(bootstrap, topics, 1, 5);
        long end = endOffset(admin, packets);
        Await.until(() -> first.connectionsTracked() == 5 && first.recordsProcessed() == end,
            "the first run reads every record so far (its publisher's heartbeats too)");
      } finally {
        first.closeLeavingGroup(); // its last commit stores the offset after the last record it read
      }

      long deletedFrom = endOffset(admin, packets);
      publishSyns(bootstrap, topics, 6, 10); // published while no inspector runs...
      long deletedTo = endOffset(admin, packets);
      admin.deleteRecords(Map.of(packets, RecordsToDelete.beforeOffset(deletedTo))).all().get();
      publishSyns(bootstrap, topics, 11, 11); // ...deleted unread; this one is read

      try (InspectorRunner second = new InspectorRunner(settings, streams).start(Duration.ofSeconds(60))) {
        Await.until(() -> second.connectionsTracked() == 6, "the second run tracks 1 to 5 and 11");
        assertThat(second.inputRecordsLost()).isEqualTo(deletedTo - deletedFrom);
      }
      List<ConsumerRecord<FlowKey, Alert>> alerts = TopicReader.readAll(bootstrap, topics.alerts().name(),
          topics.alerts().keySerde().deserializer(), topics.alerts().valueSerde().deserializer());
      assertThat(alerts).hasSize(1);
      Alert lost = alerts.get(0).value();
      assertThat(lost.getType()).isEqualTo(AlertType.PACKETS_LOST);
      assertThat(lost.getCount()).isEqualTo(deletedTo - deletedFrom);
      assertThat(lost.getMessage()).contains("partition 0 (offsets " + deletedFrom + " to " + (deletedTo - 1) + ")");
      assertThat(alerts.get(0).key()).as("about no connection").isNull();
    } finally {
      Trees.delete(state);
    }
  }

  private static long endOffset(Admin admin, TopicPartition partition) {
    try {
      return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SYNs of clients 10.0.0.n, n from {@code first} to {@code last}, at second n, each flushed to the broker. */
  private static void publishSyns(String bootstrap, Topics topics, int first, int last) {
    try (PacketPublisher publisher = PacketPublisher.connect(bootstrap, topics,
        PublisherOptions.defaults("lost-test"), new Properties())) {
      for (int n = first; n <= last; n++) {
        publisher.publish(ClientsToOneServer.key(n), ClientsToOneServer.tcp(T0 + n * SECOND, false, SYN, 100, 0));
        publisher.flush();
      }
    }
  }
}

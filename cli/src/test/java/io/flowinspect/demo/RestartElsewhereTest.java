package io.flowinspect.demo;

import static io.flowinspect.demo.ClientsToOneServer.key;
import static io.flowinspect.demo.ClientsToOneServer.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.publish.PublisherOptions;
import io.flowinspect.inspect.streams.InspectorRunner;
import io.flowinspect.inspect.streams.InspectorSettings;
import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.measure.Trees;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.FlowRecord;
import io.flowinspect.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * An inspector that starts where none ran before (another instance, a lost disk) gets its
 * connections back from their changelog, and its expiry and unreplied indexes, which have no
 * changelog, from the connections: so the connections of the first instance still time out.
 * Against a real broker, because what is tested is Kafka Streams' restore followed by the
 * inspector's start.
 */
class RestartElsewhereTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long SECOND = 1_000_000_000L;
  private static final int SYN = 0x02;
  private static final int ACK = 0x10;
  private static final int CONNECTIONS = 20;

  @Test
  void connectionsRestoredOnAFreshInstanceStillTimeOut() throws Exception {
    InspectorSettings settings = InspectorSettings.defaults();
    Topics topics = settings.topics();
    Path first = Files.createTempDirectory("flowinspect-restart-a");
    Path second = Files.createTempDirectory("flowinspect-restart-b");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.create(kafka, topics, 1);
      try (InspectorRunner inspector = new InspectorRunner(settings,
          HandoverProperties.of(bootstrap, "restart-test", topics, first))
          .start(Duration.ofSeconds(60))) {
        try (PacketPublisher publisher = publisher(bootstrap, topics)) {
          for (int n = 1; n <= CONNECTIONS; n++) {
            publishOpening(publisher, n, n % 2 == 0); // every other one answered and established
          }
        }
        Await.until(() -> inspector.connectionsTracked() == CONNECTIONS,
            "the first instance tracks every connection");
      } // closed cleanly: its last commit wrote every connection to the changelog
      Trees.delete(first); // and its disk is gone

      try (InspectorRunner inspector = new InspectorRunner(settings,
          HandoverProperties.of(bootstrap, "restart-test", topics, second))
          .start(Duration.ofSeconds(60))) {
        Await.until(() -> inspector.connectionsTracked() == CONNECTIONS, "the restored instance counts them");
        try (PacketPublisher publisher = publisher(bootstrap, topics)) {
          publisher.heartbeat(T0 + 6 * 86_400 * SECOND); // past every timeout, ESTABLISHED's 5 days included
        }
        Await.until(() -> inspector.connectionsTracked() == 0, "every restored connection expires");
      }
      List<ConsumerRecord<FlowKey, FlowRecord>> flows = TopicReader.readAll(bootstrap, topics.flows().name(),
          topics.flows().keySerde().deserializer(), topics.flows().valueSerde().deserializer());
      assertThat(flows).hasSize(CONNECTIONS);
      assertThat(flows).extracting(r -> r.value().getEndReason().name()).containsOnly("TIMEOUT");
      assertThat(flows).extracting(r -> r.value().getConnState().toString())
          .as("the unanswered SYNs and the established ones, half each").containsOnly("S0", "S1")
          .filteredOn("S0"::equals).hasSize(CONNECTIONS / 2);
    } finally {
      Trees.delete(first);
      Trees.delete(second);
    }
  }

  /**
   * With quiet changes on, commits do not write the ACKs that only count; closing cleanly writes
   * them, so an instance that restores the task elsewhere has every packet in its counts.
   */
  @Test
  void quietChangesOfAnInstanceClosedCleanlyAreAllRestoredElsewhere() throws Exception {
    InspectorSettings settings = InspectorSettings.defaults().withQuietChanges(true);
    Topics topics = settings.topics();
    Path first = Files.createTempDirectory("flowinspect-quiet-a");
    Path second = Files.createTempDirectory("flowinspect-quiet-b");
    int extraAcks = 3;
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.create(kafka, topics, 1);
      try (InspectorRunner inspector = new InspectorRunner(settings,
          HandoverProperties.of(bootstrap, "restart-test", topics, first))
          .start(Duration.ofSeconds(60))) {
        try (PacketPublisher publisher = publisher(bootstrap, topics)) {
          for (int n = 1; n <= CONNECTIONS; n++) {
            publishOpening(publisher, n, true);
          }
          publisher.flush();
          Await.until(() -> inspector.packetsInspected() == CONNECTIONS * 3L, "the handshakes are inspected");
          // Commits every 100 ms write the handshakes, so that the ACKs after them change a
          // connection already written, quietly (a change to a connection changed since the last
          // commit is written with it).
          Thread.sleep(1_000);
          for (int n = 1; n <= CONNECTIONS; n++) {
            for (int a = 1; a <= extraAcks; a++) { // established, assured: these change counters and times only
              publisher.publish(key(n), tcp(T0 + 100 * SECOND + a, false, ACK, 101, 901));
            }
          }
        }
        Await.until(() -> inspector.packetsInspected() == CONNECTIONS * (3L + extraAcks),
            "the first instance inspects every packet");
      } // closed cleanly: the quiet changes are written by its last commits
      Trees.delete(first);

      try (InspectorRunner inspector = new InspectorRunner(settings,
          HandoverProperties.of(bootstrap, "restart-test", topics, second))
          .start(Duration.ofSeconds(60))) {
        Await.until(() -> inspector.connectionsTracked() == CONNECTIONS, "the restored instance counts them");
        try (PacketPublisher publisher = publisher(bootstrap, topics)) {
          publisher.heartbeat(T0 + 6 * 86_400 * SECOND);
        }
        Await.until(() -> inspector.connectionsTracked() == 0, "every restored connection expires");
      }
      List<ConsumerRecord<FlowKey, FlowRecord>> flows = TopicReader.readAll(bootstrap, topics.flows().name(),
          topics.flows().keySerde().deserializer(), topics.flows().valueSerde().deserializer());
      assertThat(flows).hasSize(CONNECTIONS);
      assertThat(flows).extracting(r -> r.value().getOrigPackets())
          .as("the handshake's two and every ACK after it").containsOnly(2L + extraAcks);
    } finally {
      Trees.delete(first);
      Trees.delete(second);
    }
  }

  /** Connection {@code n}'s SYN at second n, and when {@code answered} the rest of its handshake. */
  private static void publishOpening(PacketPublisher publisher, int n, boolean answered) {
    long at = T0 + n * SECOND;
    FlowKey key = key(n);
    publisher.publish(key, tcp(at, false, SYN, 100, 0));
    if (answered) {
      publisher.publish(key, tcp(at + 1, true, SYN | ACK, 900, 101));
      publisher.publish(key, tcp(at + 2, false, ACK, 101, 901));
    }
  }

  private static PacketPublisher publisher(String bootstrap, Topics topics) {
    return PacketPublisher.connect(bootstrap, topics, PublisherOptions.defaults("restart-test"), new Properties());
  }
}

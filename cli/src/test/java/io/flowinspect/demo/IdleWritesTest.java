package io.flowinspect.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.publish.PublisherOptions;
import io.flowinspect.inspect.streams.InspectorRunner;
import io.flowinspect.inspect.streams.InspectorSettings;
import io.flowinspect.inspect.streams.StreamsProperties;
import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.measure.Trees;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketHeader;
import io.flowinspect.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * While its stream thread waits for records, the inspector writes changed connections to RocksDB
 * and their changelog ahead of the commit, so that the commit, which stalls every verdict behind
 * it, finds at most a few hundred left. Against a real broker, with commits ten minutes apart so
 * that none comes during the test: what reaches the changelog got there ahead of any commit.
 */
class IdleWritesTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final int CONNECTIONS = 1_000;
  private static final int KEPT_FOR_COMMIT = InspectorSettings.IDLE_WRITES_KEEP_FOR_COMMIT;

  @Test
  void anIdleInspectorWritesItsChangedConnectionsAheadOfTheCommitButForTheLastFew() throws Exception {
    Run run = run(InspectorSettings.defaults(), "idle-writes-on");

    assertThat(run.writtenAhead).isEqualTo(CONNECTIONS - KEPT_FOR_COMMIT);
    assertThat(run.changelogRecords).isEqualTo(CONNECTIONS - KEPT_FOR_COMMIT);
    assertThat(run.committedOffsets).as("no commit came in between").isZero();
  }

  @Test
  void withoutIdleWritesEveryChangeWaitsForTheCommit() throws Exception {
    Run run = run(InspectorSettings.defaults().withIdleWrites(false), "idle-writes-off");

    assertThat(run.writtenAhead).isZero();
    assertThat(run.changelogRecords).isZero();
  }

  private record Run(long writtenAhead, int changelogRecords, int committedOffsets) {}

  /** A thousand new UDP connections in one burst, then two seconds of nothing. */
  private static Run run(InspectorSettings settings, String app) throws Exception {
    Topics topics = settings.topics();
    Path state = Files.createTempDirectory("flowinspect-" + app);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.create(kafka, topics, 1);
      try (InspectorRunner inspector = new InspectorRunner(settings, StreamsProperties.of(bootstrap, app, topics,
          Map.of(StreamsConfig.STATE_DIR_CONFIG, state.toString(), StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "600000")))
          .start(Duration.ofSeconds(60))) {
        try (PacketPublisher publisher = PacketPublisher.connect(bootstrap, topics, PublisherOptions.defaults(app),
            new Properties())) {
          for (int n = 0; n < CONNECTIONS; n++) {
            publisher.publish(key(n), udp(T0 + n * 1_000L));
          }
        }
        Await.until(() -> inspector.connectionsTracked() == CONNECTIONS, "every connection tracked");
        if (settings.idleWrites()) {
          Await.until(() -> inspector.connectionsWrittenAhead() >= CONNECTIONS - KEPT_FOR_COMMIT, "written ahead");
        }
        Thread.sleep(2_000); // idle: anything more that would be written ahead is, by now
        int changelog = TopicReader.readAll(bootstrap, app + "-connections-changelog",
            Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()).size();
        return new Run(inspector.connectionsWrittenAhead(), changelog, committedOffsets(bootstrap, app));
      }
    } finally {
      Trees.delete(state);
    }
  }

  private static int committedOffsets(String bootstrap, String group) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().size();
    }
  }


  /** Client 10.1.x.y, the lower address, to one DNS server. */
  private static FlowKey key(int n) {
    return FlowKey.newBuilder().setZone(0).setProtocol(17)
        .setLowAddress(ByteBuffer.wrap(new byte[] {10, 1, (byte) (n >> 8), (byte) n})).setLowPort(40000)
        .setHighAddress(ByteBuffer.wrap(new byte[] {(byte) 198, 51, 100, 53})).setHighPort(53).build();
  }

  private static PacketHeader udp(long time) {
    return PacketHeader.newBuilder().setTimeNanos(time).setFlags(0).setLength(82).setPayloadLength(40)
        .setTcpFlags(0).setSeq(0).setAck(0).setWindow(0).setTcpOptions(0).setSackEdge(0).setIcmpType(-1)
        .setIcmpCode(0).build();
  }
}

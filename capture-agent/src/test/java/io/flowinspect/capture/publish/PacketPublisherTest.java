package io.flowinspect.capture.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.PacketHeader;
import io.flowinspect.schemas.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The publisher against a real broker: what lands in the packets topic, and what happens when the broker is gone. */
class PacketPublisherTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long MS = 1_000_000L;
  private static EmbeddedKafka kafka;
  private static int topicCount;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void packetsOfOnePartitionShareARecordInCaptureOrderAndNameTheirConnections() {
    Topics topics = freshTopics(1);
    FlowKey a = key(1);
    FlowKey b = key(2);
    try (PacketPublisher p = publisher(topics, PublisherOptions.defaults("t").withBatching(3, Duration.ofMillis(50)))) {
      p.publish(a, packet(T0, 1));
      p.publish(b, packet(T0 + MS, 2));
      p.publish(a, packet(T0 + 2 * MS, 3)); // third packet: the batch is full and goes out
      p.publish(a, packet(T0 + 3 * MS, 4));
      p.publish(a, packet(T0 + 60 * MS, 5)); // 60 ms later: the second batch has lingered long enough
    }

    List<ConsumerRecord<FlowKey, PacketBatch>> data = read(topics).stream()
        .filter(r -> !r.value().getPackets().isEmpty()).toList();
    assertThat(data).extracting(r -> seqs(r.value())).containsExactly(List.of(1, 2, 3), List.of(4), List.of(5));
    ConsumerRecord<FlowKey, PacketBatch> mixed = data.get(0);
    assertThat(mixed.key()).as("a record of several connections has no key of its own").isNull();
    assertThat(mixed.value().getKeys()).containsExactly(a, b);
    assertThat(mixed.value().getPackets()).extracting(PacketHeader::getKeyIndex).containsExactly(0, 1, 0);
    assertThat(mixed.timestamp()).as("first packet's capture time").isEqualTo(T0 / MS);
    ConsumerRecord<FlowKey, PacketBatch> single = data.get(1);
    assertThat(single.key()).as("a record of one connection is keyed by it").isEqualTo(a);
    assertThat(single.value().getKeys()).isEmpty();
  }

  @Test
  void watermarkNeverPassesAPacketStillWaitingInAnotherPartitionsBatch() {
    Topics topics = freshTopics(2);
    FlowKey waiting = keyOnPartition(0, 2);
    FlowKey busy = keyOnPartition(1, 2);
    try (PacketPublisher p = publisher(topics, PublisherOptions.defaults("t").withBatching(2, Duration.ofSeconds(1)))) {
      p.publish(waiting, packet(T0, 1)); // waits in partition 0's batch
      p.publish(busy, packet(T0 + 10 * MS, 2));
      p.publish(busy, packet(T0 + 20 * MS, 3)); // partition 1's batch is full: sent while packet 1 waits
    }

    ConsumerRecord<FlowKey, PacketBatch> first = read(topics).stream().filter(r -> r.partition() == 1).findFirst()
        .orElseThrow();
    assertThat(seqs(first.value())).containsExactly(2, 3);
    assertThat(first.value().getWatermarkNanos()).isLessThan(T0);
  }

  @Test
  void recordsOfAPartitionKeepCaptureOrderAcrossConnections() {
    Topics topics = freshTopics(1);
    FlowKey control = key(21);
    FlowKey data = key(22);
    try (PacketPublisher p = publisher(topics, PublisherOptions.defaults("t").withBatching(2, Duration.ofSeconds(1)))) {
      p.publish(control, packet(T0, 1));
      p.publish(control, packet(T0 + MS, 2)); // e.g. the 227 reply announcing a data connection
      p.publish(data, packet(T0 + 2 * MS, 3)); // the data connection's SYN
    }

    List<Integer> order = read(topics).stream().flatMap(r -> seqs(r.value()).stream()).toList();
    assertThat(order).containsExactly(1, 2, 3);
  }

  @Test
  void heartbeatReachesEveryPartitionAfterTheWaitingBatches() {
    Topics topics = freshTopics(3);
    try (PacketPublisher p = publisher(topics, PublisherOptions.defaults("t").withHeartbeatInterval(Duration.ofSeconds(1)))) {
      p.publish(key(1), packet(T0, 1));
      p.publish(key(2), packet(T0 + 1_500 * MS, 2)); // 1.5 s later: a heartbeat is due first
    }

    List<ConsumerRecord<FlowKey, PacketBatch>> beats = read(topics).stream()
        .filter(r -> r.value().getPackets().isEmpty()).toList();
    assertThat(beats).extracting(ConsumerRecord::partition).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(beats).allSatisfy(r -> {
      assertThat(r.value().getPackets()).isEmpty();
      assertThat(r.value().getWatermarkNanos()).isEqualTo(T0);
    });
  }

  @Test
  void withTheBrokerGoneTheAgentDropsAndCountsInsteadOfGrowingWithoutBound() throws Exception {
    long started = System.nanoTime();
    try (EmbeddedKafka doomed = EmbeddedKafka.start()) {
      Topics topics = Topics.withPrefix("doomed");
      doomed.createTopic(topics.packets().name(), 1, Map.of());
      Properties quick = new Properties();
      quick.put("delivery.timeout.ms", "3000");
      quick.put("request.timeout.ms", "1000");
      quick.put("max.block.ms", "2000");
      PublisherOptions bounded = PublisherOptions.defaults("t").withBatching(1, Duration.ZERO)
          .withBackpressure(Backpressure.DROP, 100);
      PacketPublisher p = PacketPublisher.connect(doomed.bootstrapServers(), topics, bounded, quick);
      doomed.close();

      for (int i = 0; i < 5_000; i++) {
        p.publish(key(i), packet(T0 + i * MS, i));
      }
      PublisherStats during = p.stats();
      p.close(Duration.ofSeconds(3));
      PublisherStats after = p.stats();

      assertThat(during.inFlight()).isLessThanOrEqualTo(100);
      assertThat(during.packetsDropped()).isGreaterThanOrEqualTo(4_900);
      assertThat(after.packetsDropped() + after.packetsFailed() + after.packetsAcked()).isEqualTo(5_000);
      assertThat(after.packetsAcked()).isZero();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("capture never blocked on the dead broker")
        .isLessThan(Duration.ofSeconds(60));
  }

  private static PacketPublisher publisher(Topics topics, PublisherOptions options) {
    return PacketPublisher.connect(kafka.bootstrapServers(), topics, options, new Properties());
  }

  private static Topics freshTopics(int partitions) {
    Topics t = Topics.withPrefix("pub" + (++topicCount));
    kafka.createTopic(t.packets().name(), partitions, Map.of());
    return t;
  }

  private static List<ConsumerRecord<FlowKey, PacketBatch>> read(Topics topics) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    List<ConsumerRecord<FlowKey, PacketBatch>> out = new ArrayList<>();
    try (KafkaConsumer<FlowKey, PacketBatch> consumer = new KafkaConsumer<>(c, topics.packets().keySerde().deserializer(),
        topics.packets().valueSerde().deserializer())) {
      List<TopicPartition> parts = consumer.partitionsFor(topics.packets().name()).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
      }
    }
    return out;
  }

  /** A key whose address pair lands in {@code partition} of {@code partitions}. */
  private static FlowKey keyOnPartition(int partition, int partitions) {
    for (int i = 1; i < 250; i++) {
      FlowKey k = new FlowKey(0, 6, ByteBuffer.wrap(new byte[] {10, 0, 0, 1}), 1000,
          ByteBuffer.wrap(new byte[] {10, 0, 1, (byte) i}), 80);
      if (Partitioning.ADDRESS_PAIR.partition(k, partitions) == partition) {
        return k;
      }
    }
    throw new AssertionError("no address lands in partition " + partition);
  }

  private static FlowKey key(int port) {
    return new FlowKey(0, 6, ByteBuffer.wrap(new byte[] {10, 0, 0, 1}), port,
        ByteBuffer.wrap(new byte[] {10, 0, 0, 2}), 80);
  }

  /** A header whose sequence number identifies it in assertions. */
  private static PacketHeader packet(long time, int id) {
    return PacketHeader.newBuilder().setTimeNanos(time).setFlags(0).setLength(40).setPayloadLength(0)
        .setTcpFlags(0x10).setSeq(id).setAck(0).setWindow(1000).setTcpOptions(0).setSackEdge(0).setIcmpType(-1)
        .setIcmpCode(0).build();
  }

  private static List<Integer> seqs(PacketBatch b) {
    return b.getPackets().stream().map(PacketHeader::getSeq).toList();
  }
}

package io.flowinspect.capture.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.capture.LiveCapture;
import io.flowinspect.capture.LiveStatus;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.publish.PublisherOptions;
import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.PacketFlags;
import io.flowinspect.schemas.PacketHeader;
import io.flowinspect.schemas.Topics;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The capture agent on a live interface, end to end: real traffic from a network namespace the
 * test creates, captured on its veth, decoded, batched and published to a real broker, and read
 * back from the packets topic.
 */
class LiveCaptureToKafkaTest {
  static {
    SharedCaptures.quietPcap4j();
  }

  private static final int TCP = 6;
  private static final int UDP = 17;
  private static final int ICMP = 1;

  /** One packet read back from the topic, with the connection it was published under. */
  private record Published(FlowKey key, PacketHeader header) {
    boolean from(byte[] address) {
      boolean fromHigh = (header.getFlags() & PacketFlags.FROM_HIGH) != 0;
      return bytes(fromHigh ? key.getHighAddress() : key.getLowAddress()).equals(ByteBuffer.wrap(address));
    }
  }

  @Test
  void trafficFromANamespaceReachesThePacketsTopicKeyedByConnection() throws Exception {
    NetworkNamespace.assumeTools("ping", "bash");
    try (NetworkNamespace ns = NetworkNamespace.create(); EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Topics topics = Topics.withPrefix("live");
      kafka.createTopic(topics.packets().name(), 2, Map.of());
      byte[] inside = InetAddress.getByName(ns.namespaceIpv4()).getAddress();
      LiveStatus status;
      try (PacketPublisher publisher = PacketPublisher.connect(kafka.bootstrapServers(), topics,
              PublisherOptions.defaults("live-test"), new Properties());
          LiveCapture capture = LiveCapture.open(LiveOptions.of(ns.hostInterface()), DecoderOptions.defaults(),
              publisher)) {
        CompletableFuture<LiveStatus> run = CompletableFuture.supplyAsync(() -> {
          try {
            return capture.run(0, Duration.ofSeconds(60), s -> { });
          } catch (CaptureException e) {
            throw new IllegalStateException(e);
          }
        });
        Thread.sleep(200); // let the capture start before the traffic does
        ns.exec("ping", "-c", "3", "-i", "0.2", ns.hostIpv4());
        ns.exec("bash", "-c", "echo hello > /dev/udp/" + ns.hostIpv4() + "/9999");
        ns.exec("bash", "-c", "exec 3<>/dev/tcp/" + ns.hostIpv4() + "/9 || true"); // refused: SYN, RST
        Thread.sleep(2500); // quiet: the heartbeat interval plus the grace for packets still in the kernel
        capture.stop();
        status = run.get(30, TimeUnit.SECONDS);
      }

      List<Published> packets = read(kafka, topics);
      assertThat(status.publisher().packetsAcked()).as("everything decoded was acknowledged")
          .isEqualTo(status.decoder().decoded());
      assertThat(packets).hasSize((int) status.decoder().decoded());
      assertThat(packets.stream().filter(p -> p.key().getProtocol() == ICMP && p.from(inside)
          && p.header().getIcmpType() == 8)).hasSize(3);
      assertThat(packets.stream().filter(p -> p.key().getProtocol() == ICMP && !p.from(inside)
          && p.header().getIcmpType() == 0)).hasSize(3);
      assertThat(packets.stream().filter(p -> p.key().getProtocol() == UDP && p.from(inside)
          && (p.key().getLowPort() == 9999 || p.key().getHighPort() == 9999))).hasSize(1);
      assertThat(packets.stream().filter(p -> p.key().getProtocol() == TCP && p.from(inside)
          && p.header().getTcpFlags() == 0x02)).as("the SYN").hasSize(1);
      assertThat(heartbeats).as("the quiet second after the traffic sent heartbeats to both partitions")
          .isGreaterThanOrEqualTo(2);
    }
  }

  private int heartbeats;

  private List<Published> read(EmbeddedKafka kafka, Topics topics) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    List<Published> out = new ArrayList<>();
    try (KafkaConsumer<FlowKey, PacketBatch> consumer = new KafkaConsumer<>(c, topics.packets().keySerde().deserializer(),
        topics.packets().valueSerde().deserializer())) {
      List<TopicPartition> parts = List.of(new TopicPartition(topics.packets().name(), 0),
          new TopicPartition(topics.packets().name(), 1));
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<FlowKey, PacketBatch> r : consumer.poll(Duration.ofMillis(100))) {
          PacketBatch b = r.value();
          if (b.getPackets().isEmpty()) {
            heartbeats++;
          }
          for (PacketHeader h : b.getPackets()) {
            out.add(new Published(b.getKeys().isEmpty() ? r.key() : b.getKeys().get(h.getKeyIndex()), h));
          }
        }
      }
    }
    return out;
  }

  private static ByteBuffer bytes(ByteBuffer b) {
    return b.duplicate();
  }
}

package io.flowinspect.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.decode.FrameDecoder;
import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.publish.PublisherOptions;
import io.flowinspect.capture.source.CaptureException;
import io.flowinspect.capture.source.CaptureFileReader;
import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A capture file to the topic, through the agent's whole path, against a real broker. */
class CaptureAgentTest {
  private static final Path SAMPLE = Path.of("../samples/home-office.pcap");

  @TempDir Path temp;

  @Test
  void corruptFileStopsNamingTheByteOffsetAfterPublishingEverythingBeforeIt() throws Exception {
    byte[] whole = Files.readAllBytes(SAMPLE);
    Path cut = temp.resolve("cut.pcap");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length * 6 / 10));
    long decodableBeforeTheCut = decodable(cut);

    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Topics topics = Topics.withPrefix("cut");
      kafka.createTopic(topics.packets().name(), 1, Map.of());
      try (PacketPublisher publisher = PacketPublisher.connect(kafka.bootstrapServers(), topics,
          PublisherOptions.defaults("cut-test"), new Properties())) {
        assertThatThrownBy(() -> CaptureAgent.publishFile(cut, DecoderOptions.defaults(), publisher, Duration.ZERO))
            .isInstanceOf(CaptureException.class)
            .hasMessageContaining("cut.pcap: corrupt at byte offset");
      }

      assertThat(decodableBeforeTheCut).isGreaterThan(50);
      assertThat(packetsIn(kafka, topics)).isEqualTo(decodableBeforeTheCut);
    }
  }

  /** Packets the decoder keeps from the frames the reader delivers before it fails. */
  private static long decodable(Path file) throws Exception {
    FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
    DecodedPacket p = new DecodedPacket();
    long[] n = {0};
    try (CaptureFileReader reader = CaptureFileReader.open(file)) {
      reader.forEach((index, linkType, frame, captured, wire, time) -> {
        if (decoder.decode(linkType, frame, captured, wire, time, p) == null) {
          n[0]++;
        }
      });
    } catch (CaptureException expected) {
      // the cut: everything before it was counted
    }
    return n[0];
  }

  private static long packetsIn(EmbeddedKafka kafka, Topics topics) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    long n = 0;
    try (KafkaConsumer<FlowKey, PacketBatch> consumer = new KafkaConsumer<>(c, topics.packets().keySerde().deserializer(),
        topics.packets().valueSerde().deserializer())) {
      TopicPartition tp = new TopicPartition(topics.packets().name(), 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        for (var r : consumer.poll(Duration.ofMillis(100))) {
          n += r.value().getPackets().size();
        }
      }
    }
    return n;
  }
}

package io.flowinspect.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.decode.FrameDecoder;
import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.publish.PublisherOptions;
import io.flowinspect.capture.source.CaptureFileReader;
import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.PacketHeader;
import io.flowinspect.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replaying a capture file with a packet limit, restamped with the wall clock, and paced: what the
 * benchmark's latency run relies on, checked in the topic of a real broker.
 */
class ReplayOptionsTest {
  private static final Path SAMPLE = Path.of("../samples/home-office.pcap");
  private static EmbeddedKafka kafka;
  private static int topicCount;
  /** The sample's decodable packets in file order: frame number and capture time. */
  private static List<long[]> decodable;

  /** What one replay put in the topic and what it reported. */
  record Replayed(FilePublishReport report, List<PacketHeader> packets, List<Long> watermarks) {}

  @BeforeAll
  static void startBroker() throws Exception {
    decodable = decodable(SAMPLE);
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  // --- the record itself ---

  @Test
  void asFastAsPossibleIsUnpacedUnstampedAndUnlimited() {
    ReplayOptions o = ReplayOptions.asFastAsPossible();

    assertThat(o.speed()).isZero();
    assertThat(o.clockAdvance()).isZero();
    assertThat(o.restamp()).isFalse();
    assertThat(o.limit()).isZero();
  }

  @Test
  void eachWitherChangesOnlyItsOwnSetting() {
    ReplayOptions o = ReplayOptions.asFastAsPossible().withSpeed(2.5).withClockAdvance(Duration.ofMinutes(3))
        .restamped().withLimit(77);

    assertThat(o).isEqualTo(new ReplayOptions(2.5, Duration.ofMinutes(3), true, 77));
    assertThat(o.withLimit(0)).isEqualTo(new ReplayOptions(2.5, Duration.ofMinutes(3), true, 0));
    assertThat(o.withSpeed(0)).isEqualTo(new ReplayOptions(0, Duration.ofMinutes(3), true, 77));
    assertThat(o.withClockAdvance(Duration.ZERO)).isEqualTo(new ReplayOptions(2.5, Duration.ZERO, true, 77));
    assertThat(new ReplayOptions(1, Duration.ofSeconds(4))).isEqualTo(new ReplayOptions(1, Duration.ofSeconds(4),
        false, 0));
  }

  @Test
  void negativeLimitIsRefused() {
    assertThatThrownBy(() -> ReplayOptions.asFastAsPossible().withLimit(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("packet limit must not be negative: -1");
  }

  @Test
  void negativeOrNotANumberSpeedIsRefused() {
    assertThatThrownBy(() -> ReplayOptions.asFastAsPossible().withSpeed(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("speed must be 0");
    assertThatThrownBy(() -> ReplayOptions.asFastAsPossible().withSpeed(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
  }

  @Test
  void negativeClockAdvanceIsRefused() {
    assertThatThrownBy(() -> ReplayOptions.asFastAsPossible().withClockAdvance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clock advance must not be negative");
  }

  // --- limit ---

  @Test
  void withLimitPublishesExactlyThatManyPackets() throws Exception {
    Replayed r = replay(ReplayOptions.asFastAsPossible().withLimit(50));

    assertThat(r.report().packets()).isEqualTo(50);
    assertThat(r.report().publisher().packetsSent()).isEqualTo(50);
    assertThat(r.report().lost()).isZero();
    assertThat(r.packets()).hasSize(50);
  }

  @Test
  void withLimitPublishesTheFirstPacketsOfTheFileAndCountsTheFramesReadForThem() throws Exception {
    Replayed r = replay(ReplayOptions.asFastAsPossible().withLimit(50));

    List<Long> expectedTimes = decodable.subList(0, 50).stream().map(d -> d[1]).toList();
    assertThat(r.packets()).extracting(PacketHeader::getTimeNanos).containsExactlyElementsOf(expectedTimes);
    assertThat(r.report().frames()).as("frame number of the 50th decodable packet").isEqualTo(decodable.get(49)[0]);
    assertThat(r.report().firstPacketNanos()).isEqualTo(decodable.get(0)[1]);
    assertThat(r.report().lastPacketNanos()).isEqualTo(expectedTimes.stream().mapToLong(Long::longValue).max()
        .orElseThrow());
  }

  @Test
  void limitOfOnePublishesOnePacket() throws Exception {
    Replayed r = replay(ReplayOptions.asFastAsPossible().withLimit(1));

    assertThat(r.report().packets()).isEqualTo(1);
    assertThat(r.packets()).hasSize(1);
    assertThat(r.packets().get(0).getTimeNanos()).isEqualTo(decodable.get(0)[1]);
  }

  @Test
  void limitOfZeroOrBeyondTheFilePublishesTheWholeFile() throws Exception {
    Replayed none = replay(ReplayOptions.asFastAsPossible());
    Replayed beyond = replay(ReplayOptions.asFastAsPossible().withLimit(decodable.size() + 1_000));
    Replayed exact = replay(ReplayOptions.asFastAsPossible().withLimit(decodable.size()));

    for (Replayed r : List.of(none, beyond, exact)) {
      assertThat(r.report().packets()).isEqualTo(decodable.size());
      assertThat(r.packets()).hasSize(decodable.size());
    }
    assertThat(none.report().frames()).isEqualTo(frames(SAMPLE));
    assertThat(beyond.report().frames()).isEqualTo(frames(SAMPLE));
  }

  @Test
  void heartbeatAfterALimitedReplayIsAtTheLastPacketPublishedPlusTheClockAdvance() throws Exception {
    Duration advance = Duration.ofMinutes(10);
    Replayed r = replay(ReplayOptions.asFastAsPossible().withLimit(20).withClockAdvance(advance));

    assertThat(r.packets()).hasSize(20);
    assertThat(r.watermarks()).contains(r.report().lastPacketNanos() + advance.toNanos());
    assertThat(r.watermarks()).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(
        r.report().lastPacketNanos() + advance.toNanos()));
  }

  // --- restamp ---

  @Test
  void restampedStampsEveryPacketWithTheWallClockAtSending() throws Exception {
    long start = WallClock.epochNanos();
    Replayed r = replay(ReplayOptions.asFastAsPossible().restamped());
    long end = WallClock.epochNanos();

    assertThat(r.packets()).hasSize(decodable.size());
    assertThat(r.packets()).extracting(PacketHeader::getTimeNanos)
        .allSatisfy(t -> assertThat(t).isBetween(start, end))
        .isSorted();
    assertThat(r.report().firstPacketNanos()).isBetween(start, end);
    assertThat(r.report().lastPacketNanos()).isBetween(r.report().firstPacketNanos(), end);
    assertThat(r.watermarks()).allSatisfy(w -> assertThat(w).isBetween(start, end));
  }

  @Test
  void withoutRestampPacketsKeepTheirCaptureTime() throws Exception {
    Replayed r = replay(ReplayOptions.asFastAsPossible());

    assertThat(r.packets()).extracting(PacketHeader::getTimeNanos)
        .containsExactlyElementsOf(decodable.stream().map(d -> d[1]).toList());
  }

  @Test
  void pacedRestampedLimitedReplaySpreadsTheStampsAsTheCaptureWasSpreadSpedUp() throws Exception {
    // What the benchmark's latency run does: paced, stamped at sending, stopped after a number of packets.
    int n = 100;
    double speed = 20;
    long captureSpan = decodable.get(n - 1)[1] - decodable.get(0)[1];
    long start = WallClock.epochNanos();
    Replayed r = replay(ReplayOptions.asFastAsPossible().withSpeed(speed).restamped().withLimit(n));
    long end = WallClock.epochNanos();

    assertThat(r.packets()).hasSize(n);
    List<Long> stamps = r.packets().stream().map(PacketHeader::getTimeNanos).toList();
    assertThat(stamps).allSatisfy(t -> assertThat(t).isBetween(start, end)).isSorted();
    long stampedSpan = stamps.get(n - 1) - stamps.get(0);
    // The pacer lets waits under a millisecond go, so a packet may leave up to that much early.
    assertThat(stampedSpan).as("capture span %d ns at speed %s", captureSpan, speed)
        .isGreaterThanOrEqualTo((long) (captureSpan / speed) - 1_000_000L);
  }

  // --- helpers ---

  private static Replayed replay(ReplayOptions options) throws Exception {
    Topics topics = Topics.withPrefix("replay" + topicCount++);
    kafka.createTopic(topics.packets().name(), 1, Map.of());
    FilePublishReport report;
    try (PacketPublisher publisher = PacketPublisher.connect(kafka.bootstrapServers(), topics,
        PublisherOptions.defaults("replay-test"), new Properties())) {
      report = CaptureAgent.publishFile(SAMPLE, DecoderOptions.defaults(), publisher, options, ReplayProgress.NONE);
    }
    List<PacketHeader> packets = new ArrayList<>();
    List<Long> watermarks = new ArrayList<>();
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaConsumer<FlowKey, PacketBatch> consumer = new KafkaConsumer<>(c,
        topics.packets().keySerde().deserializer(), topics.packets().valueSerde().deserializer())) {
      TopicPartition tp = new TopicPartition(topics.packets().name(), 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long endOffset = consumer.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(tp) < endOffset) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("topic not read to offset " + endOffset + " within 30 s");
        }
        for (var rec : consumer.poll(Duration.ofMillis(100))) {
          packets.addAll(rec.value().getPackets());
          watermarks.add(rec.value().getWatermarkNanos());
        }
      }
    }
    return new Replayed(report, packets, watermarks);
  }

  /** The frame number and capture time of every frame the agent's decoder keeps, in file order. */
  private static List<long[]> decodable(Path file) throws Exception {
    FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
    DecodedPacket p = new DecodedPacket();
    List<long[]> kept = new ArrayList<>();
    try (CaptureFileReader reader = CaptureFileReader.open(file)) {
      reader.forEach((index, linkType, frame, captured, wire, time) -> {
        if (decoder.decode(linkType, frame, captured, wire, time, p) == null) {
          kept.add(new long[] {index, p.timeNanos()});
        }
      });
    }
    return kept;
  }

  private static long frames(Path file) throws Exception {
    try (CaptureFileReader reader = CaptureFileReader.open(file)) {
      return reader.forEach((index, linkType, frame, captured, wire, time) -> { });
    }
  }
}

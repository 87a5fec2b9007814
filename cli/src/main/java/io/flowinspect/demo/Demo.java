package io.flowinspect.demo;

import io.flowinspect.capture.CaptureAgent;
import io.flowinspect.capture.FilePublishReport;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.publish.PublisherOptions;
import io.flowinspect.capture.source.CaptureException;
import io.flowinspect.inspect.streams.InspectorRunner;
import io.flowinspect.inspect.streams.InspectorSettings;
import io.flowinspect.inspect.streams.StreamsProperties;
import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.measure.TemporaryTree;
import io.flowinspect.schemas.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The whole product on one machine: a real broker, the capture agent publishing a capture file,
 * the Kafka Streams inspector, and the outputs read back from their topics.
 */
public final class Demo {
  /** How far the capture clock is moved on after the last packet, so that idle connections time out. */
  public static final Duration CLOCK_ADVANCE = Duration.ofSeconds(130);
  private static final String APPLICATION_ID = "flowinspect-demo";

  private Demo() {}

  public static DemoReport run(Path pcap, InspectorSettings settings, DecoderOptions decoder, int partitions)
      throws IOException, InterruptedException, CaptureException {
    Topics topics = settings.topics();
    long brokerStart = System.nanoTime();
    try (TemporaryTree state = TemporaryTree.create("flowinspect-demo-state");
        EmbeddedKafka kafka = EmbeddedKafka.start()) {
      Path stateDir = state.dir();
      long brokerMillis = (System.nanoTime() - brokerStart) / 1_000_000;
      String bootstrap = kafka.bootstrapServers();
      TopicSetup.create(kafka, topics, partitions);
      Properties streams = StreamsProperties.of(bootstrap, APPLICATION_ID, topics, Map.of(
          StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
          StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100"));
      try (InspectorRunner inspector = new InspectorRunner(settings, streams).start(Duration.ofSeconds(60))) {
        FilePublishReport published;
        try (PacketPublisher publisher = PacketPublisher.connect(bootstrap, topics, PublisherOptions.defaults("demo"),
            new Properties())) {
          published = CaptureAgent.publishFile(pcap, decoder, publisher, CLOCK_ADVANCE);
        }
        long caughtUpFrom = System.nanoTime();
        if (!ConsumerLag.awaitCaughtUp(bootstrap, APPLICATION_ID, topics.packets().name(), Duration.ofSeconds(60))) {
          throw new IllegalStateException("the inspector did not process every packet within 60 s");
        }
        long inspectorMillis = (System.nanoTime() - caughtUpFrom) / 1_000_000;
        return new DemoReport(pcap.toString(), bootstrap, brokerMillis, partitions, published, inspectorMillis,
            TopicReader.readAll(bootstrap, topics.verdicts().name(), topics.verdicts().keySerde().deserializer(),
                topics.verdicts().valueSerde().deserializer()),
            TopicReader.readAll(bootstrap, topics.alerts().name(), topics.alerts().keySerde().deserializer(),
                topics.alerts().valueSerde().deserializer()),
            TopicReader.readAll(bootstrap, topics.flows().name(), topics.flows().keySerde().deserializer(),
                topics.flows().valueSerde().deserializer()),
            TopicReader.readAll(bootstrap, topics.deadLetters().name(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer()).size());
      }
    }
  }
}

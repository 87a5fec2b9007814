package io.flowinspect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.demo.TopicSetup;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.output.AlertEvent;
import io.flowinspect.inspect.output.FlowSummary;
import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.inspect.output.VerdictEvent;
import io.flowinspect.inspect.streams.AvroMapping;
import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.offline.FlowJsonWriter;
import io.flowinspect.offline.OfflineInspection;
import io.flowinspect.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code flowinspect read} against a real broker, fed with what the engine says about the bundled
 * sample, mapped to records as the inspector maps them.
 */
class ReadCommandTest {
  private static final Path SAMPLE = Path.of("../samples/home-office.pcap");
  private static EmbeddedKafka kafka;
  private static final List<FlowKey> keys = new ArrayList<>();
  private static final List<VerdictEvent> verdicts = new ArrayList<>();
  private static final List<AlertEvent> alerts = new ArrayList<>();
  private static final List<FlowSummary> flows = new ArrayList<>();

  @BeforeAll
  static void inspectTheSampleAndStartABroker() throws Exception {
    OfflineInspection.run(SAMPLE, OfflineInspection.Options.defaults(), f -> { }, new InspectionSink() {
      @Override
      public void verdict(FlowKey key, VerdictEvent verdict) {
        if (verdict != null) {
          keys.add(key);
          verdicts.add(verdict);
        }
      }

      @Override
      public void alert(FlowKey key, AlertEvent alert) {
        alerts.add(alert);
      }

      @Override
      public void flowEnded(FlowKey key, FlowSummary flow) {
        flows.add(flow);
      }
    });
    assertThat(verdicts).isNotEmpty();
    assertThat(alerts).isNotEmpty();
    assertThat(flows).isNotEmpty();
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void flowRecordsReadBackExactlyAsTheOfflineFlowsOut() throws Exception {
    Topics topics = topics("flows-test");
    try (var producer = producer(topics.flows().keySerde().serializer(), topics.flows().valueSerde().serializer())) {
      for (FlowSummary f : flows) {
        producer.send(new ProducerRecord<>(topics.flows().name(), null, AvroMapping.flow(f)));
      }
    }

    Result r = read("flows", "flows-test");

    assertThat(r.exit).isZero();
    assertThat(r.lines()).containsExactlyInAnyOrderElementsOf(flows.stream().map(FlowJsonWriter::toJson).toList());
    assertThat(r.err).contains(flows.size() + " records from flows-test.flows");
  }

  @Test
  void verdictsAndTheirTombstonesReadAsLines() throws Exception {
    Topics topics = topics("verdicts-test");
    try (var producer = producer(topics.verdicts().keySerde().serializer(),
        topics.verdicts().valueSerde().serializer())) {
      for (int i = 0; i < verdicts.size(); i++) {
        producer.send(new ProducerRecord<>(topics.verdicts().name(), AvroMapping.flowKey(keys.get(i)),
            AvroMapping.verdict(verdicts.get(i))));
      }
      producer.send(new ProducerRecord<>(topics.verdicts().name(), AvroMapping.flowKey(keys.get(0)), null));
    }

    Result r = read("verdicts", "verdicts-test");

    assertThat(r.exit).isZero();
    assertThat(r.lines()).hasSize(verdicts.size() + 1);
    assertThat(r.lines()).filteredOn(l -> l.contains("\"removed\":true")).singleElement()
        .asString().contains("\"low\":\"" + keys.get(0).lowAddress() + "\"");
    long denied = verdicts.stream().filter(v -> v.decision().name().equals("DENY")).count();
    assertThat(r.lines()).filteredOn(l -> l.contains("\"decision\":\"deny\"")).hasSize((int) denied);
  }

  @Test
  void alertsAndDeadLettersReadAsLinesAndAnUndecodableValueDoesNotStopTheRead() throws Exception {
    Topics topics = topics("misc-test");
    try (var producer = producer(topics.alerts().keySerde().serializer(), topics.alerts().valueSerde().serializer())) {
      for (AlertEvent a : alerts) {
        producer.send(new ProducerRecord<>(topics.alerts().name(), null, AvroMapping.alert(a)));
      }
    }
    try (var producer = producer(new ByteArraySerializer(), new ByteArraySerializer())) {
      ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(topics.deadLetters().name(), null, new byte[] {1, 2, 3});
      dead.headers().add("flowinspect.error", "cut short".getBytes(StandardCharsets.UTF_8));
      producer.send(dead);
      producer.send(new ProducerRecord<>(topics.alerts().name(), null, "not avro".getBytes(StandardCharsets.UTF_8)));
    }

    Result alertLines = read("alerts", "misc-test");
    Result deadLines = read("dlq", "misc-test");

    assertThat(alertLines.exit).isZero();
    assertThat(alertLines.lines()).hasSize(alerts.size() + 1);
    assertThat(alertLines.lines()).filteredOn(l -> l.startsWith("{\"undecodable\":")).hasSize(1);
    assertThat(alertLines.lines()).filteredOn(l -> l.startsWith("{\"ts\":")).allSatisfy(l ->
        assertThat(l).contains("\"type\":", "\"src\":", "\"message\":"));
    assertThat(deadLines.lines()).containsExactly("{\"error\":\"cut short\",\"value_bytes\":3,\"partition\":0,\"offset\":0}");
  }

  @Test
  void followWaitsForNewRecordsAndStopsAtTheLimit() throws Exception {
    Topics topics = topics("follow-test");
    StringWriter out = new StringWriter();
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try (var producer = producer(topics.flows().keySerde().serializer(), topics.flows().valueSerde().serializer())) {
      Future<Integer> exit = reader.submit(() -> Main.commandLine().setOut(new PrintWriter(out))
          .setErr(new PrintWriter(new StringWriter())).execute("read", "flows", "--follow", "--limit", "2", "--bootstrap-servers", kafka.bootstrapServers(),
              "--topic-prefix", "follow-test"));
      Thread.sleep(2_000); // the topic is empty: without --follow the read would have ended by now
      for (FlowSummary f : flows.subList(0, 3)) {
        producer.send(new ProducerRecord<>(topics.flows().name(), null, AvroMapping.flow(f))).get();
      }

      assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    } finally {
      reader.shutdownNow();
    }
    assertThat(out.toString().split("\n")).containsExactly(FlowJsonWriter.toJson(flows.get(0)),
        FlowJsonWriter.toJson(flows.get(1)));
  }

  @Test
  void aMissingTopicIsAClearError() {
    Result r = read("flows", "nothing-here");

    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("nothing-here.flows does not exist");
  }

  private record Result(int exit, String out, String err) {
    List<String> lines() {
      return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }
  }

  private static Topics topics(String prefix) {
    Topics topics = Topics.withPrefix(prefix);
    TopicSetup.create(kafka, topics, 1);
    return topics;
  }

  private static Result read(String topic, String prefix) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("read", topic, "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", prefix);
    return new Result(exit, out.toString(), err.toString());
  }

  private static <K, V> KafkaProducer<K, V> producer(Serializer<K> keys, Serializer<V> values) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return new KafkaProducer<>(p, keys, values);
  }
}

package io.flowinspect.cli;

import io.flowinspect.demo.TopicReader;
import io.flowinspect.offline.Json;
import io.flowinspect.offline.OutputJson;
import io.flowinspect.schemas.Topics;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flowinspect read}: what the inspector wrote to one of its output topics, as JSON lines,
 * from the beginning. Reads without a consumer group (it commits nothing and joins nothing), so
 * it can be run any number of times next to the real consumers.
 */
@Command(name = "read", mixinStandardHelpOptions = true,
    description = {"Print an output topic as JSON lines: verdicts, alerts, flows (the fields of inspect --flows-out) "
        + "or dlq, from the beginning to the current end (or on, with --follow)."})
final class ReadCommand implements Callable<Integer> {
  enum Output { VERDICTS, ALERTS, FLOWS, DLQ }

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TOPIC", description = "verdicts, alerts, flows or dlq.")
  Output output;

  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  @Option(names = "--follow", description = "Keep printing new records until interrupted.")
  boolean follow;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "-1",
      description = "Stop after N records (with or without --follow).")
  long limit;

  @Option(names = "--consumer-config", paramLabel = "KEY=VALUE",
      description = "Any consumer setting, e.g. security.protocol=SASL_SSL.")
  Map<String, String> consumerConfig = new HashMap<>();

  @Override
  public Integer call() {
    Topics topics = cluster.topics();
    String topic = switch (output) {
      case VERDICTS -> topics.verdicts().name();
      case ALERTS -> topics.alerts().name();
      case FLOWS -> topics.flows().name();
      case DLQ -> topics.deadLetters().name();
    };
    Function<ConsumerRecord<byte[], byte[]>, String> render = renderer(topics, topic);
    Properties p = new Properties();
    p.putAll(consumerConfig);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // what exactly-once consumers see
    PrintWriter out = spec.commandLine().getOut();
    long printed = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      if (partitions.isEmpty()) {
        throw new UserError("topic " + topic + " does not exist (flowinspect topics creates it)");
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Thread wakeUp = new Thread(consumer::wakeup, "flowinspect-read-stop");
      if (follow) {
        Runtime.getRuntime().addShutdownHook(wakeUp);
      }
      try {
        while (printed != limit && (follow || !TopicReader.reached(consumer, end))) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (printed == limit) {
              break;
            }
            out.println(render.apply(r));
            printed++;
          }
          out.flush();
        }
      } catch (WakeupException e) {
        // interrupted with --follow: what was read is printed
      } finally {
        if (follow) {
          try {
            Runtime.getRuntime().removeShutdownHook(wakeUp);
          } catch (IllegalStateException shuttingDown) {
            // the hook is running: nothing to remove
          }
        }
      }
    }
    out.flush();
    spec.commandLine().getErr().printf("%d records from %s%n", printed, topic);
    return 0;
  }

  /** A record as one JSON line; a value that cannot be decoded is reported in its line, not fatal. */
  private Function<ConsumerRecord<byte[], byte[]>, String> renderer(Topics topics, String topic) {
    return r -> {
      try {
        return switch (output) {
          case VERDICTS -> r.value() == null
              ? OutputJson.verdictRemoved(topics.verdicts().keySerde().deserializer().deserialize(topic, r.key()))
              : OutputJson.verdict(topics.verdicts().valueSerde().deserializer().deserialize(topic, r.value()));
          case ALERTS -> OutputJson.alert(topics.alerts().valueSerde().deserializer().deserialize(topic, r.value()));
          case FLOWS -> OutputJson.flow(topics.flows().valueSerde().deserializer().deserialize(topic, r.value()));
          case DLQ -> deadLetter(r);
        };
      } catch (RuntimeException e) {
        return new Json().field("undecodable", String.valueOf(e.getMessage())).field("partition", r.partition())
            .field("offset", r.offset()).toString();
      }
    };
  }

  /** A dead letter stays bytes; its headers say why and where from. */
  private static String deadLetter(ConsumerRecord<byte[], byte[]> r) {
    Json j = new Json();
    for (Header h : r.headers()) {
      String name = h.key().startsWith("flowinspect.") ? h.key().substring("flowinspect.".length()) : h.key();
      j.field(name.replace('.', '_').toLowerCase(Locale.ROOT),
          h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
    }
    return j.field("value_bytes", r.value() == null ? 0 : r.value().length)
        .field("partition", r.partition()).field("offset", r.offset()).toString();
  }
}

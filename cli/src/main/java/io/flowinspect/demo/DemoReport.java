package io.flowinspect.demo;

import io.flowinspect.capture.FilePublishReport;
import io.flowinspect.schemas.Alert;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.FlowRecord;
import io.flowinspect.schemas.Verdict;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The demo's closing summary, read back from the output topics. */
public record DemoReport(
    String capture,
    String bootstrapServers,
    long brokerStartMillis,
    int partitions,
    FilePublishReport published,
    long inspectorMillis,
    List<ConsumerRecord<FlowKey, Verdict>> verdicts,
    List<ConsumerRecord<FlowKey, Alert>> alerts,
    List<ConsumerRecord<FlowKey, FlowRecord>> flows,
    long deadLetters) {

  public long decisions() {
    return verdicts.stream().filter(r -> r.value() != null).count();
  }

  public long tombstones() {
    return verdicts.stream().filter(r -> r.value() == null).count();
  }

  public void print(PrintStream out) {
    List<Verdict> decided = verdicts.stream().map(ConsumerRecord::value).filter(v -> v != null).toList();
    out.println();
    out.println("flowinspect demo: " + capture + " through a real Kafka broker");
    out.println();
    out.printf("  broker       Apache Kafka 4.4.0 (KRaft) on %s, started in %.1f s%n", bootstrapServers,
        brokerStartMillis / 1000.0);
    out.printf("  capture      %d frames: %d packets published to %d partitions, %d not inspected %s%n",
        published.frames(), published.packets(), partitions, published.frames() - published.packets(),
        skipped());
    out.printf("  inspector    Kafka Streams with RocksDB state: every packet processed %.1f s after publishing ended%n",
        inspectorMillis / 1000.0);
    out.println();
    out.printf("  verdicts     %d connections: %s%n", decided.size(), counts(decided, v -> v.getDecision().name()));
    out.printf("               by direction: %s%n", counts(decided, v -> v.getDirection().name()));
    out.printf("  alerts       %d: %s%n", alerts.size(), counts(alerts.stream().map(ConsumerRecord::value).toList(),
        a -> a.getType().name()));
    alerts.stream().sorted(java.util.Comparator.comparingLong(r -> r.value().getTimeNanos())).limit(5).forEach(r -> {
      Alert a = r.value();
      out.printf("                 %-17s %-6s %s -> %s  %s%n", a.getType(), Endpoints.protocol(a.getProtocol()),
          Endpoints.text(a.getSource(), a.getProtocol()), Endpoints.text(a.getDestination(), a.getProtocol()),
          a.getMessage());
    });
    List<FlowRecord> ended = flows.stream().map(ConsumerRecord::value).toList();
    out.printf("  flows        %d ended: %s%n", ended.size(), counts(ended, f -> f.getEndReason().name()));
    // One example of each kind of ending per protocol, in capture order.
    ended.stream().sorted(java.util.Comparator.comparingLong(FlowRecord::getFirstNanos))
        .collect(Collectors.toMap(f -> f.getProtocol() + "/" + f.getEndReason(), f -> f, (a, b) -> a,
            java.util.LinkedHashMap::new))
        .values().stream().limit(6).forEach(f ->
        out.printf("                 %-6s %s -> %s  %d/%d packets, %d/%d bytes, %s, %s%n",
            Endpoints.protocol(f.getProtocol()), Endpoints.text(f.getOriginator(), f.getProtocol()),
            Endpoints.text(f.getResponder(), f.getProtocol()), f.getOrigPackets(), f.getRespPackets(),
            f.getOrigBytes(), f.getRespBytes(), f.getFinalState(), f.getEndReason()));
    out.printf("  verdict tombstones %d (ended connections removed from the verdict table), dead letters %d%n",
        tombstones(), deadLetters);
    out.println();
  }

  private String skipped() {
    Map<String, Long> reasons = new TreeMap<>();
    published.decoder().skippedByReason().forEach((k, v) -> {
      if (v > 0) {
        reasons.put(k.label(), v);
      }
    });
    return reasons.isEmpty() ? "" : reasons.toString();
  }

  private static <T> String counts(List<T> items, Function<T, String> by) {
    Map<String, Long> m = items.stream().collect(Collectors.groupingBy(by, TreeMap::new, Collectors.counting()));
    return m.entrySet().stream().map(e -> e.getKey().toLowerCase(java.util.Locale.ROOT) + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }
}

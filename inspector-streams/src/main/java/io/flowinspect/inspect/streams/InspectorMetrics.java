package io.flowinspect.inspect.streams;

import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The inspector's own metrics, next to Kafka Streams' in {@code KafkaStreams#metrics()} and JMX,
 * in group {@value #GROUP} with a {@code task-id} tag: {@code connections} (tracked now),
 * {@code packets-total} (inspected so far), {@code expiry-longest-ms} (the longest expiry
 * punctuation since the task started, wall-clock time: what a flood of timeouts costs in stalled
 * processing), {@code connection-store-reads-total} and {@code connections-written-ahead-total}
 * (changed connections written while the thread waited for records, ahead of a commit),
 * {@code input-records-lost-total} (records of the packets topic never inspected: {@link InputGaps}).
 * Operators watch the first against the configured maximum and alarm on any growth of the last;
 * the benchmark reads all.
 */
final class InspectorMetrics implements AutoCloseable {
  static final String GROUP = "flowinspect-inspector-metrics";
  static final String CONNECTIONS = "connections";
  static final String PACKETS_TOTAL = "packets-total";
  static final String EXPIRY_LONGEST_MS = "expiry-longest-ms";
  static final String STORE_READS_TOTAL = "connection-store-reads-total";
  static final String WRITTEN_AHEAD_TOTAL = "connections-written-ahead-total";
  static final String RECORDS_LOST_TOTAL = "input-records-lost-total";

  private final StreamsMetrics metrics;
  private final Sensor connections;
  private final Sensor packets;
  private final Sensor expiry;
  private final Sensor storeReads;
  private final Sensor writtenAhead;
  private final Sensor recordsLost;
  private double longestExpiryMillis;

  InspectorMetrics(StreamsMetrics metrics, String threadName, String taskId) {
    this.metrics = metrics;
    Map<String, String> tags = Map.of("task-id", taskId, "thread-id", threadName);
    String prefix = "flowinspect." + threadName + "." + taskId + ".";
    connections = metrics.addSensor(prefix + CONNECTIONS, Sensor.RecordingLevel.INFO);
    connections.add(new MetricName(CONNECTIONS, GROUP, "Connections tracked by this task", tags), new Value());
    packets = metrics.addSensor(prefix + PACKETS_TOTAL, Sensor.RecordingLevel.INFO);
    packets.add(new MetricName(PACKETS_TOTAL, GROUP, "Packets inspected by this task", tags), new CumulativeSum());
    expiry = metrics.addSensor(prefix + EXPIRY_LONGEST_MS, Sensor.RecordingLevel.INFO);
    expiry.add(new MetricName(EXPIRY_LONGEST_MS, GROUP, "Longest expiry punctuation of this task, ms", tags),
        new Value());
    storeReads = metrics.addSensor(prefix + STORE_READS_TOTAL, Sensor.RecordingLevel.INFO);
    storeReads.add(new MetricName(STORE_READS_TOTAL, GROUP,
        "Connection lookups that missed the decoded cache and read RocksDB", tags), new Value());
    writtenAhead = metrics.addSensor(prefix + WRITTEN_AHEAD_TOTAL, Sensor.RecordingLevel.INFO);
    writtenAhead.add(new MetricName(WRITTEN_AHEAD_TOTAL, GROUP,
        "Changed connections written while the stream thread waited for records, ahead of a commit", tags),
        new CumulativeSum());
    recordsLost = metrics.addSensor(prefix + RECORDS_LOST_TOTAL, Sensor.RecordingLevel.INFO);
    recordsLost.add(new MetricName(RECORDS_LOST_TOTAL, GROUP,
        "Records of the packets topic this task never inspected (deleted by retention, or skipped)", tags),
        new CumulativeSum());
  }

  void expiryRan(long nanos) {
    longestExpiryMillis = Math.max(longestExpiryMillis, nanos / 1e6);
    expiry.record(longestExpiryMillis);
  }

  void inspected(int packetCount, long connectionCount, long storeReadsSoFar) {
    packets.record(packetCount);
    connections.record(connectionCount);
    storeReads.record(storeReadsSoFar);
  }

  void writtenAhead(int count) {
    if (count > 0) {
      writtenAhead.record(count);
    }
  }

  void recordsLost(long count) {
    recordsLost.record(count);
  }

  void connections(long connectionCount) {
    connections.record(connectionCount);
  }

  @Override
  public void close() {
    metrics.removeSensor(connections);
    metrics.removeSensor(packets);
    metrics.removeSensor(expiry);
    metrics.removeSensor(storeReads);
    metrics.removeSensor(writtenAhead);
    metrics.removeSensor(recordsLost);
  }
}

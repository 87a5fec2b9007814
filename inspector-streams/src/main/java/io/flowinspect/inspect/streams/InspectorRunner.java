package io.flowinspect.inspect.streams;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/** Runs the inspector topology, and reads the inspector's own metrics over its tasks. */
public final class InspectorRunner extends StreamsApp {
  private final MetricSum packets;
  private final MetricSum connections;
  private final MetricSum expiry;
  private final MetricSum writtenAhead;
  private final MetricSum storeReads;
  private final MetricSum recordsLost;

  private final QuietWrites quietWrites;

  public InspectorRunner(InspectorSettings settings, Properties streamsProperties) {
    this(settings, streamsProperties, new QuietWrites());
  }

  private InspectorRunner(InspectorSettings settings, Properties streamsProperties, QuietWrites quietWrites) {
    super("inspector", InspectorTopology.build(refuseQuietWithExactlyOnce(settings, streamsProperties), quietWrites),
        streamsProperties);
    this.quietWrites = quietWrites;
    this.packets = metric(InspectorMetrics.GROUP, InspectorMetrics.PACKETS_TOTAL);
    this.connections = metric(InspectorMetrics.GROUP, InspectorMetrics.CONNECTIONS);
    this.expiry = metric(InspectorMetrics.GROUP, InspectorMetrics.EXPIRY_LONGEST_MS);
    this.writtenAhead = metric(InspectorMetrics.GROUP, InspectorMetrics.WRITTEN_AHEAD_TOTAL);
    this.storeReads = metric(InspectorMetrics.GROUP, InspectorMetrics.STORE_READS_TOTAL);
    this.recordsLost = metric(InspectorMetrics.GROUP, InspectorMetrics.RECORDS_LOST_TOTAL);
  }

  @Override
  public InspectorRunner start(Duration timeout) throws InterruptedException {
    super.start(timeout);
    return this;
  }

  /**
   * Quiet changes exist in memory only, and a transaction's commit must hold every change up to
   * its offsets: the two cannot go together.
   */
  private static InspectorSettings refuseQuietWithExactlyOnce(InspectorSettings settings, Properties streams) {
    String guarantee = streams.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    if (settings.quietChanges() && !StreamsConfig.AT_LEAST_ONCE.equals(guarantee)) {
      throw new IllegalArgumentException("quiet changes need at-least-once processing, not " + guarantee
          + ": an exactly-once commit must hold every change up to its offsets");
    }
    return settings;
  }

  /**
   * A rebalance may take tasks away, and their last commit comes while it runs: from its start
   * until the instance runs again, commits write quiet changes too. Likewise from the moment the
   * instance is asked to close.
   */
  @Override
  protected void stateChanged(KafkaStreams.State now) {
    if (now == KafkaStreams.State.RUNNING) {
      quietWrites.lower();
    } else {
      quietWrites.raise();
    }
  }

  @Override
  protected void closing() {
    quietWrites.raise();
  }

  /** Packets inspected since start, over every task of this instance. */
  public long packetsInspected() {
    return (long) packets.value();
  }

  /** Connections tracked now, over every task of this instance. */
  public long connectionsTracked() {
    return (long) connections.value();
  }

  /**
   * Changed connections written while a stream thread waited for records, ahead of a commit, by the
   * tasks this instance runs now (a task's count starts again when it moves).
   */
  public long connectionsWrittenAhead() {
    return (long) writtenAhead.value();
  }

  /**
   * Connection lookups that found the connection in neither memory tier and read RocksDB, by the
   * tasks this instance runs now: with memory holding every connection, only none.
   */
  public long connectionStoreReads() {
    return (long) storeReads.value();
  }

  /**
   * Records of the packets topic that the tasks this instance runs now never inspected (deleted
   * by retention while they lagged, or skipped by moving offsets; {@link InputGaps}).
   */
  public long inputRecordsLost() {
    return (long) recordsLost.value();
  }

  /** The longest expiry punctuation so far on any task of this instance, in milliseconds. */
  public double longestExpiryMillis() {
    return expiry.max();
  }
}

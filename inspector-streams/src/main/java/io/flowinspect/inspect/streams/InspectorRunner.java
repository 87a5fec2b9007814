package io.flowinspect.inspect.streams;

import java.time.Duration;
import java.util.Properties;

/** Runs the inspector topology, and reads the inspector's own metrics over its tasks. */
public final class InspectorRunner extends StreamsApp {
  private final MetricSum packets;
  private final MetricSum connections;
  private final MetricSum expiry;
  private final MetricSum writtenAhead;

  public InspectorRunner(InspectorSettings settings, Properties streamsProperties) {
    super("inspector", InspectorTopology.build(settings), streamsProperties);
    this.packets = metric(InspectorMetrics.GROUP, InspectorMetrics.PACKETS_TOTAL);
    this.connections = metric(InspectorMetrics.GROUP, InspectorMetrics.CONNECTIONS);
    this.expiry = metric(InspectorMetrics.GROUP, InspectorMetrics.EXPIRY_LONGEST_MS);
    this.writtenAhead = metric(InspectorMetrics.GROUP, InspectorMetrics.WRITTEN_AHEAD_TOTAL);
  }

  @Override
  public InspectorRunner start(Duration timeout) throws InterruptedException {
    super.start(timeout);
    return this;
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

  /** The longest expiry punctuation so far on any task of this instance, in milliseconds. */
  public double longestExpiryMillis() {
    return expiry.max();
  }
}

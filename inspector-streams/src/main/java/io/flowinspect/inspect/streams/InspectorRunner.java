package io.flowinspect.inspect.streams;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the inspector topology: start, wait until it is processing, stop cleanly. */
public final class InspectorRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InspectorRunner.class);

  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);
  private volatile Throwable failure;
  private final MetricSum packets;
  private final MetricSum connections;
  private final MetricSum records;
  private final MetricSum expiry;

  public InspectorRunner(InspectorSettings settings, Properties streamsProperties) {
    this.streams = new KafkaStreams(InspectorTopology.build(settings), streamsProperties);
    this.packets = new MetricSum(streams, InspectorMetrics.GROUP, InspectorMetrics.PACKETS_TOTAL);
    this.connections = new MetricSum(streams, InspectorMetrics.GROUP, InspectorMetrics.CONNECTIONS);
    this.records = new MetricSum(streams, "stream-thread-metrics", "process-total");
    this.expiry = new MetricSum(streams, InspectorMetrics.GROUP, InspectorMetrics.EXPIRY_LONGEST_MS);
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) {
        running.countDown();
      }
      if (now == KafkaStreams.State.ERROR) {
        running.countDown();
      }
    });
    streams.setUncaughtExceptionHandler(e -> {
      failure = e;
      LOG.error("inspector stream thread failed", e);
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
  }

  /** Starts processing and waits until the first rebalance is done. */
  public InspectorRunner start(Duration timeout) throws InterruptedException {
    streams.start();
    if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("inspector not running after " + timeout + " (state " + streams.state() + ")");
    }
    if (streams.state() == KafkaStreams.State.ERROR || failure != null) {
      throw new IllegalStateException("inspector failed to start", failure);
    }
    return this;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Packets inspected since start, over every task of this instance. */
  public long packetsInspected() {
    return (long) packets.value();
  }

  /** Connections tracked now, over every task of this instance. */
  public long connectionsTracked() {
    return (long) connections.value();
  }

  /** Records processed since start (Kafka Streams' own count over its stream threads). */
  public long recordsProcessed() {
    return (long) records.value();
  }

  /** The longest expiry punctuation so far on any task of this instance, in milliseconds. */
  public double longestExpiryMillis() {
    return expiry.max();
  }

  public Throwable failure() {
    return failure;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }

  /**
   * Stops and leaves the consumer group at once. Kafka Streams by default stays in the group, so
   * that a restarting instance gets its own partitions back without a rebalance; an instance of
   * the same application started right after one that stays must then wait out the session
   * timeout (45 s) before it is given any partition. For a run that hands over to a successor in
   * the same process (the benchmark's phases), leaving is right.
   */
  public void closeLeavingGroup() {
    streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(30)));
  }
}

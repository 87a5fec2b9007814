package io.flowinspect.inspect.streams;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the inspector topology: start, wait until it is processing, stop cleanly. */
public final class InspectorRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InspectorRunner.class);

  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);
  private volatile Throwable failure;

  public InspectorRunner(InspectorSettings settings, Properties streamsProperties) {
    this.streams = new KafkaStreams(InspectorTopology.build(settings), streamsProperties);
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
    return (long) sum(InspectorMetrics.GROUP, InspectorMetrics.PACKETS_TOTAL);
  }

  /** Connections tracked now, over every task of this instance. */
  public long connectionsTracked() {
    return (long) sum(InspectorMetrics.GROUP, InspectorMetrics.CONNECTIONS);
  }

  /** Records processed since start (Kafka Streams' own count over its stream threads). */
  public long recordsProcessed() {
    return (long) sum("stream-thread-metrics", "process-total");
  }

  /** The longest punctuation so far on any stream thread, in milliseconds. */
  public double longestPunctuationMillis() {
    double max = 0;
    for (var e : streams.metrics().entrySet()) {
      if (e.getKey().group().equals("stream-thread-metrics") && e.getKey().name().equals("punctuate-latency-max")
          && e.getValue().metricValue() instanceof Double d && !d.isNaN()) {
        max = Math.max(max, d);
      }
    }
    return max;
  }

  private double sum(String group, String name) {
    double total = 0;
    for (var e : streams.metrics().entrySet()) {
      if (e.getKey().group().equals(group) && e.getKey().name().equals(name)
          && e.getValue().metricValue() instanceof Number n && !Double.isNaN(n.doubleValue())) {
        total += n.doubleValue();
      }
    }
    return total;
  }

  public Throwable failure() {
    return failure;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}

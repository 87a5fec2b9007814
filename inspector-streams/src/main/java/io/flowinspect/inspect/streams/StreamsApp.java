package io.flowinspect.inspect.streams;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Streams application's life: start, wait until it is processing, report a failed stream
 * thread, count what it processed, stop cleanly. The inspector and the benchmark's baseline run
 * their topologies through it.
 */
public class StreamsApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

  private final String name;
  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);
  private final MetricSum records;
  private volatile Throwable failure;
  private volatile boolean closed;

  public StreamsApp(String name, Topology topology, Properties streamsProperties) {
    this.name = name;
    this.streams = new KafkaStreams(topology, streamsProperties);
    this.records = metric("stream-thread-metrics", "process-total");
    streams.setStateListener((now, before) -> {
      stateChanged(now);
      if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR) {
        running.countDown();
      }
    });
    streams.setUncaughtExceptionHandler(e -> {
      failure = e;
      LOG.error("{} stream thread failed", name, e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
  }

  /** Starts processing and waits until the first rebalance is done. */
  public StreamsApp start(Duration timeout) throws InterruptedException {
    streams.start();
    if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " not running after " + timeout + " (state " + streams.state() + ")");
    }
    if (streams.state() == KafkaStreams.State.ERROR || failure != null) {
      throw new IllegalStateException(name + " failed to start", failure);
    }
    return this;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Records processed since start (Kafka Streams' own count over its stream threads). */
  public long recordsProcessed() {
    return (long) records.value();
  }

  public Throwable failure() {
    return failure;
  }

  /**
   * Whether the instance has stopped without {@link #close} being called: a stream thread failed
   * and took the instance down with it ({@code SHUTDOWN_CLIENT}), or Kafka Streams shut it down.
   */
  public boolean stoppedByItself() {
    KafkaStreams.State s = streams.state();
    boolean stopped = s == KafkaStreams.State.ERROR || s == KafkaStreams.State.PENDING_ERROR
        || s == KafkaStreams.State.NOT_RUNNING || s == KafkaStreams.State.PENDING_SHUTDOWN;
    return stopped && !closed;
  }

  /** A metric of this application, summed over its threads and tasks. */
  protected final MetricSum metric(String group, String metricName) {
    return new MetricSum(streams, group, metricName);
  }

  /**
   * Called when the instance changes state, on the thread that changed it (a stream thread when a
   * rebalance begins: before it gives up any partition).
   */
  protected void stateChanged(KafkaStreams.State now) {}

  /** Called before the instance is asked to close (and so before its last commits). */
  protected void closing() {}

  @Override
  public void close() {
    closed = true;
    closing();
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
    closed = true;
    closing();
    streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(30)));
  }
}

package io.flowinspect.measure;

import io.flowinspect.capture.WallClock;
import io.flowinspect.schemas.Topics;
import io.flowinspect.schemas.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Capture-to-verdict latency as an enforcer would see it. The agent stamps each packet with the
 * wall-clock time at which it hands it to its publisher ({@code ReplayOptions#restamped}); a
 * verdict carries the time of its connection's first packet; this consumer, in the same JVM and
 * on the same clock, subtracts that from the time the verdict reaches it. What is measured is
 * everything in between: the agent's batching linger, its producer, the broker, the inspector's
 * poll, processing and producer, and for exactly-once the transaction commit (the consumer reads
 * committed records only, as an enforcer must).
 *
 * <p>Verdicts for connections that began within {@link #warmUp} of the first one are received but
 * not counted (the first verdict's stamp is the first packet's send time, however late the verdict):
 * a run starts with a warm-up, because the first records each client sends to a topic wait for
 * that topic's metadata (the inspector's producer has a dozen topics to learn, and blocks the
 * stream thread meanwhile), which delayed the verdicts of the first ~300 ms by 150-200 ms. That
 * is a cost of starting, once per process, not of running.
 */
final class VerdictLatency implements AutoCloseable {
  private final KafkaConsumer<byte[], Verdict> consumer;
  private final Thread thread;
  private volatile boolean stop;
  private long[] latencies = new long[1 << 16];
  private long[] sentAt = new long[1 << 16];
  private int count;
  private int received;
  private volatile long warmUpNanos;
  /** The send time of the earliest connection seen, or MIN_VALUE before the first verdict. */
  private long firstSentNanos = Long.MIN_VALUE;

  VerdictLatency(String bootstrapServers, Topics topics) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), topics.verdicts().valueSerde().deserializer());
    consumer.assign(consumer.partitionsFor(topics.verdicts().name()).stream()
        .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList());
    thread = new Thread(this::run, "flowinspect-bench-latency");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!stop) {
      for (ConsumerRecord<byte[], Verdict> r : consumer.poll(Duration.ofMillis(20))) {
        long received = WallClock.epochNanos();
        if (r.value() != null) {
          add(r.value().getTimeNanos(), received - r.value().getTimeNanos());
        }
      }
    }
  }

  /** Verdicts of connections whose first packet was sent within {@code nanos} of the first one's are not counted. */
  void warmUp(long nanos) {
    warmUpNanos = nanos;
  }

  private synchronized void add(long sentNanos, long nanos) {
    received++;
    if (firstSentNanos == Long.MIN_VALUE || sentNanos < firstSentNanos) {
      firstSentNanos = sentNanos; // partitions may deliver a slightly earlier one second
    }
    if (sentNanos < firstSentNanos + warmUpNanos) {
      return;
    }
    if (count == latencies.length) {
      latencies = Arrays.copyOf(latencies, count * 2);
      sentAt = Arrays.copyOf(sentAt, count * 2);
    }
    sentAt[count] = sentNanos;
    latencies[count++] = nanos;
  }

  /** Verdicts received, counted or not. */
  synchronized int received() {
    return received;
  }

  /** The verdicts counted so far, as one consistent copy. */
  synchronized Samples counted() {
    return new Samples(Arrays.copyOf(sentAt, count), Arrays.copyOf(latencies, count));
  }

  /** Counted verdicts in arrival order: each one's send time (epoch ns) and latency (ns). */
  record Samples(long[] sentNanos, long[] latencyNanos) {
    /** The latencies, sorted. */
    long[] sorted() {
      long[] s = latencyNanos.clone();
      Arrays.sort(s);
      return s;
    }

    /**
     * Writes a line "send_epoch_nanos latency_nanos" per verdict: plotted against send time, a
     * stall shows as a ramp (everything sent during it arrives at its end).
     */
    void write(Path file) {
      try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
        out.println("# send_epoch_nanos latency_nanos");
        for (int i = 0; i < sentNanos.length; i++) {
          out.println(sentNanos[i] + " " + latencyNanos[i]);
        }
        if (out.checkError()) {
          throw new UncheckedIOException(new IOException("could not write " + file));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not write " + file, e);
      }
    }
  }

  /** The value below which {@code fraction} of the sorted samples lie (nearest rank). */
  static double percentileMillis(long[] sorted, double fraction) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join(5_000);
    consumer.close(Duration.ofSeconds(5));
  }
}

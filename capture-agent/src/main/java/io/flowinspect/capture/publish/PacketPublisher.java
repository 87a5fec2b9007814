package io.flowinspect.capture.publish;

import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.PacketHeader;
import io.flowinspect.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes packet headers to the packets topic, keyed by flow, with the capture time as the
 * record timestamp, and a heartbeat to every partition each time capture time moves on by the
 * heartbeat interval, so that the inspector's stream time, and its timeouts, advance on partitions
 * that carry no traffic — in a live capture and in a replay alike.
 */
public final class PacketPublisher implements AutoCloseable {
  private final Producer<FlowKey, PacketBatch> producer;
  private final Topics topics;
  private final PublisherOptions options;
  private final int partitions;
  private final long heartbeatNanos;
  private long nextHeartbeatNanos = Long.MIN_VALUE;
  private long watermarkNanos = Long.MIN_VALUE;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
  private long heartbeats;

  public PacketPublisher(Producer<FlowKey, PacketBatch> producer, Topics topics, PublisherOptions options) {
    this.producer = producer;
    this.topics = topics;
    this.options = options;
    this.partitions = producer.partitionsFor(topics.packets().name()).size();
    this.heartbeatNanos = options.heartbeatInterval().toNanos();
  }

  /** A producer tuned for the agent: idempotent, compressed, batching briefly. */
  public static PacketPublisher connect(String bootstrapServers, Topics topics, PublisherOptions options,
      Properties overrides) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "flowinspect-agent-" + options.sensor());
    p.putAll(overrides);
    KafkaProducer<FlowKey, PacketBatch> producer = new KafkaProducer<>(p, topics.packets().keySerde().serializer(),
        topics.packets().valueSerde().serializer());
    return new PacketPublisher(producer, topics, options);
  }

  public void publish(FlowKey key, PacketHeader header) {
    long time = header.getTimeNanos();
    heartbeatIfDue(time);
    watermarkNanos = Math.max(watermarkNanos, time);
    PacketBatch batch = new PacketBatch(options.sensor(), watermarkNanos, List.of(header));
    int partition = options.partitioning().partition(key, partitions);
    send(new ProducerRecord<>(topics.packets().name(), partition, Duration.ofNanos(time).toMillis(), key, batch));
  }

  /** Says to every partition that capture time has reached {@code nowNanos}. */
  public void heartbeat(long nowNanos) {
    watermarkNanos = Math.max(watermarkNanos, nowNanos);
    PacketBatch beat = new PacketBatch(options.sensor(), watermarkNanos, List.of());
    long millis = Duration.ofNanos(watermarkNanos).toMillis();
    for (int p = 0; p < partitions; p++) {
      send(new ProducerRecord<>(topics.packets().name(), p, millis, null, beat));
    }
    heartbeats++;
  }

  public void flush() {
    producer.flush();
  }

  public long published() {
    return published.get();
  }

  public long failed() {
    return failed.get();
  }

  public long heartbeats() {
    return heartbeats;
  }

  public Exception firstFailure() {
    return firstFailure.get();
  }

  public int partitions() {
    return partitions;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }

  private void heartbeatIfDue(long time) {
    if (nextHeartbeatNanos == Long.MIN_VALUE) {
      nextHeartbeatNanos = time + heartbeatNanos;
    } else if (time >= nextHeartbeatNanos) {
      // Heartbeat at the previous watermark: everything up to it has been sent on every partition.
      heartbeat(watermarkNanos);
      nextHeartbeatNanos = time + heartbeatNanos;
    }
  }

  private void send(ProducerRecord<FlowKey, PacketBatch> record) {
    producer.send(record, (metadata, exception) -> {
      if (exception == null) {
        published.incrementAndGet();
      } else {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, exception);
      }
    });
  }
}

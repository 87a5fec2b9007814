package io.flowinspect.capture.publish;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketHeader;
import io.flowinspect.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes packet headers to the packets topic, several per record.
 *
 * <p>Batches. Headers bound for one partition wait up to {@code linger} of capture time, or until
 * {@code maxBatchPackets} are together, then go out as one record in capture order. They wait in
 * their Avro wire form ({@link AvroWire}): a decoded packet becomes bytes in a reused buffer,
 * with no object per packet. A record
 * whose packets all belong to one connection is keyed by that connection; one that mixes
 * connections lists their keys inside (see {@link PartitionBatch}). Batching by partition rather
 * than by connection is what makes batches fill on real links, where thousands of connections
 * interleave and few send twice within a few milliseconds, and it keeps every partition in
 * capture order, which related connections (FTP data, ICMP errors) and timeouts rely on.
 *
 * <p>Watermarks. Every record says up to which capture time this agent has sent everything (the
 * oldest packet still waiting in a batch, or now). The inspector expires connections only up to
 * that point, so that batching never changes which packets find their connection alive.
 *
 * <p>Heartbeats. When capture time has moved on by the heartbeat interval, every waiting batch is
 * sent and then a record with no packets goes to every partition, so that stream time, and the
 * timeouts it drives, advance on partitions without traffic — in a live capture and in a replay.
 *
 * <p>Bounded memory, and a capture thread that never blocks on Kafka. Records go to the producer
 * from a {@link RecordSender} thread; at most {@code maxInFlightPackets} headers are queued or
 * unacknowledged, past that the publisher drops and counts, or waits, as {@link Backpressure}
 * says. Thread-safe.
 */
public final class PacketPublisher implements AutoCloseable {
  private final String topic;
  private final PublisherOptions options;
  private final int partitions;
  private final long heartbeatNanos;
  private final long lingerNanos;
  private final PartitionBatch[] open;
  private final RecordSender sender;
  private final byte[] sensorUtf8;
  private final byte[] scratch = new byte[48];
  private long nextHeartbeatNanos = Long.MIN_VALUE;
  private long lastPacketNanos = Long.MIN_VALUE;
  private long watermarkNanos = Long.MIN_VALUE;
  private long packetsSent;
  private long recordsSent;
  private long heartbeats;

  public PacketPublisher(Producer<byte[], byte[]> producer, Topics topics, PublisherOptions options) {
    this.topic = topics.packets().name();
    this.options = options;
    this.partitions = producer.partitionsFor(topic).size();
    this.heartbeatNanos = options.heartbeatInterval().toNanos();
    this.lingerNanos = options.linger().toNanos();
    this.open = new PartitionBatch[partitions];
    for (int p = 0; p < partitions; p++) {
      open[p] = new PartitionBatch(p);
    }
    this.sensorUtf8 = options.sensor().getBytes(StandardCharsets.UTF_8);
    this.sender = new RecordSender(producer, options.backpressure(), options.maxInFlightPackets(),
        "flowinspect-sender-" + options.sensor());
  }

  /** A producer tuned for the agent: idempotent (ordered, no duplicates), compressed, sending at once. */
  public static PacketPublisher connect(String bootstrapServers, Topics topics, PublisherOptions options,
      Properties overrides) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // No linger of the producer's own: the publisher has batched already (up to its linger of
    // capture time), so a batch record waiting again for company only added to the latency: the
    // benchmark's p50 capture-to-verdict went from ~18 to ~13 ms with the agent's 5 ms taken out.
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(256L * 1024 * 1024));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "flowinspect-agent-" + options.sensor());
    p.putAll(overrides);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
        new ByteArraySerializer());
    return new PacketPublisher(producer, topics, options);
  }

  /** The hot path: a decoded packet straight into its partition's batch, as bytes. */
  public synchronized void publish(DecodedPacket packet) {
    before(packet.timeNanos());
    PartitionBatch b = open[options.partitioning().partition(packet, partitions, scratch)];
    b.add(packet);
    after(b);
  }

  /** The same for a packet already in the topic's Avro records (tools and tests). */
  public synchronized void publish(FlowKey key, PacketHeader header) {
    before(header.getTimeNanos());
    PartitionBatch b = open[options.partitioning().partition(key, partitions)];
    b.add(key, header);
    after(b);
  }

  private void before(long time) {
    if (nextHeartbeatNanos == Long.MIN_VALUE) {
      nextHeartbeatNanos = time + heartbeatNanos;
    } else if (time >= nextHeartbeatNanos) {
      heartbeatLocked(lastPacketNanos);
      nextHeartbeatNanos = time + heartbeatNanos;
    }
    lastPacketNanos = Math.max(lastPacketNanos, time);
    sendLingered(time, Long.MIN_VALUE);
  }

  private void after(PartitionBatch b) {
    if (b.size() >= options.maxBatchPackets()) {
      sendBatch(b);
    }
  }

  /**
   * Sends every waiting batch, then tells every partition that capture time has reached
   * {@code nowNanos} (never less than the last packet published).
   */
  public synchronized void heartbeat(long nowNanos) {
    heartbeatLocked(Math.max(nowNanos, lastPacketNanos));
  }

  /**
   * For live capture, called regularly from a timer: sends batches that have waited longer than
   * the linger in wall-clock time (traffic may stop, and capture time with it), and a heartbeat
   * when {@code captureClockNanos} — the clock packets are stamped with, less a grace for packets
   * still in the kernel's buffer — passed the next heartbeat.
   */
  public synchronized void tick(long captureClockNanos) {
    sendLingered(Long.MIN_VALUE, System.nanoTime() - lingerNanos);
    if (nextHeartbeatNanos != Long.MIN_VALUE && captureClockNanos >= nextHeartbeatNanos) {
      heartbeatLocked(Math.max(captureClockNanos, lastPacketNanos));
      nextHeartbeatNanos = captureClockNanos + heartbeatNanos;
    }
  }

  /**
   * Sends every waiting batch and waits until the broker answered for everything sent, at most
   * {@code timeout}; returns false when time ran out.
   */
  public boolean flush(Duration timeout) {
    synchronized (this) {
      sendAllWaiting();
    }
    return sender.flush(timeout);
  }

  public void flush() {
    flush(Duration.ofMinutes(5));
  }

  public synchronized PublisherStats stats() {
    return new PublisherStats(packetsSent, recordsSent, sender.packetsAcked.get(), sender.recordsAcked.get(),
        sender.pendingPackets(), sender.packetsDropped.get(), sender.packetsFailed.get(), heartbeats);
  }

  public Exception firstFailure() {
    return sender.firstFailure.get();
  }

  public int partitions() {
    return partitions;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  /**
   * Sends what waits and stops, within {@code timeout}; packets not acknowledged by then are
   * counted as failed.
   */
  public void close(Duration timeout) {
    synchronized (this) {
      sendAllWaiting();
    }
    sender.close(timeout);
  }

  private void heartbeatLocked(long nowNanos) {
    sendAllWaiting();
    watermarkNanos = Math.max(watermarkNanos, nowNanos);
    byte[] beat = PartitionBatch.heartbeat(sensorUtf8, watermarkNanos);
    long millis = Duration.ofNanos(watermarkNanos).toMillis();
    for (int p = 0; p < partitions; p++) {
      if (sender.offer(new ProducerRecord<>(topic, p, millis, null, beat), 0)) {
        recordsSent++;
      }
    }
    heartbeats++;
  }

  /** Sends batches opened at or before {@code captureNanos} - linger, or by wall clock before {@code wallNanos}. */
  private void sendLingered(long captureNanos, long wallNanos) {
    for (PartitionBatch b : open) {
      if (b.size() > 0 && (b.firstNanos() + lingerNanos <= captureNanos || b.openedWallNanos() <= wallNanos)) {
        sendBatch(b);
      }
    }
  }

  private void sendAllWaiting() {
    for (PartitionBatch b : open) {
      if (b.size() > 0) {
        sendBatch(b);
      }
    }
  }

  private void sendBatch(PartitionBatch b) {
    int packets = b.size();
    long first = b.firstNanos();
    byte[] recordKey = b.recordKey();
    // Everything before the oldest header still waiting elsewhere has been sent, on every partition.
    long safe = lastPacketNanos;
    for (PartitionBatch other : open) {
      if (other != b && other.size() > 0) {
        safe = Math.min(safe, other.firstNanos() - 1);
      }
    }
    watermarkNanos = Math.max(watermarkNanos, safe);
    byte[] value = b.takeValue(sensorUtf8, watermarkNanos);
    if (sender.offer(new ProducerRecord<>(topic, b.partition(), Duration.ofNanos(first).toMillis(), recordKey, value),
        packets)) {
      packetsSent += packets;
      recordsSent++;
    }
  }
}

package io.flowinspect.capture.publish;

import java.time.Duration;

/**
 * How the agent publishes.
 *
 * @param sensor the agent's name, written into every batch
 * @param partitioning which part of the key chooses the partition
 * @param heartbeatInterval capture time between heartbeats to every partition
 * @param maxBatchPackets most packet headers in one record; 1 turns batching off
 * @param linger how long (capture time) a partition's batch may wait for more packets
 * @param maxInFlightPackets most packets sent and not yet acknowledged by the broker
 * @param backpressure what to do when that bound is reached
 */
public record PublisherOptions(String sensor, Partitioning partitioning, Duration heartbeatInterval,
    int maxBatchPackets, Duration linger, long maxInFlightPackets, Backpressure backpressure) {

  public PublisherOptions {
    if (sensor == null || sensor.isBlank()) {
      throw new IllegalArgumentException("sensor name is blank");
    }
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("heartbeat interval must be positive: " + heartbeatInterval);
    }
    if (maxBatchPackets < 1 || maxBatchPackets > 10_000) {
      throw new IllegalArgumentException("batch size must be 1-10000 packets: " + maxBatchPackets);
    }
    if (linger.isNegative()) {
      throw new IllegalArgumentException("linger must not be negative: " + linger);
    }
    if (maxInFlightPackets < 1) {
      throw new IllegalArgumentException("in-flight bound must be at least 1: " + maxInFlightPackets);
    }
  }

  /** Batches of up to 256 packets lingering 5 ms, heartbeats every second, waiting for the broker. */
  public static PublisherOptions defaults(String sensor) {
    return new PublisherOptions(sensor, Partitioning.ADDRESS_PAIR, Duration.ofSeconds(1), 256, Duration.ofMillis(5),
        1_000_000, Backpressure.WAIT);
  }

  public PublisherOptions withBatching(int packets, Duration lingerFor) {
    return new PublisherOptions(sensor, partitioning, heartbeatInterval, packets, lingerFor, maxInFlightPackets,
        backpressure);
  }

  public PublisherOptions withPartitioning(Partitioning value) {
    return new PublisherOptions(sensor, value, heartbeatInterval, maxBatchPackets, linger, maxInFlightPackets,
        backpressure);
  }

  public PublisherOptions withHeartbeatInterval(Duration value) {
    return new PublisherOptions(sensor, partitioning, value, maxBatchPackets, linger, maxInFlightPackets,
        backpressure);
  }

  public PublisherOptions withBackpressure(Backpressure value, long maxInFlight) {
    return new PublisherOptions(sensor, partitioning, heartbeatInterval, maxBatchPackets, linger, maxInFlight, value);
  }
}

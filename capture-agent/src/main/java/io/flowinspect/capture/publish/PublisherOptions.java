package io.flowinspect.capture.publish;

import java.time.Duration;

/**
 * How the agent publishes.
 *
 * @param sensor the agent's name, written into every batch
 * @param partitioning which part of the key chooses the partition
 * @param heartbeatInterval capture-time interval between heartbeats to every partition
 */
public record PublisherOptions(String sensor, Partitioning partitioning, Duration heartbeatInterval) {
  public PublisherOptions {
    if (sensor == null || sensor.isBlank()) {
      throw new IllegalArgumentException("sensor name is blank");
    }
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("heartbeat interval must be positive: " + heartbeatInterval);
    }
  }

  public static PublisherOptions defaults(String sensor) {
    return new PublisherOptions(sensor, Partitioning.ADDRESS_PAIR, Duration.ofSeconds(1));
  }
}

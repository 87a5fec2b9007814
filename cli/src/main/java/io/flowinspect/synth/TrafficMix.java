package io.flowinspect.synth;

import java.time.Duration;

/**
 * What a synthetic workload looks like.
 *
 * @param concurrentConnections connections open at any moment once the workload is under way
 * @param newConnectionsPerSecond connection arrival rate (capture time); with the concurrency it
 *     fixes each connection's lifetime (Little's law: lifetime = concurrent / rate)
 * @param packets total packets to write
 * @param tcpPercent share of TCP connections; the rest is split by {@code udpPercent}, then ICMP
 * @param udpPercent share of UDP flows
 * @param ipv6Percent share of connections over IPv6
 * @param seed random seed: the same mix and seed always give the same capture, byte for byte
 */
public record TrafficMix(long concurrentConnections, double newConnectionsPerSecond, long packets, int tcpPercent,
    int udpPercent, int ipv6Percent, long seed) {

  public TrafficMix {
    if (concurrentConnections < 1) {
      throw new IllegalArgumentException("concurrent connections must be at least 1: " + concurrentConnections);
    }
    if (newConnectionsPerSecond <= 0) {
      throw new IllegalArgumentException("connection rate must be positive: " + newConnectionsPerSecond);
    }
    if (tcpPercent < 0 || udpPercent < 0 || tcpPercent + udpPercent > 100 || ipv6Percent < 0 || ipv6Percent > 100) {
      throw new IllegalArgumentException("percentages must be 0-100 and tcp + udp at most 100");
    }
    if (packets < 1) {
      throw new IllegalArgumentException("packets must be at least 1: " + packets);
    }
  }

  public static TrafficMix typical(long concurrent, long packets) {
    return new TrafficMix(concurrent, Math.max(1, concurrent / 10.0), packets, 80, 15, 10, 1);
  }

  /** How long each connection lives. */
  public Duration lifetime() {
    return Duration.ofNanos((long) (concurrentConnections / newConnectionsPerSecond * 1e9));
  }
}

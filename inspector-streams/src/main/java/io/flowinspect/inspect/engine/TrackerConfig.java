package io.flowinspect.inspect.engine;

import java.util.Arrays;

/**
 * The knobs of connection tracking, named after the kernel sysctls they mirror.
 *
 * @param pickup accept a TCP connection whose handshake was not seen ({@code nf_conntrack_tcp_loose});
 *     on by default: a sensor always starts in the middle of someone's connections
 * @param liberal accept out-of-window TCP segments ({@code nf_conntrack_tcp_be_liberal}), for feeds
 *     that miss packets or carry only one direction
 * @param checksums treat packets with a bad transport checksum as invalid ({@code nf_conntrack_checksum})
 * @param ftpPorts server ports whose control connections are parsed for data-connection expectations
 * @param timeouts connection lifetimes
 * @param limits how many connections may be tracked, and what happens near the limit
 */
public record TrackerConfig(boolean pickup, boolean liberal, boolean checksums, int[] ftpPorts, Timeouts timeouts,
    StateLimits limits) {

  public TrackerConfig {
    ftpPorts = ftpPorts.clone();
    for (int port : ftpPorts) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("ftp port out of range: " + port);
      }
    }
  }

  public static TrackerConfig defaults() {
    return new TrackerConfig(true, false, true, new int[] {21}, Timeouts.linux(), StateLimits.defaults());
  }

  public TrackerConfig withPickup(boolean value) {
    return new TrackerConfig(value, liberal, checksums, ftpPorts, timeouts, limits);
  }

  public TrackerConfig withLiberal(boolean value) {
    return new TrackerConfig(pickup, value, checksums, ftpPorts, timeouts, limits);
  }

  public TrackerConfig withChecksums(boolean value) {
    return new TrackerConfig(pickup, liberal, value, ftpPorts, timeouts, limits);
  }

  public TrackerConfig withTimeouts(Timeouts value) {
    return new TrackerConfig(pickup, liberal, checksums, ftpPorts, value, limits);
  }

  public TrackerConfig withFtpPorts(int... value) {
    return new TrackerConfig(pickup, liberal, checksums, value, timeouts, limits);
  }

  public TrackerConfig withLimits(StateLimits value) {
    return new TrackerConfig(pickup, liberal, checksums, ftpPorts, timeouts, value);
  }

  boolean isFtpPort(int port) {
    for (int p : ftpPorts) {
      if (p == port) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int[] ftpPorts() {
    return ftpPorts.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrackerConfig c && pickup == c.pickup && liberal == c.liberal && checksums == c.checksums
        && Arrays.equals(ftpPorts, c.ftpPorts) && timeouts.equals(c.timeouts) && limits.equals(c.limits);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ftpPorts) * 31 + timeouts.hashCode() * 7 + limits.hashCode() + (pickup ? 1 : 0)
        + (liberal ? 2 : 0) + (checksums ? 4 : 0);
  }

  @Override
  public String toString() {
    return "TrackerConfig[pickup=" + pickup + ", liberal=" + liberal + ", checksums=" + checksums + ", ftpPorts="
        + Arrays.toString(ftpPorts) + ", timeouts=" + timeouts + ", limits=" + limits + "]";
  }
}

package io.flowinspect.capture;

/**
 * Wall-clock time in nanoseconds since the epoch, with the resolution of {@link System#nanoTime}:
 * the epoch offset is read once, so two readings in one JVM are as precise as the monotonic clock.
 * Used only where real time is the point (live capture, latency measurement), never for inspection.
 */
public final class WallClock {
  private static final long OFFSET = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

  private WallClock() {}

  public static long epochNanos() {
    return OFFSET + System.nanoTime();
  }
}

package io.flowinspect.capture;

import java.util.concurrent.locks.LockSupport;

/** Holds a replay to the capture's own timing, sped up {@code speed} times. */
final class Pacer {
  private final double speed;
  private long firstCaptureNanos = Long.MIN_VALUE;
  private long firstWallNanos;

  Pacer(double speed) {
    this.speed = speed;
  }

  /** Waits until the wall clock has caught up with {@code captureNanos}. */
  void await(long captureNanos) {
    if (speed <= 0) {
      return;
    }
    if (firstCaptureNanos == Long.MIN_VALUE) {
      firstCaptureNanos = captureNanos;
      firstWallNanos = System.nanoTime();
      return;
    }
    long due = firstWallNanos + (long) ((captureNanos - firstCaptureNanos) / speed);
    long wait = due - System.nanoTime();
    // Sleeping for less than a millisecond costs more than it keeps: batch the small waits.
    if (wait > 1_000_000L) {
      LockSupport.parkNanos(wait);
    }
  }
}

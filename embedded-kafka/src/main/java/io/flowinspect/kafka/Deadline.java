package io.flowinspect.kafka;

import java.time.Duration;

/** A point in monotonic time that waits count down to. */
record Deadline(long nanos) {
  static Deadline after(Duration timeout) {
    return new Deadline(System.nanoTime() + timeout.toNanos());
  }

  Duration remaining() {
    return Duration.ofNanos(Math.max(0, nanos - System.nanoTime()));
  }

  boolean passed() {
    return nanos - System.nanoTime() <= 0;
  }
}

package io.flowinspect.demo;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something a running inspector will do, polling, and fails the test if it does not within a minute. */
final class Await {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private Await() {}

  static void until(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + LIMIT.toSeconds() + " s: " + what);
      }
      Thread.sleep(20);
    }
  }
}

package io.flowinspect.measure;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Watches a consumer work through a backlog: polls its progress counter until it reaches the
 * target, and times the work from the first unit done to the last, so that start-up and the
 * first rebalance are not counted as processing time. Samples heap use and a gauge on the way.
 *
 * @param units what was done between the poll that first saw progress and the one that saw the
 *     target reached (what was done before the first poll is neither counted nor timed)
 * @param nanos the time between those two polls
 * @param startNanos from the start of watching to the first progress (start-up, rebalance)
 * @param peakHeapBytes the highest heap use sampled, this JVM
 * @param peakGauge the highest value of the gauge sampled
 * @param cpuNanos CPU time the watched threads used between those two polls (0 when not watched)
 */
record CatchUp(long units, long nanos, long startNanos, long peakHeapBytes, long peakGauge, long cpuNanos) {
  /** Poll often enough that the timing error stays under 1% for runs of a few seconds. */
  static final Duration POLL = Duration.ofMillis(10);
  /**
   * No progress for this long, with work left, is a failure rather than a slow run. Generous:
   * RocksDB stops writes while compaction catches up, and with ten million connections on two
   * cores such a stop was seen to last over 90 s.
   */
  static final Duration STALL = Duration.ofSeconds(300);

  double perSecond() {
    return nanos <= 0 ? 0 : units * 1e9 / nanos;
  }

  /** Units per second of the watched threads' CPU time; NaN when CPU was not watched. */
  double perCpuSecond() {
    return cpuNanos <= 0 ? Double.NaN : units * 1e9 / cpuNanos;
  }

  static CatchUp await(LongSupplier progress, long target, LongSupplier gauge, Duration timeout,
      Supplier<Throwable> failure) throws InterruptedException {
    return await(progress, target, gauge, () -> 0, timeout, failure);
  }

  /**
   * Polls until {@code progress} (counted from zero when the watched consumer started) reaches
   * {@code target}; fails after {@code timeout}, or at once when {@code failure} reports one.
   */
  static CatchUp await(LongSupplier progress, long target, LongSupplier gauge, LongSupplier cpu, Duration timeout,
      Supplier<Throwable> failure) throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    long first = -1;
    long doneAtFirst = 0;
    long cpuAtFirst = 0;
    long peakHeap = 0;
    long peakGauge = 0;
    long lastDone = 0;
    long lastChange = started;
    while (true) {
      long now = System.nanoTime();
      long done = progress.getAsLong();
      if (done != lastDone) {
        lastDone = done;
        lastChange = now;
      } else if (now - lastChange > STALL.toNanos()) {
        throw new IllegalStateException("no progress for " + STALL.toSeconds() + " s at " + done + " of " + target);
      }
      peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
      peakGauge = Math.max(peakGauge, gauge.getAsLong());
      if (first < 0 && done > 0) {
        first = now;
        doneAtFirst = done;
        cpuAtFirst = cpu.getAsLong();
      }
      if (done >= target) {
        long begin = first < 0 ? now : first;
        long cpuUsed = first < 0 ? 0 : cpu.getAsLong() - cpuAtFirst;
        return new CatchUp(done - doneAtFirst, now - begin, begin - started, peakHeap, peakGauge, cpuUsed);
      }
      Throwable t = failure.get();
      if (t != null) {
        throw new IllegalStateException("failed after " + done + " of " + target + ": " + t, t);
      }
      if (now > deadline) {
        throw new IllegalStateException("only " + done + " of " + target + " done after " + timeout);
      }
      Thread.sleep(POLL.toMillis());
    }
  }
}

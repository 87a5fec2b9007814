package io.flowinspect.inspect.streams;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * How long a stream thread has waited for records, and so how much time its tasks may spend
 * writing changed connections ahead of the next commit ({@link ConnectionCacheStore#writeOldestChanges}).
 *
 * <p>A gap between two records counts as idle only when the thread spent most of it off the CPU:
 * blocked in the consumer's poll, waiting for the broker. A saturated thread has gaps too, but it
 * spends them working (reading and deserializing the next fetch, committing), and it waits for a
 * core on these shared machines all the time, not in its gaps; neither is time to spare. Each tick
 * (a round of the tasks' wall-clock punctuations, at least {@link #TICK_NANOS} apart) hands out
 * half of the idle time since the last one, split equally among the thread's tasks, and nothing at
 * all when the thread was idle less than half of the tick: a thread working through a backlog
 * keeps every change for its commit, where a connection changed many times is written once.
 *
 * <p>One instance per stream thread ({@link #ofCurrentThread()}); not thread-safe, and needs none.
 */
final class IdleTime {
  /** Gaps shorter than this are the stream thread's own bookkeeping between records, never idle. */
  static final long MIN_GAP_NANOS = 200_000;
  static final long TICK_NANOS = 5_000_000;
  /**
   * Idle time counted per tick at most: a thread that waited for minutes (or was paused) should not
   * then spend seconds writing when records come back.
   */
  static final long MAX_IDLE_PER_TICK_NANOS = 200_000_000;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final ThreadLocal<IdleTime> OF_THREAD = ThreadLocal.withInitial(() ->
      THREADS.isCurrentThreadCpuTimeSupported()
          ? new IdleTime(System::nanoTime, THREADS::getCurrentThreadCpuTime)
          : new IdleTime(System::nanoTime, null));

  private final LongSupplier wallNanos;
  /** This thread's CPU time; null where the JVM cannot tell, and then no time counts as idle. */
  private final LongSupplier cpuNanos;

  private int tasks;
  private long lastEndWall;
  private long lastEndCpu;
  private long idleSinceTick;
  private long lastTick;
  /** Starts at 0 with nothing to hand out: a task's first call only joins it. */
  private long tick;
  private long perTaskAllowance;

  IdleTime(LongSupplier wallNanos, LongSupplier cpuNanos) {
    this.wallNanos = wallNanos;
    this.cpuNanos = cpuNanos;
  }

  static IdleTime ofCurrentThread() {
    return OF_THREAD.get();
  }

  void taskStarted() {
    if (tasks == 0) { // the thread's first task, or the first after a time without any
      idleSinceTick = 0;
      lastEndWall = 0;
    }
    tasks++;
  }

  void taskClosed() {
    tasks = Math.max(0, tasks - 1);
  }

  /** Before a record's work. */
  void workStarts() {
    closeGap(wallNanos.getAsLong());
  }

  /** Counts the gap since the last work ended, if it was idle. */
  private void closeGap(long now) {
    if (lastEndWall == 0 || cpuNanos == null) {
      return;
    }
    long gap = now - lastEndWall;
    if (gap > MIN_GAP_NANOS) {
      long offCpu = gap - (cpuNanos.getAsLong() - lastEndCpu);
      if (offCpu > gap / 2) {
        idleSinceTick += offCpu;
      }
    }
  }

  /** After a record's work, and after work done in idle time (which must not count as idle itself). */
  void workEnds() {
    lastEndWall = wallNanos.getAsLong();
    lastEndCpu = cpuNanos == null ? 0 : cpuNanos.getAsLong();
  }

  /**
   * One task's place in the ticks: the tick it last drew its share from. A new tick starts when a
   * task that has had its share of the current one asks again (at least {@link #TICK_NANOS} later),
   * so that every task gets its share of each tick, however long the ones before it spent writing.
   */
  static final class Share {
    private long tick = -1;
  }

  /**
   * How many nanoseconds the task holding {@code share} may spend now: its share of the idle time
   * of the current tick, or 0 if it had it already. The wait still going on counts too: after a
   * burst the thread may get no record for a while, and its changes should not wait for one.
   */
  long allowance(Share share) {
    long now = wallNanos.getAsLong();
    if (lastTick == 0) {
      lastTick = now; // the first tick starts with the first call
    }
    if (share.tick == tick) {
      if (now - lastTick < TICK_NANOS) {
        return 0;
      }
      closeGap(now);
      workEnds();
      long elapsed = now - lastTick;
      long idle = Math.min(idleSinceTick, elapsed);
      perTaskAllowance = idle < elapsed / 2 ? 0 : Math.min(idle, MAX_IDLE_PER_TICK_NANOS) / 2 / Math.max(1, tasks);
      idleSinceTick = 0;
      lastTick = now;
      tick++;
    }
    share.tick = tick;
    return perTaskAllowance;
  }

  long nowNanos() {
    return wallNanos.getAsLong();
  }
}

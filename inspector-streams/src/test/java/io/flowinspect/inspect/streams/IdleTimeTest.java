package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The stream thread's idle time, on clocks the test moves: what counts as idle, and who may spend it. */
class IdleTimeTest {
  private static final long MS = 1_000_000;

  private long wall = 1_000 * MS;
  private long cpu = 0;
  private final IdleTime idle = new IdleTime(() -> wall, () -> cpu);

  /** One record's work: {@code workMs} on the CPU, after a gap of {@code gapMs} of which {@code gapCpuMs} on it. */
  private void record(long gapMs, long gapCpuMs, long workMs) {
    wall += gapMs * MS;
    cpu += gapCpuMs * MS;
    idle.workStarts();
    wall += workMs * MS;
    cpu += workMs * MS;
    idle.workEnds();
  }

  @Test
  void aThreadWaitingForRecordsMostOfATickMaySpendHalfOfThatWait() {
    idle.taskStarted();
    idle.allowanceForOneTask(); // the first tick
    record(0, 0, 1);
    for (int i = 0; i < 5; i++) {
      record(8, 0, 1); // 8 ms off the CPU, blocked in poll, then 1 ms of work
    }
    assertThat(idle.allowanceForOneTask()).isEqualTo(20 * MS);
  }

  @Test
  void gapsSpentOnTheCpuAreNotIdleAndABusyThreadGetsNothing() {
    idle.taskStarted();
    idle.allowanceForOneTask();
    record(0, 0, 1);
    for (int i = 0; i < 10; i++) {
      record(3, 3, 2); // reading and deserializing the next fetch: a gap, but working
    }
    assertThat(idle.allowanceForOneTask()).isZero();
  }

  @Test
  void aThreadIdleLessThanHalfOfTheTickKeepsEveryChangeForTheCommit() {
    idle.taskStarted();
    idle.allowanceForOneTask();
    record(0, 0, 1);
    record(4, 0, 6); // 4 ms idle in 10
    assertThat(idle.allowanceForOneTask()).isZero();
  }

  @Test
  void shortGapsAreTheThreadsOwnBookkeepingNeverIdle() {
    idle.taskStarted();
    idle.allowanceForOneTask();
    record(0, 0, 0);
    for (int i = 0; i < 100; i++) {
      wall += IdleTime.MIN_GAP_NANOS; // 0.2 ms off the CPU between records, 100 times
      idle.workStarts();
      idle.workEnds();
    }
    assertThat(idle.allowanceForOneTask()).isZero();
  }

  @Test
  void theTasksOfAThreadShareItsIdleTimeEquallyWithinATick() {
    idle.taskStarted();
    idle.taskStarted();
    idle.allowanceForOneTask();
    record(0, 0, 1);
    record(40, 0, 0);

    long first = idle.allowanceForOneTask();
    wall += MS; // the second task's punctuation, within the same tick
    long second = idle.allowanceForOneTask();

    assertThat(first).isEqualTo(10 * MS);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void idleTimeIsSpentOnceAndATaskThatClosedNoLongerTakesAShare() {
    idle.taskStarted();
    idle.taskStarted();
    idle.allowanceForOneTask();
    record(0, 0, 1);
    record(40, 0, 0);
    idle.taskClosed();

    assertThat(idle.allowanceForOneTask()).isEqualTo(20 * MS);
    wall += IdleTime.TICK_NANOS;
    cpu += IdleTime.TICK_NANOS;
    assertThat(idle.allowanceForOneTask()).as("busy since").isZero();
  }

  @Test
  void aWaitStillGoingOnCountsAtTheTickSoThatChangesNeedNotWaitForTheNextRecord() {
    idle.taskStarted();
    idle.allowanceForOneTask();
    record(0, 0, 1); // the last record of a burst

    wall += 100 * MS; // no record since: the thread waits in poll and wakes up to punctuate
    assertThat(idle.allowanceForOneTask()).isEqualTo(50 * MS);

    record(1, 0, 0); // the next record: the wait before it was counted once, at the tick
    wall += IdleTime.TICK_NANOS - MS;
    cpu += IdleTime.TICK_NANOS - MS;
    assertThat(idle.allowanceForOneTask()).isZero();
  }

  @Test
  void withoutThreadCpuTimeNothingCountsAsIdle() {
    IdleTime blind = new IdleTime(() -> wall, null);
    blind.taskStarted();
    blind.allowanceForOneTask();
    blind.workEnds();
    wall += 50 * MS;
    blind.workStarts();
    blind.workEnds();
    assertThat(blind.allowanceForOneTask()).isZero();
  }
}

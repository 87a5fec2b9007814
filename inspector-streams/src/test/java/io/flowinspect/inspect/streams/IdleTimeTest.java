package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The stream thread's idle time, on clocks the test moves: what counts as idle, and who may spend it. */
class IdleTimeTest {
  private static final long MS = 1_000_000;

  private long wall = 1_000 * MS;
  private long cpu = 0;
  private final IdleTime idle = new IdleTime(() -> wall, () -> cpu);
  private final IdleTime.Share first = new IdleTime.Share();
  private final IdleTime.Share second = new IdleTime.Share();

  /** One record's work: {@code workMs} on the CPU, after a gap of {@code gapMs} of which {@code gapCpuMs} on it. */
  private void record(long gapMs, long gapCpuMs, long workMs) {
    wall += gapMs * MS;
    cpu += gapCpuMs * MS;
    idle.workStarts();
    wall += workMs * MS;
    cpu += workMs * MS;
    idle.workEnds();
  }

  /** One task, which has joined the ticks, and a first record. */
  private void oneTaskAfterARecord() {
    idle.taskStarted();
    assertThat(idle.allowance(first)).as("joining hands out nothing").isZero();
    record(0, 0, 1);
  }

  @Test
  void aThreadWaitingForRecordsMostOfATickMaySpendHalfOfThatWait() {
    oneTaskAfterARecord();
    for (int i = 0; i < 5; i++) {
      record(8, 0, 1); // 8 ms off the CPU, blocked in poll, then 1 ms of work
    }
    assertThat(idle.allowance(first)).isEqualTo(20 * MS);
  }

  @Test
  void gapsSpentOnTheCpuAreNotIdleAndABusyThreadGetsNothing() {
    oneTaskAfterARecord();
    for (int i = 0; i < 10; i++) {
      record(3, 3, 2); // reading and deserializing the next fetch: a gap, but working
    }
    assertThat(idle.allowance(first)).isZero();
  }

  @Test
  void aThreadIdleLessThanHalfOfTheTickKeepsEveryChangeForTheCommit() {
    oneTaskAfterARecord();
    record(4, 0, 6); // 4 ms idle in 11
    assertThat(idle.allowance(first)).isZero();
  }

  @Test
  void shortGapsAreTheThreadsOwnBookkeepingNeverIdle() {
    oneTaskAfterARecord();
    for (int i = 0; i < 100; i++) {
      wall += IdleTime.MIN_GAP_NANOS; // 0.2 ms off the CPU between records, 100 times
      idle.workStarts();
      idle.workEnds();
    }
    assertThat(idle.allowance(first)).isZero();
  }

  @Test
  void aTickComesAtMostEveryTickIntervalAndATaskDrawsItsShareOnce() {
    oneTaskAfterARecord();
    record(40, 0, 0);
    assertThat(idle.allowance(first)).isEqualTo(20 * MS);
    wall += IdleTime.TICK_NANOS - 1;
    assertThat(idle.allowance(first)).as("too soon for a new tick").isZero();
  }

  @Test
  void theTasksOfAThreadShareEachTickEquallyHoweverLongTheFirstOneWrites() {
    idle.taskStarted();
    idle.taskStarted();
    idle.allowance(first);
    idle.allowance(second);
    record(0, 0, 1);
    record(40, 0, 0);

    long firstShare = idle.allowance(first);
    wall += firstShare; // the first task spends all of it writing, on the CPU
    cpu += firstShare;
    long secondShare = idle.allowance(second);

    assertThat(firstShare).isEqualTo(10 * MS);
    assertThat(secondShare).isEqualTo(firstShare);
  }

  @Test
  void idleTimeIsSpentOnceAndATaskThatClosedNoLongerTakesAShare() {
    idle.taskStarted();
    idle.taskStarted();
    idle.allowance(first);
    record(0, 0, 1);
    record(40, 0, 0);
    idle.taskClosed();

    assertThat(idle.allowance(first)).isEqualTo(20 * MS);
    wall += IdleTime.TICK_NANOS;
    cpu += IdleTime.TICK_NANOS;
    assertThat(idle.allowance(first)).as("busy since").isZero();
  }

  @Test
  void aWaitStillGoingOnCountsAtTheTickSoThatChangesNeedNotWaitForTheNextRecord() {
    oneTaskAfterARecord(); // the last record of a burst

    wall += 100 * MS; // no record since: the thread waits in poll and wakes up to punctuate
    assertThat(idle.allowance(first)).isEqualTo(50 * MS);

    record(1, 0, 0); // the next record: the wait before it was counted once, at the tick
    wall += IdleTime.TICK_NANOS - MS;
    cpu += IdleTime.TICK_NANOS - MS;
    assertThat(idle.allowance(first)).isZero();
  }

  @Test
  void aLongWaitHandsOutAtMostHalfTheCapInOneTick() {
    oneTaskAfterARecord();
    wall += 60_000 * MS; // a minute without records
    assertThat(idle.allowance(first)).isEqualTo(IdleTime.MAX_IDLE_PER_TICK_NANOS / 2);
  }

  @Test
  void withoutThreadCpuTimeNothingCountsAsIdle() {
    IdleTime blind = new IdleTime(() -> wall, null);
    blind.taskStarted();
    blind.allowance(first);
    blind.workEnds();
    wall += 50 * MS;
    blind.workStarts();
    blind.workEnds();
    assertThat(blind.allowance(first)).isZero();
  }
}

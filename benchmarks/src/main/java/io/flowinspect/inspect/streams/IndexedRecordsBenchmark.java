package io.flowinspect.inspect.streams;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A design probe beside {@link InPlaceTableBenchmark}, not product code: the same 64-byte records
 * and the same in-place update, but found the way packed memory finds its entries, through a
 * separate index (one long per slot: the key's hash and the record's number) into records laid
 * out in an order unrelated to the index. So each packet reads two places in memory that depend
 * on each other (slot, then record) instead of one. The batch reads all slots first, then all
 * records, then finds and updates, as the engine's lookups started ahead do. Nanoseconds per
 * packet; the difference from {@code InPlaceTableBenchmark.batchOf64} is what the second place
 * costs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@State(Scope.Benchmark)
public class IndexedRecordsBenchmark {
  private static final int RECORD = 8;
  private static final int BATCH = 64;

  @Param({"10000", "10000000"})
  public int connections;

  private long[] index;
  private long[] records;
  private int mask;
  private final SplittableRandom random = new SplittableRandom(1);
  private final int[] batch = new int[BATCH];
  private final int[] homes = new int[BATCH];
  private long now;

  @Setup
  public void fill() {
    int slots = Integer.highestOneBit(Math.max(16, connections * 4 / 3)) << 1;
    index = new long[slots];
    mask = slots - 1;
    records = new long[connections * RECORD];
    int[] place = new int[connections]; // record n of connection i: a random permutation
    for (int i = 0; i < connections; i++) {
      place[i] = i;
    }
    SplittableRandom shuffle = new SplittableRandom(2);
    for (int i = connections - 1; i > 0; i--) {
      int j = shuffle.nextInt(i + 1);
      int t = place[i];
      place[i] = place[j];
      place[j] = t;
    }
    for (int i = 0; i < connections; i++) {
      int slot = home(i);
      while (index[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      index[slot] = (long) hash(i) << 32 | (place[i] + 1L);
      int at = place[i] * RECORD;
      records[at] = i;
      records[at + 5] = 1000L << 32 | 1000;
      records[at + 6] = 66_000L << 32 | 66_000;
      records[at + 7] = 65_535L << 32 | 65_535;
    }
  }

  private static int hash(int i) {
    long h = (i * 0x9E3779B97F4A7C15L) ^ 0xC2B2AE3D27D4EB4FL;
    return (int) (h ^ (h >>> 29));
  }

  private int home(int i) {
    return hash(i) & mask;
  }

  /** The record of connection {@code i}: its slot by hash, then the record's own key compared. */
  private int find(int i) {
    int h = hash(i);
    for (int slot = home(i);; slot = (slot + 1) & mask) {
      long s = index[slot];
      if ((int) (s >>> 32) == h) {
        int at = (int) ((s & 0xffff_ffffL) - 1) * RECORD;
        if (records[at] == i) {
          return at;
        }
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long batchOf64() {
    for (int n = 0; n < BATCH; n++) {
      int i = random.nextInt(connections);
      batch[n] = i;
      homes[n] = home(i);
    }
    long touched = 0;
    for (int n = 0; n < BATCH; n++) {
      touched ^= index[homes[n]];
    }
    for (int n = 0; n < BATCH; n++) {
      long s = index[homes[n]];
      if (s != 0) {
        touched ^= records[(int) ((s & 0xffff_ffffL) - 1) * RECORD];
      }
    }
    long sum = touched;
    for (int n = 0; n < BATCH; n++) {
      int i = batch[n];
      sum += update(i, find(i));
    }
    return sum;
  }

  /** {@link SegmentUpdate}, as {@link InPlaceTableBenchmark} does it. */
  private long update(int i, int at) {
    now += 1_000;
    return SegmentUpdate.apply(records, at, i, now);
  }
}

package io.flowinspect.inspect.streams;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A design probe for issue 5, not product code: what one packet of the held workload costs when
 * connection state sits in fixed-layout records updated in place, the design docs/DESIGN.md ("What
 * 10 M at 70 % of 10 k would take") says the target needs, against {@link
 * PackedConnectionsBenchmark}'s take, decode, encode and put back.
 *
 * <p>The table is one {@code long[]} of 64-byte records (one cache line each), open addressing
 * with linear probing at a load of at most 3/4: two longs of IPv4 key, then the state the engine
 * touches on an established connection's data packet (packet and byte counters each way, the last
 * packet's time, and each side's end, maximum end and maximum window, as conntrack's
 * {@code tcp_in_window} keeps them). One operation is one packet on a connection chosen at random:
 * find its record and update it the way an in-window segment does. The key is computed from the
 * connection's number, so the harness adds no memory access of its own. Nanoseconds per packet.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@State(Scope.Benchmark)
public class InPlaceTableBenchmark {
  /** Longs per record: key (2), counters (2), last seen (1), the two sides' windows (3). */
  private static final int RECORD = 8;

  @Param({"10000", "1000000", "10000000"})
  public int connections;

  /**
   * Longs before the first record. A table this large is a humongous object to G1, placed at the
   * start of a region, and its elements begin 16 bytes in: with 0 every record straddles two cache
   * lines, with 6 each lies in one.
   */
  @Param({"0", "6"})
  public int lead;

  private long[] table;
  private int mask;
  private final SplittableRandom random = new SplittableRandom(1);
  private long now;

  @Setup
  public void fill() {
    int slots = Integer.highestOneBit(Math.max(16, connections * 4 / 3)) << 1;
    table = new long[lead + slots * RECORD];
    mask = slots - 1;
    for (int i = 0; i < connections; i++) {
      int at = find(addresses(i), ports(i));
      table[at] = addresses(i);
      table[at + 1] = ports(i);
      table[at + 5] = 1000L << 32 | 1000; // both sides' end: seq 1000
      table[at + 6] = 66_000L << 32 | 66_000; // both sides' maximum end
      table[at + 7] = 65_535L << 32 | 65_535; // both sides' maximum window
    }
  }

  /** Client 10.x.y.z and its server, both addresses in one long. */
  private static long addresses(int i) {
    return (0x0A00_0000L | i) << 32 | 0xC633_6407L;
  }

  /** Ports, protocol (TCP) and zone. */
  private static long ports(int i) {
    return (long) (1024 + i % 60_000) << 32 | 443L << 16 | 6;
  }

  /**
   * The home slot. Every bit of the key must reach the slot's bits: the low halves of both longs
   * are the same for every connection (the server's address; port 443 and TCP), and an earlier
   * hash that only folded bit 29 and up into the low bits gave every home slot the same three low
   * bits, so that an eighth of the slots took all the probe runs (until the fourteenth session,
   * whose first figures of this benchmark were measured with it).
   */
  private int home(long addresses, long ports) {
    long h = addresses * 0x9E3779B97F4A7C15L + ports * 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 32;
    h *= 0xD6E8FEB86659FD93L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** The record of a key, or the empty one where it would go. */
  private int find(long addresses, long ports) {
    int slot = home(addresses, ports);
    while (true) {
      int at = lead + slot * RECORD;
      long a = table[at];
      if (a == addresses && table[at + 1] == ports || a == 0) {
        return at;
      }
      slot = (slot + 1) & mask;
    }
  }

  @Benchmark
  public long packet() {
    int i = random.nextInt(connections);
    return update(i, find(addresses(i), ports(i)));
  }

  /**
   * A packets-topic record's worth of packets (64) at once, in three passes: the first computes
   * where each packet's record should be, the second only reads those places (loads that depend
   * on nothing and branch on nothing, so the CPU keeps many cache misses in flight instead of one
   * at a time), the third finds and updates the records, now in cache. Per packet.
   */
  @Benchmark
  @org.openjdk.jmh.annotations.OperationsPerInvocation(BATCH)
  public long batchOf64() {
    for (int n = 0; n < BATCH; n++) {
      int i = random.nextInt(connections);
      batch[n] = i;
      found[n] = lead + home(addresses(i), ports(i)) * RECORD;
    }
    long touched = 0;
    for (int n = 0; n < BATCH; n++) {
      touched ^= table[found[n]];
    }
    long sum = touched;
    for (int n = 0; n < BATCH; n++) {
      int i = batch[n];
      sum += update(i, find(addresses(i), ports(i)));
    }
    return sum;
  }

  private static final int BATCH = 64;
  private final int[] batch = new int[BATCH];
  private final int[] found = new int[BATCH];

  private long update(int i, int at) {
    now += 1_000;
    return SegmentUpdate.apply(table, at, i, now);
  }
}

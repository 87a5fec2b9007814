package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.FlowKey;

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
 * The packed tier under the held workload, without Kafka: {@code connections} entries of
 * connection-sized keys and values, 50,000 of them out in a stand-in for the decoded cache. One
 * operation is one packet on a connection chosen at random: it is taken out of the packed table,
 * and the decoded cache's oldest goes back in, changed; every 100,000 operations a commit drains
 * the changed entries. Nanoseconds per packet. {@link #packetUpdatedInPlace} is the same packet
 * on a connection unchanged since the commit, which the store updates in the packed table.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@State(Scope.Benchmark)
public class PackedConnectionsBenchmark {
  private static final int DECODED = 50_000;
  private static final int COMMIT_EVERY = 100_000;

  @Param("1000000")
  public int connections;

  private PackedConnections<FlowKey> packed;
  private FlowKey[] keys;
  private byte[] value;
  /** Indexes of the connections out in the "decoded cache", oldest first (a ring). */
  private int[] decoded;
  private boolean[] out;
  private int oldest;
  private int ops;
  private final SplittableRandom random = new SplittableRandom(1);
  private final PackedConnections.Writer discard = (k, v) -> { };

  @Setup
  public void fill() {
    packed = new PackedConnections<>(connections * 200L, FlowKeyForm.INSTANCE);
    keys = new FlowKey[connections];
    value = new byte[62];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) (i * 7);
    }
    for (int i = 0; i < connections; i++) {
      // Clients of 10.0.0.0/8 to one server, as the held workload's connections.
      FlowKey k = FlowKey.ofIpv4(0, 6, 0x0a00_0000 | (i >>> 6), 1024 + (i & 63), 0xc0a8_0001, 443);
      keys[i] = k;
      packed.add(k, value, PackedConnections.STORED, discard);
    }
    decoded = new int[DECODED];
    out = new boolean[connections];
    for (int n = 0; n < DECODED; n++) {
      int i = pickIn();
      packed.take(keys[i]);
      decoded[n] = i;
      out[i] = true;
    }
  }

  private int pickIn() {
    while (true) {
      int i = random.nextInt(connections);
      if (!out[i]) {
        return i;
      }
    }
  }

  /** Stands for decoding: reads the value where it lies into one reused array. */
  private byte[] copyInto(byte[] data, int from, int length) {
    System.arraycopy(data, from, scratch, 0, length);
    return scratch;
  }

  private final byte[] scratch = new byte[1024];

  @Benchmark
  public Object packet() {
    int i = pickIn();
    PackedConnections.Taken t = packed.take(keys[i]);
    int victim = decoded[oldest];
    packed.add(keys[victim], value, PackedConnections.CHANGED | PackedConnections.STORED, discard);
    out[victim] = false;
    decoded[oldest] = i;
    out[i] = true;
    oldest = (oldest + 1) % DECODED;
    if (++ops % COMMIT_EVERY == 0) {
      packed.drainChanged(discard);
    }
    return t;
  }

  /**
   * The same packet as the store now handles a connection unchanged since the last commit: found,
   * its value copied out (to be decoded) and written back where it lies, no entry moved.
   */
  @Benchmark
  public Object packetUpdatedInPlace() {
    int i = pickIn();
    long address = packed.find(keys[i]);
    byte[] v = packed.readValue(address, this::copyInto);
    v[value.length - 1]++;
    packed.replace(address, v, value.length);
    if (++ops % COMMIT_EVERY == 0) {
      packed.drainChanged(discard);
    }
    return v;
  }
}

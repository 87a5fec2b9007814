package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.FlowKey;
import java.util.LinkedHashMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The decoded tier's lookup of a key it does not hold, the common case with ten million
 * connections and fifty thousand decoded: {@link DecodedSlots} (a {@link HashFilter} in front)
 * against the access-ordered {@code LinkedHashMap} it wraps, alone. The absent keys are spread
 * over ten million, as the held workload's are, and each lookup is of a key object not touched
 * for a while, as a packet's key fresh from its record.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Benchmark)
public class DecodedSlotsBenchmark {
  private static final int DECODED = 50_000;
  private static final int ABSENT = 1 << 20;

  private DecodedSlots slots;
  private LinkedHashMap<FlowKey, CacheSlot> map;
  private FlowKey[] absent;
  private int next;

  @Setup
  public void fill() {
    slots = new DecodedSlots(DECODED);
    map = new LinkedHashMap<>(1 << 16, 0.75f, true);
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < DECODED; i++) {
      FlowKey k = key(random.nextInt(10_000_000));
      CacheSlot s = new CacheSlot(k, null, true);
      slots.put(k, s);
      map.put(k, s);
    }
    absent = new FlowKey[ABSENT];
    for (int i = 0; i < ABSENT; i++) {
      FlowKey k;
      do {
        k = key(random.nextInt(10_000_000));
      } while (map.containsKey(k));
      absent[i] = k;
    }
  }

  /** The held workload's key of connection {@code i}: 200 clients of 50,000 ports each, 4,096 servers. */
  private static FlowKey key(int i) {
    int c = i / 50_000;
    int client = 0x0a00_0001 | (c >>> 8 & 0xff) << 16 | (c & 0xff) << 8;
    int server = 0xc612_0000 | (i % 4096);
    return FlowKey.ofIpv4(0, 6, client, 10_000 + i % 50_000, server, 443);
  }

  @Benchmark
  public Object decodedSlotsMiss() {
    return slots.get(absent[next++ & (ABSENT - 1)]);
  }

  @Benchmark
  public Object linkedHashMapMiss() {
    return map.get(absent[next++ & (ABSENT - 1)]);
  }
}

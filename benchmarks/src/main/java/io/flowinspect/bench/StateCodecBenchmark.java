package io.flowinspect.bench;

import io.flowinspect.inspect.engine.Conn;
import io.flowinspect.inspect.engine.ConnEncoder;
import io.flowinspect.inspect.engine.ConnectionTracker;
import io.flowinspect.inspect.engine.FixedConnLayout;
import io.flowinspect.inspect.engine.InMemoryState;
import io.flowinspect.inspect.engine.StateCodec;
import io.flowinspect.inspect.engine.TcpState;
import io.flowinspect.inspect.engine.TrackerConfig;
import io.flowinspect.inspect.engine.TrackerListener;
import io.flowinspect.inspect.engine.TrackerState;
import java.util.ArrayList;
import java.util.List;
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
 * What a packet on a connection in packed memory pays to turn its bytes into a {@link Conn} and
 * back: the established TCP connections of a real capture, halfway through it (so they have
 * exchanged data), decoded where they lie (into a new connection, or into the one decoded before)
 * and encoded into a reused array; in the stored form ({@link StateCodec}), which packed memory
 * held until the twelfth session, and in the fixed layout ({@link FixedConnLayout}) it holds now.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@State(Scope.Benchmark)
public class StateCodecBenchmark {
  private byte[][] values;
  private byte[][] fixed;
  private int next;
  private final ConnEncoder encoder = StateCodec.encoder();
  private final ConnEncoder fixedEncoder = FixedConnLayout.encoder();

  @Setup
  public void snapshot() throws Exception {
    Captures.Packets input = Captures.packets(Captures.resolve(Captures.DEFAULT));
    InMemoryState state = new InMemoryState();
    ConnectionTracker tracker = new ConnectionTracker(TrackerConfig.defaults(), TrackerState.inMemory(state),
        new TrackerListener() {});
    for (int i = 0; i < input.packets().length / 2; i++) {
      tracker.process(input.keys()[i], input.packets()[i]);
    }
    List<byte[]> established = new ArrayList<>();
    state.forEachConnection((key, conn) -> {
      if (conn.tcpState() == TcpState.ESTABLISHED) {
        established.add(StateCodec.encode(conn));
      }
    });
    values = established.toArray(byte[][]::new);
    fixed = established.stream().map(FixedConnLayout::fromStored).toArray(byte[][]::new);
    System.out.println("\n" + values.length + " established connections, "
        + established.stream().mapToInt(v -> v.length).sum() / values.length + " bytes each on average stored, "
        + java.util.Arrays.stream(fixed).mapToInt(v -> v.length).sum() / values.length + " in the fixed layout");
  }

  @Benchmark
  public Conn decode() {
    byte[] v = values[next++ % values.length];
    return StateCodec.decodeConn(v, 0, v.length);
  }

  /** As packed memory decodes: into the connection it decoded last. */
  @Benchmark
  public Conn decodeReusing() {
    byte[] v = values[next++ % values.length];
    reused = StateCodec.decodeConn(v, 0, v.length, reused);
    return reused;
  }

  private Conn reused;

  @Benchmark
  public int decodeReusingAndEncode() {
    return encoder.encode(decodeReusing());
  }

  @Benchmark
  public int decodeAndEncode() {
    byte[] v = values[next++ % values.length];
    return encoder.encode(StateCodec.decodeConn(v, 0, v.length));
  }

  @Benchmark
  public Conn fixedDecodeReusing() {
    byte[] v = fixed[next++ % fixed.length];
    reused = FixedConnLayout.decode(v, 0, v.length, reused);
    return reused;
  }

  @Benchmark
  public int fixedDecodeReusingAndEncode() {
    return fixedEncoder.encode(fixedDecodeReusing());
  }
}

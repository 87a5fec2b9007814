package io.flowinspect.bench;

import io.flowinspect.inspect.Inspector;
import io.flowinspect.inspect.engine.Classification;
import io.flowinspect.inspect.engine.ConnectionTracker;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.InMemoryState;
import io.flowinspect.inspect.engine.TrackerConfig;
import io.flowinspect.inspect.engine.TrackerListener;
import io.flowinspect.inspect.engine.TrackerState;
import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.inspect.policy.RuleSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The inspection engine alone, on in-memory state, one thread: real header sequences from a
 * capture, replayed into a fresh state table per invocation. JMH measures the time of one replay;
 * {@link Bench} turns it into packets per second.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
@State(Scope.Benchmark)
public class EngineBenchmark {
  @Param(Captures.DEFAULT)
  public String capture;

  private Captures.Packets input;
  private InMemoryState state;
  private ConnectionTracker tracker;
  private Inspector inspector;

  @Setup(Level.Trial)
  public void load() throws Exception {
    input = Captures.packets(Captures.resolve(capture));
    System.out.println("\n" + capture + ": " + input.packets().length + " packets");
  }

  @Setup(Level.Invocation)
  public void freshState() {
    state = new InMemoryState();
    tracker = new ConnectionTracker(TrackerConfig.defaults(), TrackerState.inMemory(state),
        new TrackerListener() {});
    inspector = new Inspector(TrackerConfig.defaults(), RuleSet.privateNetworksAsHome(), TrackerState.inMemory(state),
        InspectionSink.DISCARD);
  }

  /** Connection tracking only: every packet through {@link ConnectionTracker#process}. */
  @Benchmark
  public void tracker(Blackhole hole) {
    FlowKey[] keys = input.keys();
    io.flowinspect.inspect.engine.Packet[] packets = input.packets();
    for (int i = 0; i < packets.length; i++) {
      Classification c = tracker.process(keys[i], packets[i]);
      hole.consume(c);
    }
  }

  /** Tracking plus the rule set and the events a deployment emits. */
  @Benchmark
  public void inspector(Blackhole hole) {
    FlowKey[] keys = input.keys();
    io.flowinspect.inspect.engine.Packet[] packets = input.packets();
    for (int i = 0; i < packets.length; i++) {
      hole.consume(inspector.inspect(keys[i], packets[i]));
    }
  }
}

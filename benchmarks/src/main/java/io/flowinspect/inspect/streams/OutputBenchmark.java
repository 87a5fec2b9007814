package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.Decision;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.inspect.output.VerdictEvent;
import io.flowinspect.inspect.policy.FlowDirection;
import io.flowinspect.schemas.Topics;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One verdict record's key and value to bytes, the inspector's way ({@link OutputWire}) and the
 * way it went before (the engine's objects mapped to the generated Avro classes, then the topic's
 * serde). Both give the same bytes ({@code OutputWireTest}); this measures what each costs, in
 * nanoseconds per verdict, over 1,024 different IPv4 connections (in the package of the class it
 * measures, which is not public).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@State(Scope.Benchmark)
public class OutputBenchmark {
  private static final int N = 1024;
  private final FlowKey[] keys = new FlowKey[N];
  private final VerdictEvent[] verdicts = new VerdictEvent[N];
  private final Serializer<FlowKey> wireKeys = OutputWire.keySerializer();
  private final Serializer<VerdictEvent> wireVerdicts = OutputWire.verdictSerializer();
  private final Topics topics = Topics.defaults();
  private final Serializer<io.flowinspect.schemas.FlowKey> avroKeys = topics.verdicts().keySerde().serializer();
  private final Serializer<io.flowinspect.schemas.Verdict> avroVerdicts = topics.verdicts().valueSerde().serializer();

  @Setup
  public void connections() {
    Random random = new Random(1);
    for (int i = 0; i < N; i++) {
      IpAddress client = new IpAddress(false, 0, 0x0a00_0000L | random.nextInt(1 << 16));
      IpAddress server = new IpAddress(false, 0, 0xc633_6400L | random.nextInt(256));
      int clientPort = 1024 + random.nextInt(60_000);
      keys[i] = FlowKey.of(0, 6, client, clientPort, server, 443);
      verdicts[i] = new VerdictEvent(1_767_225_600_000_000_000L + i * 1_000_000L, Decision.ALLOW, "allow-web",
          "rules-v3", 6, client, clientPort, server, 443, FlowDirection.OUTBOUND, "NEW", false, "rule allow-web");
    }
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void outputWire(Blackhole hole) {
    for (int i = 0; i < N; i++) {
      hole.consume(wireKeys.serialize("verdicts", keys[i]));
      hole.consume(wireVerdicts.serialize("verdicts", verdicts[i]));
    }
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void avroObjects(Blackhole hole) {
    for (int i = 0; i < N; i++) {
      hole.consume(avroKeys.serialize("verdicts", AvroMapping.flowKey(keys[i])));
      hole.consume(avroVerdicts.serialize("verdicts", AvroMapping.verdict(verdicts[i])));
    }
  }
}

package io.flowinspect.cli;

import io.flowinspect.inspect.streams.InspectorSettings;
import io.flowinspect.measure.BenchOptions;
import io.flowinspect.measure.BenchReport;
import io.flowinspect.measure.BenchResult;
import io.flowinspect.measure.EndToEndBench;
import io.flowinspect.measure.TemporaryTree;
import io.flowinspect.measure.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flowinspect bench}: the end-to-end benchmark against a real broker. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure the capture agent, the inspector and capture-to-verdict latency on an embedded broker, "
        + "next to a plain Kafka Streams baseline and argus/tcpdump on the same capture.",
        "Examples: bench;  bench --synth held:connections=1M,packets=5M --no-baselines --no-latency;  "
            + "bench --pcap capture.pcap --json result.json"})
final class BenchCommand implements Callable<Integer> {
  static final String DEFAULT_SYNTH = "mix:concurrent=10000,rate=2000,packets=1000000,seed=1";

  static final class Input {
    @Option(names = "--pcap", paramLabel = "FILE", description = "Replay this capture (pcap or pcapng).")
    Path pcap;

    @Option(names = "--synth", paramLabel = "SPEC", description = {
        "Generate the workload: mix:concurrent=N,rate=R,packets=P,seed=S (a realistic mix) or "
            + "held:connections=N,packets=P,seed=S (N open connections, then P packets on random ones; the table "
            + "is filled before timing). Counts take k/M/G. Default: " + DEFAULT_SYNTH})
    String synth;
  }

  @ArgGroup(exclusive = true)
  Input input = new Input();

  @Option(names = "--batch", defaultValue = "on", paramLabel = "on|off",
      description = "Batch packets into records (default) or send one record per packet.")
  String batch;

  @Option(names = "--guarantee", defaultValue = "at_least_once",
      description = "The inspector's processing guarantee: at_least_once (default) or exactly_once_v2.")
  String guarantee;

  @Option(names = "--threads", defaultValue = "1", description = "Inspector stream threads. Default: 1.")
  int threads;

  @Option(names = "--partitions", description = "Partitions of the packet topic. Default: 2, or --threads if more.")
  Integer partitions;

  @Option(names = "--no-warm-up", description = "Time the first pass of a fresh JVM: skip the untimed warm-up "
      + "replay, during which the JIT compiler compiles the inspector's and the baseline's code.")
  boolean noWarmUp;

  @Option(names = "--no-baselines", description = "Skip the plain Kafka Streams baseline, argus and tcpdump.")
  boolean noBaselines;

  @Option(names = "--latency-rate", defaultValue = "50000", paramLabel = "PPS",
      description = "Packets per second of the latency run. Default: 50000.")
  int latencyRate;

  @Option(names = "--latency-packets", defaultValue = "500000",
      description = "Packets replayed in the latency run. Default: 500000 (10 s at the default rate).")
  long latencyPackets;

  @Option(names = "--latency-samples", paramLabel = "FILE",
      description = "Write each counted verdict of the latency run as a line: its send time (epoch ns) and its "
          + "latency (ns), to see when the slow ones were sent.")
  Path latencySamples;

  @Option(names = "--no-latency", description = "Skip the latency run.")
  boolean noLatency;

  @Option(names = "--expire-all",
      description = "After the throughput run, move the clock past every timeout and time the expiry of the table.")
  boolean expireAll;

  @Option(names = "--streams-config", paramLabel = "KEY=VALUE",
      description = "A Kafka Streams setting for the inspector runs, over flowinspect's (repeatable); "
          + "rocksdb.config.setter= (empty) runs with Kafka Streams' own RocksDB settings.")
  Map<String, String> streamsConfig = new HashMap<>();

  @Option(names = "--agent-config", paramLabel = "KEY=VALUE",
      description = "A Kafka producer setting for the capture agent's runs, over flowinspect's (repeatable), "
          + "e.g. compression.type=zstd.")
  Map<String, String> agentConfig = new HashMap<>();

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON to FILE (- for stdout).")
  String json;

  @Mixin
  EngineOptions engine = new EngineOptions();

  @Mixin
  ConnectionCacheOption cache = new ConnectionCacheOption();

  @Override
  public Integer call() throws Exception {
    if (!batch.equals("on") && !batch.equals("off")) {
      throw new UserError("--batch must be on or off, not " + batch);
    }
    TemporaryTree generated = null;
    try {
      Workload workload;
      if (input.pcap != null) {
        workload = Workload.ofFile(input.pcap);
      } else {
        generated = TemporaryTree.create("flowinspect-bench-input");
        String spec = input.synth == null ? DEFAULT_SYNTH : input.synth;
        System.err.println("generating " + spec);
        workload = Workload.synthesize(spec, generated.dir(), !noWarmUp);
      }
      cache.checkGuarantee(guarantee);
      InspectorSettings settings = cache.applyTo(InspectorSettings.defaults().withTracker(engine.tracker())
          .withRules(engine.ruleSet()));
      BenchOptions options = new BenchOptions(workload, settings, batch.equals("on"), guarantee, threads,
          partitions == null ? Math.max(2, threads) : partitions, !noWarmUp, !noBaselines,
          noLatency ? 0 : latencyRate, latencyPackets, expireAll, Home.dir(), streamsConfig, agentConfig,
          latencySamples);
      BenchResult result = EndToEndBench.run(options, line -> System.err.println("bench: " + line));
      if ("-".equals(json)) {
        System.out.println(BenchReport.json(result));
      } else {
        System.out.print(BenchReport.table(result));
        if (json != null) {
          Files.writeString(Path.of(json), BenchReport.json(result) + "\n");
        }
      }
      return 0;
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    } finally {
      if (generated != null) {
        generated.close();
      }
    }
  }
}

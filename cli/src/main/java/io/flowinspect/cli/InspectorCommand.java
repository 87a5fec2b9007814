package io.flowinspect.cli;

import io.flowinspect.inspect.streams.InspectorRunner;
import io.flowinspect.inspect.streams.InspectorSettings;
import io.flowinspect.inspect.streams.StreamsProperties;
import io.flowinspect.schemas.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flowinspect inspector}: the Kafka Streams inspector, until interrupted. */
@Command(name = "inspector", mixinStandardHelpOptions = true,
    description = "Run the Kafka Streams inspector: packets in; verdicts, alerts and flow records out.")
final class InspectorCommand implements Callable<Integer> {
  /** Exit status when the inspector stopped without being asked to (a stream thread failed). */
  static final int STOPPED_BY_ITSELF = 1;

  @Spec
  CommandSpec spec;

  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  @Option(names = "--application-id", defaultValue = StreamsProperties.DEFAULT_APPLICATION_ID,
      description = "Kafka Streams application id (consumer group, state and changelog names).")
  String applicationId;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "RocksDB state directory.")
  Path stateDir;

  @Option(names = "--guarantee", defaultValue = "at_least_once",
      description = "at_least_once (default) or exactly_once_v2.")
  String guarantee;

  @Option(names = "--threads", defaultValue = "1", description = "Stream threads.")
  int threads;

  @Option(names = "--streams-config", paramLabel = "KEY=VALUE", description = "Any Kafka Streams setting.")
  Map<String, String> extra = new HashMap<>();

  @Mixin
  EngineOptions engine = new EngineOptions();

  @Mixin
  ConnectionCacheOption cache = new ConnectionCacheOption();

  @Override
  public Integer call() throws Exception {
    if (!guarantee.equals(StreamsConfig.AT_LEAST_ONCE) && !guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
      throw new UserError("--guarantee must be at_least_once or exactly_once_v2, not " + guarantee);
    }
    Topics topics = cluster.topics();
    Map<String, String> overrides = new HashMap<>(extra);
    overrides.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    overrides.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(threads));
    if (stateDir != null) {
      overrides.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    }
    cache.checkGuarantee(guarantee);
    InspectorSettings settings = cache.applyTo(InspectorSettings.defaults().withTopics(topics)
        .withTracker(engine.tracker()).withRules(engine.ruleSet()));
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "flowinspect-shutdown"));
    try (InspectorRunner runner = new InspectorRunner(settings,
        StreamsProperties.of(cluster.bootstrap, applicationId, topics, overrides))) {
      runner.start(Duration.ofMinutes(5));
      PrintWriter out = spec.commandLine().getOut();
      out.println("inspector running (" + applicationId + ", " + topics.packets().name() + "); Ctrl-C stops it");
      out.flush();
      // Until asked to stop, or until the instance stops by itself: a failed stream thread shuts it
      // down, and a process that lived on without inspecting would never be restarted by its
      // supervisor (systemd, Docker, Kubernetes).
      while (!stop.await(1, TimeUnit.SECONDS)) {
        if (runner.stoppedByItself()) {
          spec.commandLine().getErr().println("flowinspect inspector: the inspector stopped ("
              + runner.state() + "): " + (runner.failure() == null ? "no reason given" : runner.failure()));
          return STOPPED_BY_ITSELF;
        }
      }
    }
    return 0;
  }
}

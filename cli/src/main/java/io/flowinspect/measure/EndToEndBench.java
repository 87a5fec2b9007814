package io.flowinspect.measure;

import io.flowinspect.capture.CaptureAgent;
import io.flowinspect.capture.FilePublishReport;
import io.flowinspect.capture.ReplayOptions;
import io.flowinspect.capture.ReplayProgress;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.publish.PublisherOptions;
import io.flowinspect.capture.source.CaptureException;
import io.flowinspect.demo.TopicSetup;
import io.flowinspect.inspect.streams.InspectorRunner;
import io.flowinspect.inspect.streams.InspectorSettings;
import io.flowinspect.inspect.streams.StreamsApp;
import io.flowinspect.inspect.streams.StreamsProperties;
import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.schemas.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The end-to-end benchmark: a real broker, the capture agent, the inspector, and the baselines,
 * in one run on one machine, each timed on its own so that the figures can be read as ratios.
 *
 * <ol>
 *   <li>Warm-up (unless turned off): the workload's warm-up part is published and inspected, and
 *       the baseline run on it, all untimed, on topics, application ids and state directories of
 *       their own. In a fresh JVM the JIT compiler's thread otherwise took two thirds of one of
 *       the two cores through the whole first inspector run: what was timed was compilation, not
 *       the steady state a long-running inspector is in.</li>
 *   <li>Setup (held workloads only): the handshakes are published and inspected untimed, so the
 *       table is full before anything is measured.</li>
 *   <li>Agent: the measured capture is decoded and published as fast as the broker takes it; the
 *       inspector is stopped meanwhile, so the two do not share the cores.</li>
 *   <li>Inspector: started on that backlog and timed from its first inspected packet to its last.</li>
 *   <li>Expiry (optional): the clock moves past every timeout; the punctuation that empties the
 *       table is timed.</li>
 *   <li>Baselines: the capture again with one record per packet, consumed by a plain Kafka Streams
 *       application doing one RocksDB get and put per record; argus and tcpdump on the file.</li>
 *   <li>Latency: a fresh inspector, and the capture replayed at a fixed packet rate with packets
 *       stamped at sending; verdicts are timed as they reach a consumer, after a warm-up second.</li>
 * </ol>
 */
public final class EndToEndBench {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration RUN_TIMEOUT = Duration.ofHours(2);
  /**
   * The bench publishes a whole capture before (or while) the inspector works through it, far
   * more than a production topic's size limit per partition: with 1 GiB, the broker deleted the
   * oldest segments of a 10 M run's setup before the inspector had read them, and the inspector
   * went on from the oldest offset left (2,228 records never read; the run then waited for them
   * until it gave up). The broker is thrown away after the run, so it keeps everything.
   */
  private static final long BENCH_RETENTION = TopicSetup.UNBOUNDED;
  /**
   * The broker compacts no record younger than a day, so not during a run. Its log cleaner
   * otherwise rewrote the connections' changelog (ten million records written by a 10 M run's
   * setup) while the timed inspector ran, on the same two cores: `top -H` showed the cleaner's
   * thread at 65 % of a core and the stream thread at 47 %, in the runs whose start took three
   * times as long. A production broker runs on machines of its own; the inspector's own RocksDB
   * compactions still count.
   */
  private static final EmbeddedKafka.Options BROKER = EmbeddedKafka.Options.defaults()
      .withBrokerConfig(Map.of("log.cleaner.min.compaction.lag.ms", Long.toString(Duration.ofDays(1).toMillis())));
  /** Beyond every default timeout (TCP established: 5 days). */
  private static final Duration PAST_EVERY_TIMEOUT = Duration.ofDays(6);
  private static final String SENSOR = "bench";
  private static final int TCPDUMP_PACKETS = 200_000;
  /** Sent at the latency run's rate before its verdicts count (see {@link VerdictLatency}). */
  static final Duration LATENCY_WARM_UP = Duration.ofSeconds(1);
  private final BenchOptions options;
  private final Consumer<String> log;
  private final Path work;

  private EndToEndBench(BenchOptions options, Consumer<String> log, Path work) {
    this.options = options;
    this.log = log;
    this.work = work;
  }

  public static BenchResult run(BenchOptions options, Consumer<String> log)
      throws IOException, InterruptedException, CaptureException {
    try (TemporaryTree work = TemporaryTree.create("flowinspect-bench")) {
      return new EndToEndBench(options, log, work.dir()).run();
    }
  }

  private BenchResult run() throws IOException, InterruptedException, CaptureException {
    long started = System.nanoTime();
    Machine machine = Machine.current(options.projectHome());
    Workload w = options.workload();
    log.accept("starting the broker");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(BROKER)) {
      String bootstrap = kafka.bootstrapServers();
      Topics topics = Topics.withPrefix("bench");
      TopicSetup.create(kafka, topics, options.partitions(), BENCH_RETENTION);
      InspectorSettings settings = options.settings().withTopics(topics);
      if (options.expireAll()) {
        settings = settings.withExpiryBudget(Integer.MAX_VALUE);
      }
      Properties streams = streamsProperties(bootstrap, "bench-inspector", topics, work.resolve("state"));
      // No System.gc() after it, though its garbage then counts in the sampled peak heap: the full
      // collection shrank G1's heap and the timed runs after it lost a third (BENCHMARKS.md).
      BenchResult.WarmUp warmUp = options.warmUp() ? warmUp(kafka, settings) : null;

      if (w.setup() != null) {
        log.accept("setup: publishing " + w.setup().getFileName() + " and inspecting it (not timed)");
        FilePublishReport setup = publish(bootstrap, topics, w.setup(), options.batch(),
            ReplayOptions.asFastAsPossible());
        InspectorRunner filler = new InspectorRunner(settings, streams).start(START_TIMEOUT);
        try {
          CatchUp.await(filler::recordsProcessed, setup.publisher().recordsSent(), filler::connectionsTracked,
              RUN_TIMEOUT, filler::failure);
        } finally {
          filler.closeLeavingGroup(); // the measured inspector takes over its partitions at once
        }
      }

      log.accept("agent: publishing " + w.measured().getFileName());
      FilePublishReport agent = publish(bootstrap, topics, w.measured(), options.batch(),
          ReplayOptions.asFastAsPossible());
      log.accept(String.format("agent: %,d packets in %,d records, %.0f packets/s", agent.packets(),
          agent.publisher().recordsSent(), agent.packetsPerSecond()));

      log.accept("inspector: working through the backlog");
      CatchUp inspected;
      long tracked;
      long closingNanos;
      double compiledBefore = JitCompiler.seconds();
      InspectorRunner inspector = new InspectorRunner(settings, streams).start(START_TIMEOUT);
      try {
        inspected = CatchUp.await(inspector::recordsProcessed, agent.publisher().recordsSent(),
            inspector::connectionsTracked, new StreamThreadCpu("bench-inspector"), RUN_TIMEOUT, inspector::failure);
        tracked = inspector.connectionsTracked();
        log.accept(String.format("inspector: %.0f packets/s, %,d connections tracked, %,d written ahead while idle, "
            + "%,d lookups read RocksDB", inspected.perSecond() * packetsPerRecord(agent), inspected.peakGauge(),
            inspector.connectionsWrittenAhead(), inspector.connectionStoreReads()));
      } finally {
        // Timed too, for the figure "until committed": the last packets' changes may all still be
        // in the inspector's caches when the last packet is counted (a 5 s commit interval is
        // longer than a fast run), and closing commits them.
        long closing = System.nanoTime();
        inspector.closeLeavingGroup();
        closingNanos = System.nanoTime() - closing;
      }
      double committedPps = inspected.units() * packetsPerRecord(agent) * 1e9 / (inspected.nanos() + closingNanos);
      double compiledInInspectorRun = JitCompiler.seconds() - compiledBefore;
      // Measured with the table full and every change written: closing commits, which writes the
      // inspector's caches to RocksDB, and Kafka Streams flushes RocksDB's memtables to files.
      long rocksDb = Trees.size(work.resolve("state"));
      BenchResult.Expiry expiry = null;
      if (options.expireAll()) {
        try (InspectorRunner expiring = new InspectorRunner(settings, streams).start(START_TIMEOUT)) {
          expiry = expireEverything(bootstrap, topics, expiring, tracked, agent.lastPacketNanos());
        }
      }

      double baselineRps = Double.NaN;
      double baselineRpsPerCpu = Double.NaN;
      double unbatchedPps = Double.NaN;
      OptionalDouble argus = OptionalDouble.empty();
      OptionalDouble tcpdump = OptionalDouble.empty();
      if (options.baselines()) {
        log.accept("baseline: one record per packet, then plain Kafka Streams, one get and put per record");
        BaselineRun b = baseline(kafka, "bench-baseline", w.measured(), ReplayOptions.asFastAsPossible(),
            work.resolve("baseline-state"));
        unbatchedPps = b.published().packetsPerSecond();
        baselineRps = b.consumed().perSecond();
        baselineRpsPerCpu = b.consumed().perCpuSecond();
        log.accept("baseline: argus and tcpdump on the file");
        argus = ExternalReaders.argus(w.measured(), agent.frames());
        tcpdump = ExternalReaders.tcpdump(w.measured(), Math.min(TCPDUMP_PACKETS, agent.frames()));
      }

      BenchResult.Latency latency = null;
      double compiledInLatencyRun = Double.NaN;
      if (options.latencyRate() > 0) {
        compiledBefore = JitCompiler.seconds();
        latency = latency(kafka, agent);
        compiledInLatencyRun = JitCompiler.seconds() - compiledBefore;
      }
      return new BenchResult(Instant.now().toString(), machine, options, warmUp, agent.packets(),
          agent.publisher().recordsSent(), agent.packetsPerSecond(), agent.recordsPerSecond(),
          inspected.perSecond() * packetsPerRecord(agent), inspected.perSecond(), inspected.startNanos() / 1e9,
          committedPps,
          inspected.peakGauge(), inspected.peakHeapBytes(), rocksDb, baselineRps, unbatchedPps, argus, tcpdump,
          latency, expiry, (System.nanoTime() - started) / 1e9,
          new BenchResult.Cpu(inspected.perCpuSecond() * packetsPerRecord(agent), baselineRpsPerCpu),
          new BenchResult.Jit(compiledInInspectorRun, compiledInLatencyRun));
    }
  }

  /**
   * Replays the workload's warm-up part through an inspector and, with baselines on, through the
   * baseline, untimed, each on topics and stores of its own that nothing later reads. The state
   * directories and the topics (the changelogs among them) are deleted afterwards, so that the
   * broker's log cleaner does not compact them while later runs are timed.
   */
  private BenchResult.WarmUp warmUp(EmbeddedKafka kafka, InspectorSettings measuredSettings)
      throws IOException, InterruptedException, CaptureException {
    long started = System.nanoTime();
    String bootstrap = kafka.bootstrapServers();
    Workload w = options.workload().warmUpPart();
    ReplayOptions limited = ReplayOptions.asFastAsPossible().withLimit(Workload.WARM_UP_PACKETS);
    Topics topics = Topics.withPrefix("bench-warm-up");
    TopicSetup.create(kafka, topics, options.partitions(), BENCH_RETENTION);
    log.accept(String.format("warm-up: inspecting %s%s, untimed", w.setup() == null ? "" : "the setup and ",
        w.measured().getFileName()));
    long packets = 0;
    Path state = work.resolve("warm-up-state");
    InspectorRunner inspector = new InspectorRunner(measuredSettings.withTopics(topics),
        streamsProperties(bootstrap, "bench-warm-up", topics, state)).start(START_TIMEOUT);
    try {
      long records = 0;
      if (w.setup() != null) {
        FilePublishReport setup = publish(bootstrap, topics, w.setup(), options.batch(),
            ReplayOptions.asFastAsPossible());
        records += setup.publisher().recordsSent();
        packets += setup.packets();
      }
      FilePublishReport measured = publish(bootstrap, topics, w.measured(), options.batch(), limited);
      records += measured.publisher().recordsSent();
      packets += measured.packets();
      CatchUp.await(inspector::recordsProcessed, records, () -> 0, RUN_TIMEOUT, inspector::failure);
    } finally {
      inspector.closeLeavingGroup(); // as every phase: no member of it left to time out on the broker later
    }
    if (options.baselines()) {
      log.accept("warm-up: the baseline, untimed");
      Path baselineState = work.resolve("warm-up-baseline-state");
      baseline(kafka, "bench-warm-up-baseline", w.measured(), limited, baselineState);
      Trees.delete(baselineState);
    }
    Trees.delete(state);
    kafka.deleteTopicsStartingWith("bench-warm-up");
    double seconds = (System.nanoTime() - started) / 1e9;
    log.accept(String.format("warm-up: %,d packets inspected in %.1f s", packets, seconds));
    return new BenchResult.WarmUp(packets, seconds);
  }

  /** What the baseline's agent published (one record per packet) and how its application consumed it. */
  private record BaselineRun(FilePublishReport published, CatchUp consumed) {}

  /**
   * Publishes {@code pcap} one record per packet to the packets topic of {@code prefix}, then has
   * the plain one-get-and-put-per-record application (its id {@code prefix} too) work through that
   * backlog; times it and its stream thread's CPU.
   */
  private BaselineRun baseline(EmbeddedKafka kafka, String prefix, Path pcap, ReplayOptions replay, Path stateDir)
      throws CaptureException, InterruptedException {
    Topics base = Topics.withPrefix(prefix);
    kafka.createTopic(base.packets().name(), options.partitions(),
        TopicSetup.sizeRetention(BENCH_RETENTION));
    FilePublishReport unbatched = publish(kafka.bootstrapServers(), base, pcap, false, replay);
    StreamsApp app = new BaselineStreamsApp(base.packets().name(),
        streamsProperties(kafka.bootstrapServers(), prefix, base, stateDir)).start(START_TIMEOUT);
    try {
      return new BaselineRun(unbatched, CatchUp.await(app::recordsProcessed, unbatched.publisher().recordsSent(),
          () -> 0, new StreamThreadCpu(prefix), RUN_TIMEOUT, app::failure));
    } finally {
      app.closeLeavingGroup(); // as every phase: no member of it left to time out on the broker later
    }
  }

  /**
   * Packets per record over everything the agent sent, heartbeats included: the inspector's
   * progress is counted in records (Kafka Streams' own count, which survives rebalances), and this
   * turns a record rate into a packet rate.
   */
  private static double packetsPerRecord(FilePublishReport r) {
    return r.packets() / (double) r.publisher().recordsSent();
  }

  /**
   * Expires the whole table of a freshly started inspector that took over {@code connections}: moves
   * the clock past every timeout and waits for the table to empty; times the punctuations.
   */
  private BenchResult.Expiry expireEverything(String bootstrap, Topics topics, InspectorRunner inspector,
      long connections, long lastPacketNanos) throws InterruptedException {
    long waitUntil = System.nanoTime() + START_TIMEOUT.toNanos();
    while (inspector.connectionsTracked() != connections) { // its tasks report their tables once running
      if (System.nanoTime() > waitUntil) {
        throw new IllegalStateException("the inspector restarted with " + inspector.connectionsTracked()
            + " connections, not " + connections);
      }
      Thread.sleep(50);
    }
    log.accept(String.format("expiry: moving the clock past every timeout to expire %,d connections", connections));
    long start = System.nanoTime();
    try (PacketPublisher p = PacketPublisher.connect(bootstrap, topics, PublisherOptions.defaults(SENSOR),
        new Properties())) {
      p.heartbeat(lastPacketNanos + PAST_EVERY_TIMEOUT.toNanos());
      p.flush();
    }
    CatchUp.await(() -> connections - inspector.connectionsTracked(), connections, () -> 0, RUN_TIMEOUT,
        inspector::failure);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new BenchResult.Expiry(connections, inspector.longestExpiryMillis(), seconds);
  }

  private BenchResult.Latency latency(EmbeddedKafka kafka, FilePublishReport measured)
      throws InterruptedException, CaptureException {
    String bootstrap = kafka.bootstrapServers();
    Topics topics = Topics.withPrefix("bench-latency");
    TopicSetup.create(kafka, topics, options.partitions(), BENCH_RETENTION);
    int rate = options.latencyRate();
    // A capture too short for a full warm-up second gives a fifth of itself to it.
    long warmUpPackets = Math.min(rate * LATENCY_WARM_UP.toSeconds(), measured.packets() / 5);
    long packets = Math.min(options.latencyPackets(), measured.packets() - warmUpPackets);
    double recorded = measured.capturedPacketsPerSecond();
    if (recorded <= 0) {
      throw new IllegalStateException("the capture has no duration: cannot pace it for the latency run");
    }
    log.accept(String.format("latency: %,d packets at %,d packets/s, stamped when sent, after %,d to warm up",
        packets, rate, warmUpPackets));
    InspectorSettings settings = options.settings().withTopics(topics);
    try (InspectorRunner inspector = new InspectorRunner(settings,
        streamsProperties(bootstrap, "bench-latency", topics, work.resolve("latency-state"))).start(START_TIMEOUT);
        VerdictLatency probe = new VerdictLatency(bootstrap, topics)) {
      ReplayOptions paced = ReplayOptions.asFastAsPossible().withSpeed(rate / recorded).restamped()
          .withLimit(warmUpPackets + packets);
      probe.warmUp(warmUpPackets * 1_000_000_000L / rate);
      FilePublishReport sent = publish(bootstrap, topics, options.workload().measured(), options.batch(), paced);
      CatchUp.await(inspector::recordsProcessed, sent.publisher().recordsSent(), () -> 0, RUN_TIMEOUT,
          inspector::failure);
      awaitQuiet(probe);
      VerdictLatency.Samples counted = probe.counted(); // one copy for the figures and the file
      if (options.latencySamples() != null) {
        counted.write(options.latencySamples());
      }
      long[] sorted = counted.sorted();
      return new BenchResult.Latency(rate, warmUpPackets, sent.packets() - warmUpPackets, sorted.length,
          VerdictLatency.percentileMillis(sorted, 0.50), VerdictLatency.percentileMillis(sorted, 0.99),
          VerdictLatency.percentileMillis(sorted, 1.0));
    }
  }

  /** Waits until no verdict has arrived for a second: the last ones are in. */
  private static void awaitQuiet(VerdictLatency probe) throws InterruptedException {
    int seen = -1;
    while (probe.received() != seen) {
      seen = probe.received();
      Thread.sleep(1_000);
    }
  }

  private FilePublishReport publish(String bootstrap, Topics topics, Path pcap, boolean batch, ReplayOptions replay)
      throws CaptureException {
    PublisherOptions p = PublisherOptions.defaults(SENSOR);
    if (!batch) {
      p = p.withBatching(1, Duration.ZERO);
    }
    Properties producer = new Properties();
    producer.putAll(options.agentOverrides());
    try (PacketPublisher publisher = PacketPublisher.connect(bootstrap, topics, p, producer)) {
      FilePublishReport report = CaptureAgent.publishFile(pcap, DecoderOptions.defaults(), publisher, replay,
          ReplayProgress.NONE);
      if (report.lost() > 0) {
        throw new IllegalStateException(report.lost() + " packets were not acknowledged by the broker");
      }
      return report;
    }
  }

  private Properties streamsProperties(String bootstrap, String applicationId, Topics topics, Path stateDir) {
    Map<String, String> overrides = new HashMap<>(options.streamsOverrides());
    overrides.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    overrides.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(options.threads()));
    overrides.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, options.guarantee());
    return StreamsProperties.of(bootstrap, applicationId, topics, overrides);
  }
}

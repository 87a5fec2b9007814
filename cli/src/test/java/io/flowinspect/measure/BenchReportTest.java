package io.flowinspect.measure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowinspect.inspect.streams.InspectorSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The benchmark's result as JSON for scripts and as a table for people, from results built by hand. */
class BenchReportTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Machine MACHINE = new Machine(8, 16L << 30, "Test CPU @ 3.0GHz", "Linux 6.1 amd64",
      "OpenJDK 64-Bit Server VM 17", "3.7.0", "abcdef123456");
  private static final Workload WORKLOAD = new Workload(Path.of("/tmp/setup.pcap"), Path.of("/tmp/traffic.pcap"),
      "synthetic held connections: 200 open TCP connections", true);
  private static final List<String> REQUIRED_NUMBERS = List.of("agent_pps", "inspector_pps", "baseline_streams_rps",
      "latency_p50_ms", "latency_p99_ms", "concurrent_flows");

  private static BenchOptions options(boolean baselines, int threads) {
    return new BenchOptions(WORKLOAD, InspectorSettings.defaults(), true, "at_least_once", threads, 2, true, baselines,
        5_000, 5_000, false, null, Map.of(), Map.of(), null);
  }

  /** Everything measured: baselines, both tools, latency and expiry. */
  private static BenchResult full() {
    return new BenchResult("2026-01-02T03:04:05Z", MACHINE, options(true, 2),
        new BenchResult.WarmUp(30_000, 12.4), 20_000, 400, 1_250_000.5, 25_000.0,
        900_000.0, 18_000.0, 2.5, 850_000.0, 200, 512L << 20, 3L << 20, 300_000.0, 150_000.0, OptionalDouble.of(700_000.0),
        OptionalDouble.of(90_000.0), new BenchResult.Latency(5_000, 1_000, 5_000, 180, 3.25, 12.5, 40.0),
        new BenchResult.Expiry(200, 15.0, 1.5), 42.0,
        new BenchResult.Cpu(1_800_000.0, 450_000.0), new BenchResult.Jit(1.25, 3.5));
  }

  /** Baselines and latency skipped (--no-baselines --no-latency), no expiry. */
  private static BenchResult bare() {
    return new BenchResult("2026-01-02T03:04:05Z", MACHINE, options(false, 1), null, 20_000, 400, 1_000_000.0, 20_000.0,
        800_000.0, 16_000.0, 1.0, 750_000.0, 200, 256L << 20, 1L << 20, Double.NaN, Double.NaN, OptionalDouble.empty(),
        OptionalDouble.empty(), null, null, 10.0, BenchResult.Cpu.NOT_MEASURED, BenchResult.Jit.NOT_MEASURED);
  }

  private static JsonNode json(BenchResult r) throws Exception {
    return MAPPER.readTree(BenchReport.json(r));
  }

  // --- JSON ---

  @Test
  void jsonIsOneObjectWithTheRequiredTopLevelNumbers() throws Exception {
    String text = BenchReport.json(full());

    assertThat(text).doesNotContain("\n");
    JsonNode j = MAPPER.readTree(text);
    assertThat(j.isObject()).isTrue();
    for (String field : REQUIRED_NUMBERS) {
      assertThat(j.get(field)).as(field).isNotNull();
      assertThat(j.get(field).isNumber()).as(field + " is a number").isTrue();
    }
    assertThat(j.get("agent_pps").asDouble()).isEqualTo(1_250_000.5);
    assertThat(j.get("inspector_pps").asDouble()).isEqualTo(900_000.0);
    assertThat(j.get("inspector_pps_committed").asDouble()).isEqualTo(850_000.0);
    assertThat(BenchReport.table(full()))
        .contains("850,000 packets/s, timed until the closing commit had written every change");
    assertThat(j.get("baseline_streams_rps").asDouble()).isEqualTo(300_000.0);
    assertThat(j.get("latency_p50_ms").asDouble()).isEqualTo(3.25);
    assertThat(j.get("latency_p99_ms").asDouble()).isEqualTo(12.5);
    assertThat(j.get("latency_max_ms").asDouble()).isEqualTo(40.0);
    assertThat(j.get("latency_samples").asLong()).isEqualTo(180);
    assertThat(j.get("latency_rate_pps").asLong()).isEqualTo(5_000);
    assertThat(j.get("latency_warm_up_packets").asLong()).isEqualTo(1_000);
    assertThat(j.get("concurrent_flows").isIntegralNumber()).isTrue();
    assertThat(j.get("concurrent_flows").asLong()).isEqualTo(200);
  }

  @Test
  void workPerCpuSecondIsReportedWhereMeasuredAndNullWhereNot() throws Exception {
    JsonNode measured = json(full());
    JsonNode skipped = json(bare());

    assertThat(measured.get("inspector_pps_per_cpu").asDouble()).isEqualTo(1_800_000.0);
    assertThat(measured.get("baseline_streams_rps_per_cpu").asDouble()).isEqualTo(450_000.0);
    assertThat(BenchReport.table(full())).contains("1,800,000 packets per second of stream-thread CPU time")
        .contains("(inspector/baseline: 4.00×)");
    assertThat(skipped.get("inspector_pps_per_cpu").isNull()).isTrue();
    assertThat(BenchReport.table(bare())).doesNotContain("CPU time");
  }

  @Test
  void jsonCarriesTheRunsSettingsCountsAndMachine() throws Exception {
    JsonNode j = json(full());

    assertThat(j.get("date").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(j.get("commit").asText()).isEqualTo("abcdef123456");
    assertThat(j.get("workload").asText()).isEqualTo(WORKLOAD.description());
    assertThat(j.get("batch").asText()).isEqualTo("on");
    assertThat(j.get("guarantee").asText()).isEqualTo("at_least_once");
    assertThat(j.get("threads").asInt()).isEqualTo(2);
    assertThat(j.get("partitions").asInt()).isEqualTo(2);
    assertThat(j.get("idle_writes").asText()).isEqualTo("on");
    assertThat(j.get("quiet_changes").asText()).isEqualTo("off");
    assertThat(j.get("packets").asLong()).isEqualTo(20_000);
    assertThat(j.get("records").asLong()).isEqualTo(400);
    assertThat(j.get("peak_heap_bytes").asLong()).isEqualTo(512L << 20);
    assertThat(j.get("rocksdb_bytes").asLong()).isEqualTo(3L << 20);
    assertThat(j.get("seconds").asDouble()).isEqualTo(42.0);
    JsonNode m = j.get("machine");
    assertThat(m.get("cores").asInt()).isEqualTo(8);
    assertThat(m.get("memory_bytes").asLong()).isEqualTo(16L << 30);
    assertThat(m.get("cpu").asText()).isEqualTo("Test CPU @ 3.0GHz");
    assertThat(m.get("kafka").asText()).isEqualTo("3.7.0");
  }

  @Test
  void jsonRatesPerThreadDivideByTheStreamThreads() throws Exception {
    JsonNode j = json(full());

    assertThat(j.get("inspector_pps_per_thread").asDouble()).isEqualTo(450_000.0);
    assertThat(j.get("baseline_streams_rps_per_thread").asDouble()).isEqualTo(150_000.0);
  }

  @Test
  void jsonHasArgusAndTcpdumpWhenTheyWereMeasured() throws Exception {
    JsonNode j = json(full());

    assertThat(j.get("argus_pps").asDouble()).isEqualTo(700_000.0);
    assertThat(j.get("tcpdump_pps").asDouble()).isEqualTo(90_000.0);
    assertThat(j.get("agent_unbatched_pps").asDouble()).isEqualTo(150_000.0);
  }

  @Test
  void jsonLeavesOutArgusAndTcpdumpWhenTheyWereNotMeasured() throws Exception {
    JsonNode j = json(bare());

    assertThat(j.has("argus_pps")).isFalse();
    assertThat(j.has("tcpdump_pps")).isFalse();
  }

  @Test
  void jsonLeavesOutOnlyTheToolThatIsMissing() throws Exception {
    BenchResult f = full();
    BenchResult noArgus = new BenchResult(f.date(), f.machine(), f.options(), f.warmUp(), f.packets(), f.records(),
        f.agentPps(), f.agentRps(), f.inspectorPps(), f.inspectorRps(), f.inspectorStartSeconds(), f.inspectorPpsCommitted(), f.concurrentFlows(),
        f.peakHeapBytes(), f.rocksDbBytes(), f.baselineStreamsRps(), f.agentUnbatchedPps(), OptionalDouble.empty(),
        f.tcpdumpPps(), f.latency(), f.expiry(), f.seconds(), f.cpu(), f.jit());

    JsonNode j = json(noArgus);

    assertThat(j.has("argus_pps")).isFalse();
    assertThat(j.get("tcpdump_pps").asDouble()).isEqualTo(90_000.0);
  }

  @Test
  void jsonBaselinesNotMeasuredAreNullNotZero() throws Exception {
    JsonNode j = json(bare());

    assertThat(j.has("baseline_streams_rps")).isTrue();
    assertThat(j.get("baseline_streams_rps").isNull()).isTrue();
    assertThat(j.get("baseline_streams_rps_per_thread").isNull()).isTrue();
    assertThat(j.get("agent_unbatched_pps").isNull()).isTrue();
    // What was measured is still there.
    assertThat(j.get("agent_pps").asDouble()).isEqualTo(1_000_000.0);
    assertThat(j.get("inspector_pps").asDouble()).isEqualTo(800_000.0);
  }

  @Test
  void jsonLeavesOutLatencyAndExpiryWhenTheyWereNotRun() throws Exception {
    JsonNode j = json(bare());

    for (String field : List.of("latency_rate_pps", "latency_warm_up_packets", "latency_samples", "latency_p50_ms",
        "latency_p99_ms", "latency_max_ms", "expired_connections", "expiry_seconds", "punctuation_max_ms")) {
      assertThat(j.has(field)).as(field).isFalse();
    }
  }

  @Test
  void jsonHasExpiryWhenItWasRun() throws Exception {
    JsonNode j = json(full());

    assertThat(j.get("expired_connections").asLong()).isEqualTo(200);
    assertThat(j.get("expiry_seconds").asDouble()).isEqualTo(1.5);
    assertThat(j.get("punctuation_max_ms").asDouble()).isEqualTo(15.0);
  }

  @Test
  void jsonLatencyWithoutVerdictsIsNullRatherThanAnInvalidNumber() throws Exception {
    BenchResult f = full();
    double nan = VerdictLatency.percentileMillis(new long[0], 0.5);
    BenchResult noVerdicts = new BenchResult(f.date(), f.machine(), f.options(), f.warmUp(), f.packets(), f.records(),
        f.agentPps(), f.agentRps(), f.inspectorPps(), f.inspectorRps(), f.inspectorStartSeconds(), f.inspectorPpsCommitted(), f.concurrentFlows(),
        f.peakHeapBytes(), f.rocksDbBytes(), f.baselineStreamsRps(), f.agentUnbatchedPps(), f.argusPps(),
        f.tcpdumpPps(), new BenchResult.Latency(5_000, 1_000, 5_000, 0, nan, nan, nan), f.expiry(), f.seconds(),
        f.cpu(), f.jit());

    JsonNode j = json(noVerdicts); // NaN written as such would not parse

    assertThat(j.get("latency_samples").asInt()).isZero();
    assertThat(j.get("latency_p50_ms").isNull()).isTrue();
    assertThat(j.get("latency_p99_ms").isNull()).isTrue();
    assertThat(BenchReport.table(noVerdicts))
        .contains("verdict latency    not measured: no connection opened after the warm-up")
        .doesNotContain("NaN");
  }

  @Test
  void jsonEscapesTheWorkloadDescription() throws Exception {
    Workload odd = new Workload(null, Path.of("/tmp/a.pcap"), "C:\\captures\\\"odd\" name\tpcap", false);
    BenchResult b = bare();
    BenchOptions o = new BenchOptions(odd, InspectorSettings.defaults().withIdleWrites(false).withQuietChanges(true), false,
        "exactly_once_v2", 1, 1, false, false, 0, 0, false, null, Map.of(), Map.of(), null);
    BenchResult r = new BenchResult(b.date(), b.machine(), o, b.warmUp(), b.packets(), b.records(), b.agentPps(),
        b.agentRps(), b.inspectorPps(), b.inspectorRps(), b.inspectorStartSeconds(), b.inspectorPpsCommitted(), b.concurrentFlows(),
        b.peakHeapBytes(), b.rocksDbBytes(), b.baselineStreamsRps(), b.agentUnbatchedPps(), b.argusPps(),
        b.tcpdumpPps(), null, null, b.seconds(), b.cpu(), b.jit());

    JsonNode j = json(r);

    assertThat(j.get("workload").asText()).isEqualTo("C:\\captures\\\"odd\" name\tpcap");
    assertThat(j.get("batch").asText()).isEqualTo("off");
    assertThat(j.get("guarantee").asText()).isEqualTo("exactly_once_v2");
    assertThat(j.get("idle_writes").asText()).isEqualTo("off");
    assertThat(j.get("quiet_changes").asText()).isEqualTo("on");
    assertThat(BenchReport.table(r)).contains("idle writes off, quiet changes on");
  }

  @Test
  void settingsGivenOverTheDefaultsAreReportedSorted() throws Exception {
    BenchResult b = bare();
    BenchOptions o = new BenchOptions(WORKLOAD, InspectorSettings.defaults(), true, "at_least_once", 1, 2, false, false,
        0, 0, false, null, Map.of("commit.interval.ms", "100", "buffered.records.per.partition", "500"),
        Map.of("compression.type", "zstd"), null);
    BenchResult r = new BenchResult(b.date(), b.machine(), o, b.warmUp(), b.packets(), b.records(), b.agentPps(),
        b.agentRps(), b.inspectorPps(), b.inspectorRps(), b.inspectorStartSeconds(), b.inspectorPpsCommitted(), b.concurrentFlows(),
        b.peakHeapBytes(), b.rocksDbBytes(), b.baselineStreamsRps(), b.agentUnbatchedPps(), b.argusPps(),
        b.tcpdumpPps(), null, null, b.seconds(), b.cpu(), b.jit());

    JsonNode j = json(r);

    assertThat(j.get("streams_config").asText())
        .isEqualTo("buffered.records.per.partition=500 commit.interval.ms=100");
    assertThat(j.get("agent_config").asText()).isEqualTo("compression.type=zstd");
    assertThat(BenchReport.table(r)).contains(
        "settings: streams buffered.records.per.partition=500 commit.interval.ms=100; agent compression.type=zstd");
    assertThat(json(bare()).get("agent_config").asText()).isEqualTo("defaults");
    assertThat(BenchReport.table(bare())).doesNotContain("settings");
  }

  @Test
  void theWarmUpIsReportedWhenRunAndSaidToBeAbsentWhenNot() throws Exception {
    assertThat(json(full()).get("warm_up_packets").asLong()).isEqualTo(30_000);
    assertThat(json(full()).get("warm_up_seconds").asDouble()).isEqualTo(12.4);
    assertThat(json(bare()).get("warm_up_packets").asLong()).isZero();
    assertThat(BenchReport.table(full())).contains(
        "warm-up            30,000 packets inspected untimed first, for the JIT compiler (the warm-up took 12 s)");
    assertThat(BenchReport.table(bare()))
        .contains("warm-up            none: the runs below include the JIT compiler's work");
  }

  @Test
  void theJitCompilersTimeDuringTheTimedRunsIsReportedWhereMeasured() throws Exception {
    assertThat(json(full()).get("jit_seconds_inspector").asDouble()).isEqualTo(1.25);
    assertThat(json(full()).get("jit_seconds_latency").asDouble()).isEqualTo(3.5);
    assertThat(json(bare()).get("jit_seconds_inspector").isNull()).isTrue();
    assertThat(BenchReport.table(full())).contains(
        "JIT compiling      1.3 s of compiler threads' time during the inspector run, 3.5 s during the latency run");
    assertThat(BenchReport.table(bare())).doesNotContain("JIT compiling");
  }

  @Test
  void jsonFieldNamesAreUnique() throws Exception {
    JsonNode j = json(full());
    List<String> names = new ArrayList<>();
    j.fieldNames().forEachRemaining(names::add);

    assertThat(names).doesNotHaveDuplicates().startsWith("date", "commit", "workload").endsWith("machine");
  }

  // --- table ---

  @Test
  void tableShowsEveryMeasuredFigure() {
    String t = BenchReport.table(full());

    assertThat(t).contains("workload: synthetic held connections: 200 open TCP connections")
        .contains("batching on, at_least_once, 2 stream thread(s), 2 partition(s)")
        .contains("8 cores, 16.0 GiB, Test CPU @ 3.0GHz")
        .contains("commit abcdef123456")
        .containsPattern("capture agent +1,250,00[01] packets/s  25,000 records/s  \\(20,000 packets in 400 records\\)")
        .contains("inspector          900,000 packets/s  18,000 records/s  per thread: 450,000 packets/s")
        .contains("200 tracked at most")
        .contains("baseline Streams   300,000 records/s  per thread: 150,000  (inspector/baseline per thread: 3.00×)")
        .contains("agent, unbatched   150,000 packets/s")
        .contains("argus              700,000 packets/s")
        .contains("tcpdump -n -r      90,000 packets/s")
        .contains("verdict latency    p50 3.3 ms  p99 12.5 ms  max 40.0 ms  (180 verdicts, 5,000 packets at 5,000/s, after 1,000 to warm up)")
        .contains("expiry             200 connections expired in 1.5 s; longest punctuation 15 ms")
        .contains("inspector start    2.5 s before the first packet was inspected")
        .contains("total              42 s");
  }

  @Test
  void tableSaysNotInstalledForAToolThatWasNotMeasured() {
    BenchResult f = full();
    BenchResult noTools = new BenchResult(f.date(), f.machine(), f.options(), f.warmUp(), f.packets(), f.records(),
        f.agentPps(), f.agentRps(), f.inspectorPps(), f.inspectorRps(), f.inspectorStartSeconds(), f.inspectorPpsCommitted(), f.concurrentFlows(),
        f.peakHeapBytes(), f.rocksDbBytes(), f.baselineStreamsRps(), f.agentUnbatchedPps(), OptionalDouble.empty(),
        OptionalDouble.empty(), f.latency(), f.expiry(), f.seconds(), f.cpu(), f.jit());

    String t = BenchReport.table(noTools);

    assertThat(t).contains("argus              not installed").contains("tcpdump -n -r      not installed");
  }

  @Test
  void tableLeavesOutWhatWasNotRun() {
    String t = BenchReport.table(bare());

    assertThat(t).doesNotContain("baseline Streams").doesNotContain("unbatched").doesNotContain("argus")
        .doesNotContain("tcpdump").doesNotContain("verdict latency").doesNotContain("expiry")
        .doesNotContain("NaN");
    assertThat(t).contains("capture agent").contains("inspector ").contains("total              10 s");
  }
}

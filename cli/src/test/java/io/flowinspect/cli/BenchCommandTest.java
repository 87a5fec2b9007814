package io.flowinspect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench}: one small real run, embedded broker and all, through the command line. */
class BenchCommandTest {
  @TempDir Path dir;

  @Test
  void smallRunWritesJsonWithEveryHeadlineFigure() throws Exception {
    Path out = dir.resolve("bench.json");
    Path samples = dir.resolve("latency.txt");

    // A mix, so that new connections (and so verdicts) keep coming after the latency run's warm-up.
    int exit = Main.run("bench", "--synth", "mix:concurrent=200,rate=400,packets=20000", "--latency-rate", "5000",
        "--latency-packets", "10000", "--json", out.toString(), "--latency-samples", samples.toString());

    assertThat(exit).isZero();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(1);
    JsonNode j = new ObjectMapper().readTree(lines.get(0));
    assertThat(j.get("workload").asText()).contains("200 concurrent connections").contains("20000 packets");
    assertThat(j.get("packets").asLong()).isEqualTo(20_000);
    assertThat(j.get("warm_up_packets").asLong()).as("the whole mix, once untimed first").isEqualTo(20_000);
    for (String jit : List.of("jit_seconds_inspector", "jit_seconds_latency")) {
      assertThat(j.get(jit).isNumber()).as(jit + " measured in this JVM, not null").isTrue();
      assertThat(j.get(jit).asDouble()).as(jit).isGreaterThanOrEqualTo(0);
    }
    assertThat(j.get("records").asLong()).isPositive();
    assertThat(j.get("agent_pps").asDouble()).isPositive();
    assertThat(j.get("inspector_pps").asDouble()).isPositive();
    assertThat(j.get("baseline_streams_rps").asDouble()).isPositive();
    assertThat(j.get("agent_unbatched_pps").asDouble()).isPositive();
    assertThat(j.get("concurrent_flows").asLong()).isGreaterThanOrEqualTo(200);
    assertThat(j.get("latency_rate_pps").asLong()).isEqualTo(5_000);
    assertThat(j.get("latency_warm_up_packets").asLong()).isEqualTo(4_000); // a fifth of a short capture
    assertThat(j.get("latency_samples").asLong()).isPositive();
    assertThat(j.get("latency_p50_ms").isNumber()).as("latency_p50_ms is a number").isTrue();
    assertThat(j.get("latency_p99_ms").isNumber()).as("latency_p99_ms is a number").isTrue();
    assertThat(j.get("latency_p50_ms").asDouble()).isPositive()
        .isLessThanOrEqualTo(j.get("latency_p99_ms").asDouble());
    assertThat(j.get("latency_p99_ms").asDouble()).isLessThanOrEqualTo(j.get("latency_max_ms").asDouble());
    // One line per counted verdict, send time and latency; the slowest is the reported maximum.
    List<String> sampleLines = Files.readAllLines(samples);
    assertThat(sampleLines.get(0)).startsWith("#");
    List<long[]> pairs = sampleLines.stream().skip(1)
        .map(l -> java.util.Arrays.stream(l.split(" ")).mapToLong(Long::parseLong).toArray()).toList();
    assertThat(pairs).hasSize(j.get("latency_samples").asInt());
    assertThat(pairs).allSatisfy(p -> assertThat(p).hasSize(2));
    assertThat(pairs.stream().mapToLong(p -> p[1]).max().orElseThrow() / 1e6)
        .isCloseTo(j.get("latency_max_ms").asDouble(), org.assertj.core.data.Offset.offset(0.01));
    // argus and tcpdump are measured where installed and left out where not.
    for (String tool : List.of("argus", "tcpdump")) {
      String field = tool + "_pps";
      if (installed(tool)) {
        assertThat(j.get(field)).as(field).isNotNull();
        assertThat(j.get(field).asDouble()).as(field).isPositive();
      } else {
        assertThat(j.has(field)).as(field).isFalse();
      }
    }
  }

  @Test
  void aHeldRunOpensEveryConnectionBeforeTheTimedPackets() throws Exception {
    Path out = dir.resolve("held.json");

    int exit = Main.run("bench", "--synth", "held:connections=200,packets=5000", "--no-latency", "--no-baselines",
        "--json", out.toString());

    assertThat(exit).isZero();
    JsonNode j = new ObjectMapper().readTree(Files.readAllLines(out).get(0));
    assertThat(j.get("workload").asText()).contains("200 open TCP connections").contains("5000 data segments");
    assertThat(j.get("packets").asLong()).isEqualTo(5_000);
    assertThat(j.get("warm_up_packets").asLong()).as("handshakes and traffic, untimed first").isEqualTo(600 + 5_000);
    assertThat(j.get("concurrent_flows").asLong()).isGreaterThanOrEqualTo(200);
    assertThat(j.get("inspector_pps").asDouble()).isPositive();
    assertThat(j.has("latency_p99_ms")).isFalse();
  }

  @Test
  void withoutTheWarmUpNothingIsReplayedUntimedFirst() throws Exception {
    Path out = dir.resolve("cold.json");
    PrintStream stdout = System.out;
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(table, true, StandardCharsets.UTF_8));
      exit = Main.run("bench", "--synth", "held:connections=100,packets=1000", "--no-warm-up", "--no-latency",
          "--no-baselines", "--json", out.toString());
    } finally {
      System.setOut(stdout);
    }

    assertThat(exit).isZero();
    JsonNode j = new ObjectMapper().readTree(Files.readAllLines(out).get(0));
    assertThat(j.get("warm_up_packets").asLong()).isZero();
    assertThat(j.get("inspector_pps").asDouble()).isPositive();
    assertThat(table.toString(StandardCharsets.UTF_8))
        .contains("warm-up            none: the runs below include the JIT compiler's work");
  }

  @Test
  void badWorkloadSpecIsOneLineAndExitStatusTwo() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      exit = Main.run("bench", "--synth", "held:connections=200,flows=3", "--json", dir.resolve("x.json").toString());
    } finally {
      System.setErr(err);
    }

    assertThat(exit).isEqualTo(2);
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("flowinspect bench: unknown parameter [flows]");
    assertThat(dir.resolve("x.json")).doesNotExist();
  }

  @Test
  void batchOtherThanOnOrOffIsRefused() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      exit = Main.run("bench", "--batch", "sometimes");
    } finally {
      System.setErr(err);
    }

    assertThat(exit).isEqualTo(2);
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("--batch must be on or off, not sometimes");
  }

  /** As the benchmark looks for a tool: on the PATH or in the sbin directories. */
  private static boolean installed(String tool) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
    return dirs.stream().anyMatch(d -> Files.isExecutable(Path.of(d.isEmpty() ? "." : d, tool)));
  }
}

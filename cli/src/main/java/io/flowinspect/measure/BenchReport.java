package io.flowinspect.measure;

import io.flowinspect.offline.Json;
import java.util.Locale;
import java.util.OptionalDouble;

/** A benchmark result as a table for people, or as JSON for scripts and the history in BENCHMARKS.md. */
public final class BenchReport {
  private BenchReport() {}

  public static String table(BenchResult r) {
    StringBuilder sb = new StringBuilder();
    BenchOptions o = r.options();
    Machine m = r.machine();
    line(sb, "workload", o.workload().description());
    line(sb, "run", String.format(Locale.ROOT,
        "%s, batching %s, %s, %d stream thread(s), %d partition(s), idle writes %s, quiet changes %s", r.date(),
        o.batch() ? "on" : "off", o.guarantee(), o.threads(), o.partitions(), o.settings().idleWrites() ? "on" : "off",
        o.settings().quietChanges() ? "on" : "off"));
    if (!o.streamsOverrides().isEmpty() || !o.agentOverrides().isEmpty()) {
      line(sb, "settings", "streams " + settings(o.streamsOverrides()) + "; agent " + settings(o.agentOverrides()));
    }
    line(sb, "machine", String.format(Locale.ROOT, "%d cores, %.1f GiB, %s; %s; %s; Kafka %s; commit %s", m.cores(),
        m.memoryBytes() / (double) (1L << 30), m.cpu(), m.os(), m.java(), m.kafka(), m.commit()));
    sb.append('\n');
    if (r.warmUp() != null) {
      row(sb, "warm-up", "%,d packets inspected untimed first, for the JIT compiler (the warm-up took %.0f s)",
          r.warmUp().packets(), r.warmUp().seconds());
    } else {
      row(sb, "warm-up", "none: the runs below include the JIT compiler's work");
    }
    row(sb, "capture agent", "%,.0f packets/s  %,.0f records/s  (%,d packets in %,d records)", r.agentPps(),
        r.agentRps(), r.packets(), r.records());
    row(sb, "inspector", "%,.0f packets/s  %,.0f records/s  per thread: %,.0f packets/s", r.inspectorPps(),
        r.inspectorRps(), r.inspectorPpsPerThread());
    if (!Double.isNaN(r.cpu().inspectorPacketsPerCpuSecond())) {
      row(sb, "  per CPU second", "%,.0f packets per second of stream-thread CPU time",
          r.cpu().inspectorPacketsPerCpuSecond());
    }
    row(sb, "  until committed", "%,.0f packets/s, timed until the closing commit had written every change",
        r.inspectorPpsCommitted());
    row(sb, "  connections", "%,d tracked at most", r.concurrentFlows());
    row(sb, "  peak heap", "%,.0f MiB (sampled, whole JVM)", r.peakHeapBytes() / (double) (1 << 20));
    row(sb, "  RocksDB", "%,.1f MiB on disk%s", r.rocksDbBytes() / (double) (1 << 20), perConnection(r));
    if (!Double.isNaN(r.baselineStreamsRps())) {
      row(sb, "baseline Streams", "%,.0f records/s  per thread: %,.0f  (inspector/baseline per thread: %.2f×)",
          r.baselineStreamsRps(), r.baselineRpsPerThread(), r.inspectorPpsPerThread() / r.baselineRpsPerThread());
      if (!Double.isNaN(r.cpu().baselineRecordsPerCpuSecond())) {
        row(sb, "  per CPU second", "%,.0f records per second of stream-thread CPU time (inspector/baseline: %.2f×)",
            r.cpu().baselineRecordsPerCpuSecond(),
            r.cpu().inspectorPacketsPerCpuSecond() / r.cpu().baselineRecordsPerCpuSecond());
      }
      row(sb, "agent, unbatched", "%,.0f packets/s", r.agentUnbatchedPps());
      tool(sb, "argus", r.argusPps());
      tool(sb, "tcpdump -n -r", r.tcpdumpPps());
    }
    if (r.latency() != null && r.latency().samples() == 0) {
      // A held workload opens its connections before the timed packets: no verdict comes after the warm-up.
      row(sb, "verdict latency", "not measured: no connection opened after the warm-up (%,d packets at %,d/s)",
          r.latency().packets(), r.latency().ratePps());
    } else if (r.latency() != null) {
      BenchResult.Latency l = r.latency();
      row(sb, "verdict latency", "p50 %.1f ms  p99 %.1f ms  max %.1f ms  (%,d verdicts, %,d packets at %,d/s,"
          + " after %,d to warm up)", l.p50Ms(), l.p99Ms(), l.maxMs(), l.samples(), l.packets(), l.ratePps(),
          l.warmUpPackets());
    }
    if (r.expiry() != null) {
      BenchResult.Expiry e = r.expiry();
      row(sb, "expiry", "%,d connections expired in %.1f s; longest punctuation %.0f ms", e.connections(),
          e.seconds(), e.longestPunctuationMs());
    }
    if (!Double.isNaN(r.jit().duringInspectorSeconds())) {
      row(sb, "JIT compiling", "%.1f s of compiler threads' time during the inspector run%s",
          r.jit().duringInspectorSeconds(), Double.isNaN(r.jit().duringLatencySeconds()) ? ""
              : String.format(Locale.ROOT, ", %.1f s during the latency run", r.jit().duringLatencySeconds()));
    }
    row(sb, "inspector start", "%.1f s before the first packet was inspected", r.inspectorStartSeconds());
    row(sb, "total", "%.0f s", r.seconds());
    return sb.toString();
  }

  /** Settings given over flowinspect's own, sorted, as KEY=VALUE separated by spaces ("defaults" if none). */
  private static String settings(java.util.Map<String, String> overrides) {
    if (overrides.isEmpty()) {
      return "defaults";
    }
    return String.join(" ", new java.util.TreeMap<>(overrides).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).toList());
  }

  public static String json(BenchResult r) {
    BenchOptions o = r.options();
    Machine m = r.machine();
    Json j = new Json()
        .field("date", r.date())
        .field("commit", m.commit())
        .field("workload", o.workload().description())
        .field("batch", o.batch() ? "on" : "off")
        .field("guarantee", o.guarantee())
        .field("threads", o.threads())
        .field("partitions", o.partitions())
        .field("idle_writes", o.settings().idleWrites() ? "on" : "off")
        .field("quiet_changes", o.settings().quietChanges() ? "on" : "off")
        .field("streams_config", settings(o.streamsOverrides()))
        .field("agent_config", settings(o.agentOverrides()))
        .field("packets", r.packets())
        .field("records", r.records())
        .field("agent_pps", r.agentPps())
        .field("agent_rps", r.agentRps())
        .field("inspector_pps", r.inspectorPps())
        .field("inspector_rps", r.inspectorRps())
        .field("inspector_pps_per_thread", r.inspectorPpsPerThread())
        .field("inspector_pps_per_cpu", r.cpu().inspectorPacketsPerCpuSecond())
        .field("inspector_pps_committed", r.inspectorPpsCommitted())
        .field("concurrent_flows", r.concurrentFlows())
        .field("peak_heap_bytes", r.peakHeapBytes())
        .field("rocksdb_bytes", r.rocksDbBytes())
        .field("baseline_streams_rps", r.baselineStreamsRps())
        .field("baseline_streams_rps_per_thread", r.baselineRpsPerThread())
        .field("baseline_streams_rps_per_cpu", r.cpu().baselineRecordsPerCpuSecond())
        .field("agent_unbatched_pps", r.agentUnbatchedPps())
        .field("seconds", r.seconds())
        .field("warm_up_packets", r.warmUp() == null ? 0 : r.warmUp().packets())
        .field("warm_up_seconds", r.warmUp() == null ? 0 : r.warmUp().seconds())
        .field("jit_seconds_inspector", r.jit().duringInspectorSeconds())
        .field("jit_seconds_latency", r.jit().duringLatencySeconds());
    r.argusPps().ifPresent(v -> j.field("argus_pps", v));
    r.tcpdumpPps().ifPresent(v -> j.field("tcpdump_pps", v));
    if (r.latency() != null) {
      BenchResult.Latency l = r.latency();
      j.field("latency_rate_pps", l.ratePps()).field("latency_warm_up_packets", l.warmUpPackets())
          .field("latency_samples", l.samples())
          .field("latency_p50_ms", l.p50Ms()).field("latency_p99_ms", l.p99Ms()).field("latency_max_ms", l.maxMs());
    }
    if (r.expiry() != null) {
      j.field("expired_connections", r.expiry().connections())
          .field("expiry_seconds", r.expiry().seconds())
          .field("punctuation_max_ms", r.expiry().longestPunctuationMs());
    }
    j.field("machine", new Json().field("cores", m.cores()).field("memory_bytes", m.memoryBytes())
        .field("cpu", m.cpu()).field("os", m.os()).field("java", m.java()).field("kafka", m.kafka()));
    return j.toString();
  }

  private static String perConnection(BenchResult r) {
    return r.concurrentFlows() == 0 ? ""
        : String.format(Locale.ROOT, " (%.0f bytes per tracked connection)",
            r.rocksDbBytes() / (double) r.concurrentFlows());
  }

  private static void tool(StringBuilder sb, String name, OptionalDouble pps) {
    row(sb, name, "%s", pps.isPresent() ? String.format(Locale.ROOT, "%,.0f packets/s", pps.getAsDouble())
        : "not installed");
  }

  private static void line(StringBuilder sb, String label, String value) {
    sb.append(String.format(Locale.ROOT, "%-9s %s%n", label + ":", value));
  }

  private static void row(StringBuilder sb, String label, String format, Object... args) {
    sb.append(String.format(Locale.ROOT, "%-18s ", label)).append(String.format(Locale.ROOT, format, args))
        .append('\n');
  }
}

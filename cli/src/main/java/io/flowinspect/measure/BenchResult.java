package io.flowinspect.measure;

import java.util.OptionalDouble;

/**
 * Every figure one benchmark run measured. Rates are per second of wall-clock time; "per thread"
 * divides the instance's rate by its stream threads. {@code inspectorPpsCommitted} times the
 * inspector until its closing commit has written every change (see {@link EndToEndBench}).
 */
public record BenchResult(
    String date,
    Machine machine,
    BenchOptions options,
    WarmUp warmUp,
    long packets,
    long records,
    double agentPps,
    double agentRps,
    double inspectorPps,
    double inspectorRps,
    double inspectorStartSeconds,
    double inspectorPpsCommitted,
    long concurrentFlows,
    long peakHeapBytes,
    long rocksDbBytes,
    double baselineStreamsRps,
    double agentUnbatchedPps,
    OptionalDouble argusPps,
    OptionalDouble tcpdumpPps,
    Latency latency,
    Expiry expiry,
    double seconds,
    Cpu cpu,
    Jit jit) {

  public double inspectorPpsPerThread() {
    return inspectorPps / options.threads();
  }

  public double baselineRpsPerThread() {
    return baselineStreamsRps / options.threads();
  }

  /**
   * Work per second of stream-thread CPU time (NaN where not measured): without the share of the
   * cores that the broker and the JIT took, which rates per wall-clock second include.
   */
  public record Cpu(double inspectorPacketsPerCpuSecond, double baselineRecordsPerCpuSecond) {
    public static final Cpu NOT_MEASURED = new Cpu(Double.NaN, Double.NaN);
  }

  /**
   * Seconds the JIT compiler's threads spent compiling during the inspector's timed run (its
   * start included) and during the latency run (NaN where not run or not measured): competing
   * for the cores with what was timed, and a sign that the code was not all compiled yet.
   */
  public record Jit(double duringInspectorSeconds, double duringLatencySeconds) {
    public static final Jit NOT_MEASURED = new Jit(Double.NaN, Double.NaN);
  }

  /** The untimed warm-up pass: packets the inspector went through first, and how long it all took. */
  public record WarmUp(long packets, double seconds) {}

  /**
   * Capture-to-verdict latency of one run at a fixed packet rate: {@code packets} measured after
   * {@code warmUpPackets} sent at the same rate whose verdicts do not count.
   */
  public record Latency(int ratePps, long warmUpPackets, long packets, int samples, double p50Ms, double p99Ms,
      double maxMs) {}

  /** The punctuation that expired the whole table once the clock moved past every timeout. */
  public record Expiry(long connections, double longestPunctuationMs, double seconds) {}
}

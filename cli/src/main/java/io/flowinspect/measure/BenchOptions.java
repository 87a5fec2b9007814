package io.flowinspect.measure;

import io.flowinspect.inspect.streams.InspectorSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to run the end-to-end benchmark.
 *
 * @param workload what to replay
 * @param settings the inspector's settings (rules, engine, timeouts)
 * @param batch whether the agent batches packets into records (off: one record per packet)
 * @param guarantee Kafka Streams' processing guarantee for every inspector run
 * @param threads stream threads of the inspector
 * @param partitions partitions of the packet topic
 * @param warmUp first replay the workload's warm-up part through an inspector and a baseline of
 *     their own, untimed, so that what is timed runs compiled code, as a long-running inspector
 *     does
 * @param baselines also measure the plain Kafka Streams baseline and argus and tcpdump
 * @param latencyRate packets per second at which the latency run replays the workload; 0 skips it
 * @param latencyPackets how many packets the latency run replays
 * @param expireAll after the throughput run, move the clock past every timeout and time the
 *     punctuation that expires the whole table
 * @param projectHome the checkout, for the commit id in the report; may be null
 * @param streamsOverrides Kafka Streams settings for the inspector runs, over flowinspect's own
 *     (to compare settings in one command, e.g. RocksDB's)
 * @param agentOverrides producer settings for the capture agent's runs, over its own (e.g. its
 *     compression)
 * @param latencySamples where to write every counted verdict's send time and latency, for a look
 *     at where the tail comes from; null writes nothing
 */
public record BenchOptions(Workload workload, InspectorSettings settings, boolean batch, String guarantee, int threads,
    int partitions, boolean warmUp, boolean baselines, int latencyRate, long latencyPackets, boolean expireAll,
    Path projectHome, Map<String, String> streamsOverrides, Map<String, String> agentOverrides, Path latencySamples) {

  public BenchOptions {
    streamsOverrides = Map.copyOf(streamsOverrides);
    agentOverrides = Map.copyOf(agentOverrides);
    if (!guarantee.equals("at_least_once") && !guarantee.equals("exactly_once_v2")) {
      throw new IllegalArgumentException("guarantee must be at_least_once or exactly_once_v2: " + guarantee);
    }
    if (threads < 1 || partitions < 1) {
      throw new IllegalArgumentException("threads and partitions must be at least 1");
    }
    if (latencyRate < 0 || latencyPackets < 0) {
      throw new IllegalArgumentException("latency rate and packets must not be negative");
    }
  }

}

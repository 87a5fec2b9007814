package io.flowinspect.cli;

import io.flowinspect.capture.publish.Backpressure;
import io.flowinspect.capture.publish.Partitioning;
import io.flowinspect.capture.publish.PublisherOptions;
import io.flowinspect.schemas.Topics;
import java.util.Properties;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How the capture agent publishes: shared by the commands that run it. */
final class PublishOptions {
  enum Compression { LZ4, ZSTD, NONE }

  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  @Option(names = "--sensor", defaultValue = "agent", description = "This agent's name in every record.")
  String sensor;

  @Option(names = "--partitioning", defaultValue = "address_pair",
      description = "address_pair (default: related connections meet in one task) or five_tuple.")
  Partitioning partitioning;

  @Option(names = "--batch", defaultValue = "256", paramLabel = "PACKETS",
      description = "Most packet headers per record (a partition's packets in capture order); 1 turns batching off. "
          + "Default: 256.")
  int batch;

  @Option(names = "--linger", defaultValue = "5ms", paramLabel = "DURATION",
      description = "How long (capture time) a batch waits to fill. Default: 5ms.")
  String linger;

  @Option(names = "--compression", defaultValue = "lz4", description = "lz4 (default), zstd or none.")
  Compression compression;

  @Option(names = "--heartbeat", defaultValue = "1s", paramLabel = "DURATION",
      description = "Capture time between heartbeats to every partition. Default: 1s.")
  String heartbeat;

  @Option(names = "--max-in-flight", defaultValue = "1000000", paramLabel = "PACKETS",
      description = "Most packets sent and not yet acknowledged. Default: 1000000.")
  long maxInFlight;

  @Option(names = "--on-backpressure", paramLabel = "drop|wait",
      description = "When the broker falls behind: drop and count (default for interfaces) or wait (default for files).")
  Backpressure backpressure;

  Topics topics() {
    return cluster.topics();
  }

  PublisherOptions publisher(Backpressure defaultBackpressure) {
    return new PublisherOptions(sensor, partitioning, Durations.parse(heartbeat, "--heartbeat"), batch,
        Durations.parse(linger, "--linger"), maxInFlight, backpressure == null ? defaultBackpressure : backpressure);
  }

  Properties producer() {
    Properties p = new Properties();
    p.put("compression.type", compression.name().toLowerCase(java.util.Locale.ROOT));
    return p;
  }
}

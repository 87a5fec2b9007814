package io.flowinspect.cli;

import io.flowinspect.schemas.Topics;
import picocli.CommandLine.Option;

/** Which Kafka cluster, and which names its topics have: shared by every command that talks to a broker. */
final class ClusterOptions {
  @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT",
      description = "The Kafka cluster (one or more brokers, comma-separated).")
  String bootstrap;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, paramLabel = "PREFIX",
      description = "What every topic's name starts with. Default: ${DEFAULT-VALUE}")
  String prefix;

  Topics topics() {
    return Topics.withPrefix(prefix);
  }
}

package io.flowinspect.cli;

import io.flowinspect.inspect.streams.InspectorSettings;
import picocli.CommandLine.Option;

/** The inspector's one Kafka-Streams-only engine setting, shared by the commands that run it. */
final class ConnectionCacheOption {
  @Option(names = "--connection-cache", paramLabel = "N",
      defaultValue = "" + InspectorSettings.DEFAULT_CONNECTION_CACHE,
      description = "Connections each task keeps decoded in memory between commits (about 650 bytes of heap each). "
          + "Default: ${DEFAULT-VALUE}.")
  int connectionCache;

  InspectorSettings applyTo(InspectorSettings settings) {
    if (connectionCache < 1) {
      throw new UserError("--connection-cache must be at least 1, not " + connectionCache);
    }
    return settings.withConnectionCache(connectionCache);
  }
}

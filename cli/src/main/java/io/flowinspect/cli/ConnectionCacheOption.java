package io.flowinspect.cli;

import io.flowinspect.inspect.streams.InspectorSettings;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * How much of the connection table each task keeps in memory, and when it writes changes, for the
 * commands that run the inspector.
 */
final class ConnectionCacheOption {
  @Option(names = "--connection-cache", paramLabel = "N",
      defaultValue = "" + InspectorSettings.DEFAULT_CONNECTION_CACHE,
      description = "Connections each task keeps decoded in memory between commits (about 650 bytes of heap each). "
          + "Default: ${DEFAULT-VALUE}.")
  int connectionCache;

  @Option(names = "--connection-memory", paramLabel = "SIZE", defaultValue = "64m",
      description = "Heap each task gives to connections kept packed behind the decoded ones (about 110 bytes "
          + "each), e.g. 512m, 2g; 0 sends them to RocksDB. Default: ${DEFAULT-VALUE}.")
  String connectionMemory;

  @Option(names = "--idle-writes", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Write changed connections while a stream thread waits for records, so that a commit "
          + "finds at most " + InspectorSettings.IDLE_WRITES_KEEP_FOR_COMMIT + " decoded ones to write and "
          + "stalls verdicts for milliseconds, not a tenth of a second; a thread working through a backlog leaves them to the commit, and changes held packed "
          + "always wait for it. --no-idle-writes leaves every change to the commit. Default: on.")
  boolean idleWrites = true;

  @Option(names = "--quiet-changes", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "Write a connection at commits only when it changes state (handshake, reply, close, a new "
          + "history letter); changes to its counters, times and windows stay in memory until it leaves memory, "
          + "the inspector closes or a rebalance begins. Much faster with millions of connections; a crash loses "
          + "those changes (flow records undercount, windows are learned again: docs/DESIGN.md). "
          + "At-least-once only. Default: off.")
  boolean quietChanges;

  /** The guarantee the inspector runs with: quiet changes go only with at-least-once. */
  void checkGuarantee(String guarantee) {
    if (quietChanges && !guarantee.equals("at_least_once")) {
      throw new UserError("--quiet-changes needs --guarantee at_least_once: an exactly-once commit must hold "
          + "every change up to its offsets");
    }
  }

  InspectorSettings applyTo(InspectorSettings settings) {
    if (connectionCache < 1) {
      throw new UserError("--connection-cache must be at least 1, not " + connectionCache);
    }
    long bytes = bytes("--connection-memory", connectionMemory);
    if (bytes > 16L << 30) {
      throw new UserError("--connection-memory must be at most 16g, not " + connectionMemory);
    }
    return settings.withConnectionCache(connectionCache).withConnectionMemory(bytes).withIdleWrites(idleWrites)
        .withQuietChanges(quietChanges);
  }

  /** A byte count with an optional k, m or g suffix (binary: 1k = 1024 bytes). */
  static long bytes(String option, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    int shift = 0;
    if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
      shift = switch (v.charAt(v.length() - 1)) {
        case 'k' -> 10;
        case 'm' -> 20;
        default -> 30;
      };
      v = v.substring(0, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException();
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw new UserError(option + " takes a size in bytes with an optional k, m or g, not '" + value + "'");
    }
  }
}

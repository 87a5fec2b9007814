package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.TrackerConfig;
import io.flowinspect.inspect.policy.RuleSet;
import io.flowinspect.schemas.Topics;
import java.time.Duration;

/**
 * What the topology needs to be built: topics, the engine's configuration, the rule set, how
 * often and how much to expire per punctuation, how many connections each task keeps decoded in
 * memory between commits, and how much heap it may give to those kept packed behind them
 * ({@link ConnectionCacheStore}), whether changed connections are written while a stream
 * thread waits for records, so that commits stay short ({@link IdleTime}), and whether changes
 * that move no connection to another state (counters, times, windows) are persisted only when the
 * connection leaves memory or the instance closes or rebalances ({@code quietChanges}; off by
 * default, refused with exactly-once: docs/DESIGN.md has what a crash then loses).
 */
public record InspectorSettings(Topics topics, TrackerConfig tracker, RuleSet rules, Duration expiryInterval,
    int expiryBudget, int connectionCache, long connectionMemory, boolean idleWrites, boolean quietChanges) {
  /** About 32 MiB of heap per task: a cached TCP connection, history and map entries included, takes ~650 bytes. */
  public static final int DEFAULT_CONNECTION_CACHE = 50_000;
  /** 64 MiB of heap per task: about 550,000 connections packed (~110 bytes each with the index). */
  public static final long DEFAULT_CONNECTION_MEMORY = 64L << 20;
  /** Decoded changes a task leaves for the commit when it writes ahead while idle: ~2 ms of writing. */
  public static final int IDLE_WRITES_KEEP_FOR_COMMIT = 256;

  public InspectorSettings {
    if (expiryInterval.isNegative() || expiryInterval.isZero()) {
      throw new IllegalArgumentException("expiry interval must be positive: " + expiryInterval);
    }
    if (expiryBudget < 1) {
      throw new IllegalArgumentException("expiry budget must be at least 1: " + expiryBudget);
    }
    if (connectionCache < 1) {
      throw new IllegalArgumentException("connection cache must hold at least 1 connection: " + connectionCache);
    }
    if (connectionMemory < 0 || connectionMemory > PackedConnections.MAX_BUDGET) {
      throw new IllegalArgumentException("connection memory must be from 0 to 16 GiB: " + connectionMemory);
    }
  }

  public static InspectorSettings defaults() {
    return new InspectorSettings(Topics.defaults(), TrackerConfig.defaults(), RuleSet.privateNetworksAsHome(),
        Duration.ofSeconds(1), 10_000, DEFAULT_CONNECTION_CACHE, DEFAULT_CONNECTION_MEMORY, true, false);
  }

  public InspectorSettings withRules(RuleSet value) {
    return new InspectorSettings(topics, tracker, value, expiryInterval, expiryBudget, connectionCache,
        connectionMemory, idleWrites, quietChanges);
  }

  public InspectorSettings withTracker(TrackerConfig value) {
    return new InspectorSettings(topics, value, rules, expiryInterval, expiryBudget, connectionCache, connectionMemory,
        idleWrites, quietChanges);
  }

  public InspectorSettings withExpiryBudget(int value) {
    return new InspectorSettings(topics, tracker, rules, expiryInterval, value, connectionCache, connectionMemory,
        idleWrites, quietChanges);
  }

  public InspectorSettings withTopics(Topics value) {
    return new InspectorSettings(value, tracker, rules, expiryInterval, expiryBudget, connectionCache,
        connectionMemory, idleWrites, quietChanges);
  }

  public InspectorSettings withConnectionCache(int value) {
    return new InspectorSettings(topics, tracker, rules, expiryInterval, expiryBudget, value, connectionMemory,
        idleWrites, quietChanges);
  }

  public InspectorSettings withConnectionMemory(long bytes) {
    return new InspectorSettings(topics, tracker, rules, expiryInterval, expiryBudget, connectionCache, bytes,
        idleWrites, quietChanges);
  }

  public InspectorSettings withIdleWrites(boolean value) {
    return new InspectorSettings(topics, tracker, rules, expiryInterval, expiryBudget, connectionCache,
        connectionMemory, value, quietChanges);
  }

  public InspectorSettings withQuietChanges(boolean value) {
    return new InspectorSettings(topics, tracker, rules, expiryInterval, expiryBudget, connectionCache,
        connectionMemory, idleWrites, value);
  }
}

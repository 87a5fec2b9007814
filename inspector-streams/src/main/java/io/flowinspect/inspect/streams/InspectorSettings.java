package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.TrackerConfig;
import io.flowinspect.inspect.policy.RuleSet;
import io.flowinspect.schemas.Topics;
import java.time.Duration;

/**
 * What the topology needs to be built: topics, the engine's configuration, the rule set, how
 * often and how much to expire per punctuation, and how many connections each task keeps decoded
 * in memory between commits ({@link ConnectionCacheStore}).
 */
public record InspectorSettings(Topics topics, TrackerConfig tracker, RuleSet rules, Duration expiryInterval,
    int expiryBudget, int connectionCache) {
  /** About 32 MiB of heap per task: a cached TCP connection, history and map entries included, takes ~650 bytes. */
  public static final int DEFAULT_CONNECTION_CACHE = 50_000;

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
  }

  public static InspectorSettings defaults() {
    return new InspectorSettings(Topics.defaults(), TrackerConfig.defaults(), RuleSet.privateNetworksAsHome(),
        Duration.ofSeconds(1), 10_000, DEFAULT_CONNECTION_CACHE);
  }

  public InspectorSettings withRules(RuleSet value) {
    return new InspectorSettings(topics, tracker, value, expiryInterval, expiryBudget, connectionCache);
  }

  public InspectorSettings withTracker(TrackerConfig value) {
    return new InspectorSettings(topics, value, rules, expiryInterval, expiryBudget, connectionCache);
  }

  public InspectorSettings withExpiryBudget(int value) {
    return new InspectorSettings(topics, tracker, rules, expiryInterval, value, connectionCache);
  }

  public InspectorSettings withTopics(Topics value) {
    return new InspectorSettings(value, tracker, rules, expiryInterval, expiryBudget, connectionCache);
  }

  public InspectorSettings withConnectionCache(int value) {
    return new InspectorSettings(topics, tracker, rules, expiryInterval, expiryBudget, value);
  }
}

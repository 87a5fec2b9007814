package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.TrackerConfig;
import io.flowinspect.inspect.policy.RuleSet;
import io.flowinspect.schemas.Topics;
import java.time.Duration;

/**
 * What the topology needs to be built: topics, the engine's configuration, the rule set, and how
 * often and how much to expire per punctuation.
 */
public record InspectorSettings(Topics topics, TrackerConfig tracker, RuleSet rules, Duration expiryInterval,
    int expiryBudget) {

  public InspectorSettings {
    if (expiryInterval.isNegative() || expiryInterval.isZero()) {
      throw new IllegalArgumentException("expiry interval must be positive: " + expiryInterval);
    }
    if (expiryBudget < 1) {
      throw new IllegalArgumentException("expiry budget must be at least 1: " + expiryBudget);
    }
  }

  public static InspectorSettings defaults() {
    return new InspectorSettings(Topics.defaults(), TrackerConfig.defaults(), RuleSet.privateNetworksAsHome(),
        Duration.ofSeconds(1), 10_000);
  }

  public InspectorSettings withRules(RuleSet value) {
    return new InspectorSettings(topics, tracker, value, expiryInterval, expiryBudget);
  }

  public InspectorSettings withTracker(TrackerConfig value) {
    return new InspectorSettings(topics, value, rules, expiryInterval, expiryBudget);
  }

  public InspectorSettings withExpiryBudget(int value) {
    return new InspectorSettings(topics, tracker, rules, expiryInterval, value);
  }

  public InspectorSettings withTopics(Topics value) {
    return new InspectorSettings(value, tracker, rules, expiryInterval, expiryBudget);
  }
}

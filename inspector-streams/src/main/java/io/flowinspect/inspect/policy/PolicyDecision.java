package io.flowinspect.inspect.policy;

import io.flowinspect.inspect.engine.Decision;

/** The rule set's answer about one new connection. */
public record PolicyDecision(Decision decision, String ruleId, FlowDirection direction, String reason) {}

package io.flowinspect.inspect.output;

import io.flowinspect.inspect.engine.Decision;
import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.inspect.policy.FlowDirection;

/** The decision about a connection, as an inline enforcer needs it. */
public record VerdictEvent(
    long timeNanos,
    Decision decision,
    String ruleId,
    String ruleSetVersion,
    int protocol,
    IpAddress originator,
    int originatorPort,
    IpAddress responder,
    int responderPort,
    FlowDirection direction,
    String state,
    boolean related,
    String reason) {}

package io.flowinspect.inspect.output;

import io.flowinspect.inspect.engine.Decision;
import io.flowinspect.inspect.engine.EndReason;
import io.flowinspect.inspect.engine.IpAddress;

/** What one connection did, reported when it ends. */
public record FlowSummary(
    int zone,
    int protocol,
    IpAddress originator,
    int originatorPort,
    IpAddress responder,
    int responderPort,
    long firstNanos,
    long lastNanos,
    long origPackets,
    long origBytes,
    long respPackets,
    long respBytes,
    String finalState,
    EndReason reason,
    Decision decision,
    String ruleId) {}

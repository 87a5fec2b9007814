package io.flowinspect.inspect.output;

import io.flowinspect.inspect.engine.Decision;
import io.flowinspect.inspect.engine.EndReason;
import io.flowinspect.inspect.engine.IpAddress;

/**
 * What one connection did, reported when it ends. Originator and responder are conntrack's (the
 * first accepted packet's sender and receiver); {@code connState} and {@code history} are what Zeek
 * would log, in Zeek's orientation, which a '^' in the history marks as reversed.
 */
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
    String connState,
    String history,
    String communityId,
    Decision decision,
    String ruleId) {}

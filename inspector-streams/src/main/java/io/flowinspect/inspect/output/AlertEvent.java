package io.flowinspect.inspect.output;

import io.flowinspect.inspect.engine.IpAddress;

/** Something an analyst or an IDS should look at. */
public record AlertEvent(
    long timeNanos,
    AlertKind kind,
    Severity severity,
    int zone,
    int protocol,
    IpAddress source,
    int sourcePort,
    IpAddress destination,
    int destinationPort,
    String ruleId,
    long count,
    String message) {}

package io.flowinspect.inspect;

import io.flowinspect.inspect.engine.Classification;
import io.flowinspect.inspect.engine.CommunityId;
import io.flowinspect.inspect.engine.Conn;
import io.flowinspect.inspect.engine.ConnectionTracker;
import io.flowinspect.inspect.engine.CtState;
import io.flowinspect.inspect.engine.Decision;
import io.flowinspect.inspect.engine.EndReason;
import io.flowinspect.inspect.engine.Expectation;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.inspect.engine.Packet;
import io.flowinspect.inspect.engine.Protocols;
import io.flowinspect.inspect.engine.TrackerConfig;
import io.flowinspect.inspect.engine.TrackerListener;
import io.flowinspect.inspect.engine.TrackerState;
import io.flowinspect.inspect.output.AlertEvent;
import io.flowinspect.inspect.output.AlertKind;
import io.flowinspect.inspect.output.FlowSummary;
import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.inspect.output.Severity;
import io.flowinspect.inspect.output.VerdictEvent;
import io.flowinspect.inspect.policy.PolicyDecision;
import io.flowinspect.inspect.policy.RuleSet;

/**
 * Connection tracking plus policy: classifies every packet, decides about every new connection
 * with the rule set, and tells the sink about verdicts, alerts and ended connections. The same
 * object runs inside the Kafka Streams processor and in the offline {@code inspect} command, so
 * both give the same answers for the same packets.
 */
public final class Inspector {
  private final ConnectionTracker tracker;
  private final RuleSet rules;
  private final InspectionSink sink;
  private final long[] packetsByState = new long[CtState.values().length];

  public Inspector(TrackerConfig config, RuleSet rules, TrackerState state, InspectionSink sink) {
    this.rules = rules;
    this.sink = sink;
    this.tracker = new ConnectionTracker(config, state, new Events());
  }

  /** Connections tracked now. */
  public long connections() {
    return tracker.connections();
  }

  public Classification inspect(FlowKey key, Packet packet) {
    Classification c = tracker.process(key, packet);
    packetsByState[c.state().ordinal()]++;
    return c;
  }

  /** Expires connections due at {@code nowNanos} (within the budget); returns entries handled. */
  public int advanceTo(long nowNanos, int budget) {
    return tracker.expire(nowNanos, budget);
  }

  /** Ends a connection explicitly (end of an offline capture). */
  public void end(FlowKey key, Conn conn, EndReason reason, long nowNanos) {
    tracker.forget(key, conn, reason, nowNanos);
  }

  public long packets(CtState state) {
    return packetsByState[state.ordinal()];
  }

  public RuleSet rules() {
    return rules;
  }

  /**
   * The Community ID of a connection, from its originator's side. An ICMP key's "port" holds the
   * request type and the code in its top bytes, which is what the Community ID takes as ports.
   */
  static String communityId(FlowKey key, boolean origHigh) {
    int protocol = key.protocol();
    int origPort = key.port(origHigh);
    int respPort = key.port(!origHigh);
    if (protocol == Protocols.ICMP || protocol == Protocols.ICMPV6) {
      origPort = origPort >>> 24;
      respPort = key.port(origHigh) >>> 16 & 0xff;
    } else if (protocol != Protocols.TCP && protocol != Protocols.UDP && protocol != 132) {
      origPort = 0;
      respPort = 0;
    }
    return CommunityId.of(protocol, key.address(origHigh), origPort, key.address(!origHigh), respPort);
  }

  private final class Events implements TrackerListener {
    @Override
    public void opened(FlowKey key, Conn conn, Packet first, Expectation expectation) {
      boolean origHigh = conn.origIsHigh();
      IpAddress originator = key.address(origHigh);
      IpAddress responder = key.address(!origHigh);
      int responderPort = key.port(!origHigh);
      PolicyDecision d = rules.decide(key.protocol(), originator, responder, responderPort);
      boolean related = expectation != null;
      if (!related) {
        conn.decide(d.decision(), d.ruleId());
      }
      String reason = related ? "expected by " + expectation.master() + " (" + conn.ruleId() + ")" : d.reason();
      sink.verdict(key, new VerdictEvent(first.timeNanos(), conn.decision(), conn.ruleId(), rules.version(),
          key.protocol(), originator, key.port(origHigh), responder, responderPort, d.direction(),
          ConnStateLabel.of(key.protocol(), key.ipv6(), conn), related, reason));
      if (conn.decision() == Decision.DENY) {
        sink.alert(key, new AlertEvent(first.timeNanos(), AlertKind.DENIED_CONNECTION, Severity.MEDIUM, key.zone(),
            key.protocol(), originator, key.port(origHigh), responder, responderPort, conn.ruleId(), 1,
            d.direction().label() + " connection denied by " + conn.ruleId()));
      }
    }

    @Override
    public void pressure(FlowKey trigger, long connections, double timeoutScale, long evicted, boolean refused,
        long nowNanos) {
      String message = String.format(java.util.Locale.ROOT,
          "%d connections tracked; new timeouts at %.0f%% of normal; %d unanswered connections evicted%s",
          connections, timeoutScale * 100, evicted, refused ? "; a new connection could not be tracked" : "");
      IpAddress low = trigger.lowAddress();
      sink.alert(trigger, new AlertEvent(nowNanos, AlertKind.STATE_TABLE_PRESSURE, refused ? Severity.HIGH : Severity.MEDIUM,
          trigger.zone(), trigger.protocol(), low, trigger.lowPort(), trigger.highAddress(), trigger.highPort(), null,
          Math.max(1, evicted), message));
    }

    @Override
    public void ended(FlowKey key, Conn conn, EndReason reason, long nowNanos) {
      boolean origHigh = conn.origIsHigh();
      sink.verdict(key, null);
      sink.flowEnded(key, new FlowSummary(key.zone(), key.protocol(), key.address(origHigh), key.port(origHigh),
          key.address(!origHigh), key.port(!origHigh), conn.firstNanos(), conn.lastNanos(), conn.origPackets(),
          conn.origBytes(), conn.replyPackets(), conn.replyBytes(), ConnStateLabel.of(key.protocol(), key.ipv6(), conn),
          reason, conn.history().connState(key.protocol()), conn.history().history(), communityId(key, origHigh),
          conn.decision(), conn.ruleId()));
    }
  }
}

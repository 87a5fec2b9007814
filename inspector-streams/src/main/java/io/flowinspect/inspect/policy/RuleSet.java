package io.flowinspect.inspect.policy;

import io.flowinspect.inspect.engine.Decision;
import io.flowinspect.inspect.engine.IpAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Home networks, rules evaluated in order (first match wins), and a default decision per
 * direction. The default default is the usual perimeter policy: connections opened from inside are
 * allowed, connections opened from outside are denied.
 */
public record RuleSet(String version, List<Cidr> homeNetworks, List<Rule> rules, Map<FlowDirection, Decision> defaults) {

  public RuleSet {
    homeNetworks = List.copyOf(homeNetworks);
    rules = List.copyOf(rules);
    EnumMap<FlowDirection, Decision> d = new EnumMap<>(FlowDirection.class);
    d.putAll(standardDefaults());
    d.putAll(defaults);
    defaults = java.util.Collections.unmodifiableMap(d);
  }

  public static Map<FlowDirection, Decision> standardDefaults() {
    return Map.of(FlowDirection.OUTBOUND, Decision.ALLOW, FlowDirection.INBOUND, Decision.DENY,
        FlowDirection.INTERNAL, Decision.ALLOW, FlowDirection.EXTERNAL, Decision.ALLOW);
  }

  /** RFC 1918 and RFC 4193 private ranges as home: a reasonable start for a lab or a demo. */
  public static RuleSet privateNetworksAsHome() {
    return new RuleSet("default", List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"),
        Cidr.parse("192.168.0.0/16"), Cidr.parse("fc00::/7")), List.of(), Map.of());
  }

  public boolean isHome(IpAddress a) {
    for (Cidr c : homeNetworks) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  public PolicyDecision decide(int protocol, IpAddress originator, IpAddress responder, int responderPort) {
    FlowDirection direction = FlowDirection.of(isHome(originator), isHome(responder));
    for (Rule r : rules) {
      if (r.matches(protocol, direction, originator, responder, responderPort)) {
        return new PolicyDecision(r.action(), r.id(), direction, "rule " + r.id());
      }
    }
    Decision d = defaults.get(direction);
    return DefaultDecisions.OF[direction.ordinal()][d == Decision.ALLOW ? 0 : 1];
  }

  /** The default decisions, made once: most connections of most rule sets end up there. */
  private static final class DefaultDecisions {
    static final PolicyDecision[][] OF = new PolicyDecision[FlowDirection.values().length][];

    static {
      for (FlowDirection direction : FlowDirection.values()) {
        OF[direction.ordinal()] = new PolicyDecision[] {of(direction, Decision.ALLOW), of(direction, Decision.DENY)};
      }
    }

    private static PolicyDecision of(FlowDirection direction, Decision d) {
      return new PolicyDecision(d, "default-" + direction.label(), direction,
          direction.label() + " connections are " + (d == Decision.ALLOW ? "allowed" : "denied") + " by default");
    }
  }
}

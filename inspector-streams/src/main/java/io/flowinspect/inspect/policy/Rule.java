package io.flowinspect.inspect.policy;

import io.flowinspect.inspect.engine.Decision;
import io.flowinspect.inspect.engine.IpAddress;
import java.util.List;

/**
 * One rule about new connections. Empty lists and null fields match anything. Replies and related
 * traffic of a connection follow its decision, so one rule per service is enough.
 *
 * @param protocol IP protocol number, or -1 for any
 * @param direction which way the connection was opened, or null for any
 * @param sources originator address blocks
 * @param destinations responder address blocks
 * @param ports responder ports (TCP, UDP)
 */
public record Rule(String id, Decision action, int protocol, FlowDirection direction, List<Cidr> sources,
    List<Cidr> destinations, List<PortRange> ports) {

  public Rule {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("rule id is blank");
    }
    sources = List.copyOf(sources);
    destinations = List.copyOf(destinations);
    ports = List.copyOf(ports);
  }

  boolean matches(int proto, FlowDirection dir, IpAddress originator, IpAddress responder, int responderPort) {
    return (protocol < 0 || protocol == proto)
        && (direction == null || direction == dir)
        && (sources.isEmpty() || sources.stream().anyMatch(c -> c.contains(originator)))
        && (destinations.isEmpty() || destinations.stream().anyMatch(c -> c.contains(responder)))
        && (ports.isEmpty() || ports.stream().anyMatch(r -> r.contains(responderPort)));
  }
}

package io.flowinspect.inspect.policy;

import io.flowinspect.inspect.engine.Decision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a rule set from YAML. Every mistake — unknown key, bad address, wrong type — stops the
 * load with the file and line, because a firewall that silently ignores half a rule is worse than
 * one that refuses to start. The format:
 *
 * <pre>
 * version: "2026-11-26.1"
 * home-networks: [10.0.0.0/8, "fd00::/8"]
 * defaults: {outbound: allow, inbound: deny, internal: allow, external: allow}
 * rules:
 *   - id: ssh-to-bastion
 *     action: allow
 *     direction: inbound          # inbound | outbound | internal | external
 *     protocol: tcp               # tcp | udp | icmp | icmpv6 | a number
 *     source: [198.51.100.0/24]   # originator blocks
 *     destination: [10.0.0.22]    # responder blocks
 *     ports: [22, 8000-8080]      # responder ports
 * </pre>
 */
public final class RuleSetLoader {
  private static final Set<String> TOP_KEYS = Set.of("version", "home-networks", "defaults", "rules");
  private static final Set<String> RULE_KEYS =
      Set.of("id", "action", "direction", "protocol", "source", "destination", "ports");

  private final String source;

  private RuleSetLoader(String source) {
    this.source = source;
  }

  public static RuleSet load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RuleSetException(file.toString(), 0, "cannot read: " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  public static RuleSet parse(String yaml, String sourceName) {
    return new RuleSetLoader(sourceName).read(yaml);
  }

  private RuleSet read(String yaml) {
    Node root;
    try {
      root = new Compose(LoadSettings.builder().setLabel(source).build()).composeString(yaml)
          .orElseThrow(() -> new RuleSetException(source, 0, "empty rule file"));
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new RuleSetException(source, line, "not valid YAML: " + e.getProblem());
    } catch (YamlEngineException e) {
      throw new RuleSetException(source, 0, "not valid YAML: " + e.getMessage());
    }
    Map<String, Node> top = mapping(root, "the rule file", TOP_KEYS);
    String version = top.containsKey("version") ? scalar(top.get("version"), "version") : "unversioned";
    List<Cidr> home = new ArrayList<>();
    if (top.containsKey("home-networks")) {
      for (Node n : sequence(top.get("home-networks"), "home-networks")) {
        home.add(cidr(n));
      }
    }
    Map<FlowDirection, Decision> defaults = new EnumMap<>(FlowDirection.class);
    if (top.containsKey("defaults")) {
      Set<String> directions = Set.of("outbound", "inbound", "internal", "external");
      mapping(top.get("defaults"), "defaults", directions).forEach((k, v) ->
          defaults.put(FlowDirection.valueOf(k.toUpperCase(Locale.ROOT)), decision(v)));
    }
    List<Rule> rules = new ArrayList<>();
    Set<String> ids = new java.util.HashSet<>();
    if (top.containsKey("rules")) {
      for (Node n : sequence(top.get("rules"), "rules")) {
        Rule r = rule(n);
        if (!ids.add(r.id())) {
          throw new RuleSetException(source, line(n), "duplicate rule id '" + r.id() + "'");
        }
        rules.add(r);
      }
    }
    return new RuleSet(version, home, rules, defaults);
  }

  private Rule rule(Node node) {
    Map<String, Node> m = mapping(node, "a rule", RULE_KEYS);
    if (!m.containsKey("id")) {
      throw new RuleSetException(source, line(node), "rule without an id");
    }
    String id = scalar(m.get("id"), "id");
    if (!m.containsKey("action")) {
      throw new RuleSetException(source, line(node), "rule '" + id + "' has no action (allow or deny)");
    }
    Decision action = decision(m.get("action"));
    FlowDirection direction = null;
    if (m.containsKey("direction")) {
      String d = scalar(m.get("direction"), "direction").toLowerCase(Locale.ROOT);
      if (!d.equals("any")) {
        direction = switch (d) {
          case "inbound" -> FlowDirection.INBOUND;
          case "outbound" -> FlowDirection.OUTBOUND;
          case "internal" -> FlowDirection.INTERNAL;
          case "external" -> FlowDirection.EXTERNAL;
          default -> throw new RuleSetException(source, line(m.get("direction")),
              "direction '" + d + "' (expected inbound, outbound, internal, external or any)");
        };
      }
    }
    int protocol = m.containsKey("protocol") ? protocol(m.get("protocol")) : -1;
    List<Cidr> sources = new ArrayList<>();
    if (m.containsKey("source")) {
      for (Node n : listOrOne(m.get("source"))) {
        sources.add(cidr(n));
      }
    }
    List<Cidr> destinations = new ArrayList<>();
    if (m.containsKey("destination")) {
      for (Node n : listOrOne(m.get("destination"))) {
        destinations.add(cidr(n));
      }
    }
    List<PortRange> ports = new ArrayList<>();
    if (m.containsKey("ports")) {
      for (Node n : listOrOne(m.get("ports"))) {
        try {
          ports.add(PortRange.parse(scalar(n, "ports")));
        } catch (IllegalArgumentException e) {
          throw new RuleSetException(source, line(n), e.getMessage());
        }
      }
    }
    return new Rule(id, action, protocol, direction, sources, destinations, ports);
  }

  private Decision decision(Node n) {
    String v = scalar(n, "action").toLowerCase(Locale.ROOT);
    return switch (v) {
      case "allow", "accept" -> Decision.ALLOW;
      case "deny", "drop", "reject" -> Decision.DENY;
      default -> throw new RuleSetException(source, line(n), "action '" + v + "' (expected allow or deny)");
    };
  }

  private int protocol(Node n) {
    String v = scalar(n, "protocol").toLowerCase(Locale.ROOT);
    switch (v) {
      case "tcp": return 6;
      case "udp": return 17;
      case "icmp": return 1;
      case "icmpv6": return 58;
      case "any": return -1;
      default:
        try {
          int p = Integer.parseInt(v);
          if (p >= 0 && p <= 255) {
            return p;
          }
        } catch (NumberFormatException ignored) {
          // fall through to the error below
        }
        throw new RuleSetException(source, line(n), "protocol '" + v + "' (expected tcp, udp, icmp, icmpv6, any or 0-255)");
    }
  }

  private Cidr cidr(Node n) {
    String v = scalar(n, "address block");
    try {
      return Cidr.parse(v);
    } catch (IllegalArgumentException e) {
      throw new RuleSetException(source, line(n), "'" + v + "' is not an address block: " + e.getMessage());
    }
  }

  private Map<String, Node> mapping(Node n, String what, Set<String> allowed) {
    if (!(n instanceof MappingNode m)) {
      throw new RuleSetException(source, line(n), what + " must be a mapping of keys to values");
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      String key = scalar(t.getKeyNode(), "key");
      if (!allowed.contains(key)) {
        throw new RuleSetException(source, line(t.getKeyNode()),
            "unknown key '" + key + "' in " + what + " (expected one of " + new java.util.TreeSet<>(allowed) + ")");
      }
      if (out.put(key, t.getValueNode()) != null) {
        throw new RuleSetException(source, line(t.getKeyNode()), "key '" + key + "' given twice");
      }
    }
    return out;
  }

  private List<Node> sequence(Node n, String what) {
    if (!(n instanceof SequenceNode s)) {
      throw new RuleSetException(source, line(n), what + " must be a list");
    }
    return s.getValue();
  }

  private List<Node> listOrOne(Node n) {
    return n instanceof SequenceNode s ? s.getValue() : List.of(n);
  }

  private String scalar(Node n, String what) {
    if (!(n instanceof ScalarNode s)) {
      throw new RuleSetException(source, line(n), what + " must be a single value");
    }
    return s.getValue();
  }

  private static int line(Node n) {
    return n.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }
}

package io.flowinspect.inspect.policy;

/** Inclusive range of ports, e.g. {@code 8000-8080}, or a single port. */
public record PortRange(int from, int to) {
  public PortRange {
    if (from < 0 || to > 65535 || from > to) {
      throw new IllegalArgumentException("port range " + from + "-" + to + " not within 0-65535");
    }
  }

  public static PortRange parse(String text) {
    String t = text.trim();
    int dash = t.indexOf('-');
    try {
      if (dash < 0) {
        int p = Integer.parseInt(t);
        return new PortRange(p, p);
      }
      return new PortRange(Integer.parseInt(t.substring(0, dash).trim()), Integer.parseInt(t.substring(dash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a port or port range: " + text);
    }
  }

  public boolean contains(int port) {
    return port >= from && port <= to;
  }

  @Override
  public String toString() {
    return from == to ? Integer.toString(from) : from + "-" + to;
  }
}

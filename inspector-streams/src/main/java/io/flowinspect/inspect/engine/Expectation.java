package io.flowinspect.inspect.engine;

/**
 * A connection announced by another one before it opens (FTP's PORT, EPRT, 227 and 229): its
 * first packet from {@code source} to {@code destination:port} is RELATED, and it inherits the
 * decision about its master, so a rule set needs no rule for FTP data ports.
 *
 * @param key what the new connection's first packet must match (any source port)
 * @param master the control connection that announced it
 * @param expiresNanos when an unused expectation is forgotten
 */
public record Expectation(Key key, FlowKey master, Decision decision, String ruleId, long expiresNanos) {

  /** Source address, destination address and port, and protocol of an expected connection. */
  public record Key(int zone, int protocol, boolean ipv6, long sourceHi, long sourceLo, long destinationHi,
      long destinationLo, int destinationPort) {

    static Key of(int zone, int protocol, IpAddress source, IpAddress destination, int destinationPort) {
      return new Key(zone, protocol, source.ipv6(), source.hi(), source.lo(), destination.hi(), destination.lo(),
          destinationPort);
    }

    /** The key a new connection's first packet would satisfy. */
    static Key forFirstPacket(FlowKey key, boolean fromHigh) {
      boolean toHigh = !fromHigh;
      return new Key(key.zone(), key.protocol(), key.ipv6(),
          fromHigh ? key.highHi() : key.lowHi(), fromHigh ? key.highLo() : key.lowLo(),
          toHigh ? key.highHi() : key.lowHi(), toHigh ? key.highLo() : key.lowLo(),
          key.port(toHigh));
    }

    public IpAddress source() {
      return new IpAddress(ipv6, sourceHi, sourceLo);
    }

    public IpAddress destination() {
      return new IpAddress(ipv6, destinationHi, destinationLo);
    }
  }
}

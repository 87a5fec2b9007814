package io.flowinspect.inspect.engine;

/**
 * A connection's identity, equal for both directions: the endpoint that sorts first (address
 * compared unsigned, then port) is "low". IPv4 addresses occupy the low 32 bits of {@code lo} with
 * {@code hi} zero and {@code ipv6} false, so the key is a handful of primitives: cheap to hash,
 * compare and store, and never an allocation per address.
 */
public record FlowKey(
    int zone,
    int protocol,
    boolean ipv6,
    long lowHi, long lowLo, int lowPort,
    long highHi, long highLo, int highPort) {

  public static FlowKey ofIpv4(int zone, int protocol, int addressA, int portA, int addressB, int portB) {
    long a = addressA & 0xffff_ffffL;
    long b = addressB & 0xffff_ffffL;
    if (a < b || (a == b && portA <= portB)) {
      return new FlowKey(zone, protocol, false, 0, a, portA, 0, b, portB);
    }
    return new FlowKey(zone, protocol, false, 0, b, portB, 0, a, portA);
  }

  /** Builds the key of a packet between two endpoints in either order. */
  public static FlowKey of(int zone, int protocol, IpAddress a, int portA, IpAddress b, int portB) {
    if (a.ipv6() != b.ipv6()) {
      throw new IllegalArgumentException("address families differ: " + a + " " + b);
    }
    int order = a.compareTo(b);
    if (order < 0 || (order == 0 && portA <= portB)) {
      return new FlowKey(zone, protocol, a.ipv6(), a.hi(), a.lo(), portA, b.hi(), b.lo(), portB);
    }
    return new FlowKey(zone, protocol, a.ipv6(), b.hi(), b.lo(), portB, a.hi(), a.lo(), portA);
  }

  public IpAddress lowAddress() {
    return new IpAddress(ipv6, lowHi, lowLo);
  }

  public IpAddress highAddress() {
    return new IpAddress(ipv6, highHi, highLo);
  }

  public IpAddress address(boolean high) {
    return high ? highAddress() : lowAddress();
  }

  public int port(boolean high) {
    return high ? highPort : lowPort;
  }

  /**
   * Written out rather than the record's generated one: every packet looks its connection up in a
   * hash map by this key, and the generated method combines the nine fields through method handles.
   */
  @Override
  public int hashCode() {
    long h = lowLo * 0x9E37_79B9_7F4A_7C15L + highLo * 0xC2B2_AE3D_27D4_EB4FL + lowHi * 0x1656_67B1_9E37_79F9L
        + highHi * 0x27D4_EB2F_1656_67C5L;
    h += ((long) lowPort << 32 | (highPort & 0xffff_ffffL)) * 0x9E37_79B9_7F4A_7C15L;
    h += ((long) zone << 32 | protocol << 1 | (ipv6 ? 1 : 0)) * 0xC2B2_AE3D_27D4_EB4FL;
    return (int) (h ^ (h >>> 32));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlowKey k && lowLo == k.lowLo && highLo == k.highLo && lowPort == k.lowPort
        && highPort == k.highPort && lowHi == k.lowHi && highHi == k.highHi && protocol == k.protocol
        && zone == k.zone && ipv6 == k.ipv6;
  }

  @Override
  public String toString() {
    return Protocols.name(protocol, ipv6) + " " + lowAddress() + ":" + lowPort + " <> " + highAddress() + ":" + highPort
        + (zone == 0 ? "" : " zone " + zone);
  }
}

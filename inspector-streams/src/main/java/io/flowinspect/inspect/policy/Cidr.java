package io.flowinspect.inspect.policy;

import io.flowinspect.inspect.engine.IpAddress;

/** An address block such as {@code 10.0.0.0/8} or {@code fd00::/8}. */
public record Cidr(IpAddress network, int prefixLength) {

  public Cidr {
    int max = network.ipv6() ? 128 : 32;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " out of 0.." + max);
    }
    network = mask(network, prefixLength);
  }

  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    IpAddress address = IpAddress.parse(slash < 0 ? t : t.substring(0, slash));
    int length = slash < 0 ? (address.ipv6() ? 128 : 32) : parsePrefix(t.substring(slash + 1), t);
    return new Cidr(address, length);
  }

  public boolean contains(IpAddress a) {
    return a.ipv6() == network.ipv6() && mask(a, prefixLength).equals(network);
  }

  private static IpAddress mask(IpAddress a, int length) {
    if (!a.ipv6()) {
      long m = length == 0 ? 0 : (0xffff_ffffL << (32 - length)) & 0xffff_ffffL;
      return new IpAddress(false, 0, a.lo() & m);
    }
    long hiMask = length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
    long loMask = length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    return new IpAddress(true, a.hi() & hiMask, a.lo() & loMask);
  }

  private static int parsePrefix(String s, String whole) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a prefix length in " + whole);
    }
  }

  @Override
  public String toString() {
    return network + "/" + prefixLength;
  }
}

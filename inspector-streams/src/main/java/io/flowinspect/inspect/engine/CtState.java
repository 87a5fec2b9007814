package io.flowinspect.inspect.engine;

/** Per-packet classification with the meaning of nftables' {@code ct state}. */
public enum CtState {
  /** The connection has not seen a reply yet (this packet may be its first). */
  NEW,
  /** The connection has seen traffic in both directions. */
  ESTABLISHED,
  /** An expected connection (FTP data) before its reply, or an ICMP error about a tracked connection. */
  RELATED,
  /** Fails the protocol's state or window checks, or belongs to no connection; changes no state. */
  INVALID,
  /** Deliberately not tracked (ICMPv6 neighbour discovery and multicast listener messages). */
  UNTRACKED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

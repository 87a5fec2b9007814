package io.flowinspect.capture.decode;

/** Why {@link FrameDecoder} produced no packet for a frame. Labels are stable: metrics use them. */
public enum SkipReason {
  /** The capture's link type is not one the decoder knows. */
  UNSUPPORTED_LINK_TYPE("unsupported-link-type", false),
  /** The frame is shorter than its link-layer header. */
  TRUNCATED_LINK("truncated-link", false),
  /** ARP, LLC, MPLS or any other payload that is not IPv4/IPv6: conntrack never sees it. */
  NON_IP("non-ip", true),
  /** The IP version nibble is not the one the link layer announced (the kernel drops it). */
  BAD_IP_VERSION("bad-ip-version", false),
  /** The captured bytes end inside the IP header (or its extension headers). */
  TRUNCATED_IP("truncated-ip", false),
  /** IPv4 header length below 20 bytes: dropped by ip_rcv before conntrack. */
  IPV4_BAD_HEADER_LENGTH("ipv4-bad-header-length", false),
  /** IPv4 header checksum wrong: dropped by ip_rcv before conntrack. */
  IPV4_BAD_CHECKSUM("ipv4-bad-checksum", false),
  /** IPv4 total length below the header length or beyond the frame: dropped by ip_rcv. */
  IPV4_BAD_TOTAL_LENGTH("ipv4-bad-total-length", false),
  /** IPv6 payload length beyond the frame: dropped by ipv6_rcv. */
  IPV6_BAD_PAYLOAD_LENGTH("ipv6-bad-payload-length", false),
  /** Hop-by-hop header that overruns the payload: dropped by ipv6_rcv before conntrack. */
  IPV6_BAD_EXTENSION_HEADER("ipv6-bad-extension-header", false),
  /** A non-first fragment (or a first one too short to hold its transport header). */
  FRAGMENT("fragment", false),
  /** The snap length cut the transport header, so the packet cannot be keyed. */
  TRUNCATED_TRANSPORT("truncated-transport", false);

  private final String label;
  private final boolean notIp;

  SkipReason(String label, boolean notIp) {
    this.label = label;
    this.notIp = notIp;
  }

  public String label() {
    return label;
  }

  /** True when the frame is not an IP packet at all, as opposed to a broken or partial one. */
  public boolean notIp() {
    return notIp;
  }
}

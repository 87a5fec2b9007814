package io.flowinspect.capture.decode;

/**
 * Finds where the IP packet starts in a frame. Mutable and reused: {@link #parse} sets {@link
 * #ipOffset} and {@link #ipVersion} for the frame just parsed.
 */
final class LinkHeader {
  /*
   * Ethernet II (IEEE 802.3), optionally with 802.1Q / 802.1ad tags before the EtherType:
   *  0                   1                   2                   3
   *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |                   Destination MAC (6 bytes)                   |
   * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |                               |                               |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
   * |                      Source MAC (6 bytes)                     |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |   EtherType or TPID (12)      |  [TCI (14)  | EtherType (16)] ...
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   */
  static final int ETHERNET_TYPE = 12;
  static final int ETHERNET_LENGTH = 14;
  static final int VLAN_TAG_LENGTH = 4;
  /** Offset of the inner EtherType within a 4-byte tag that follows a TPID. */
  static final int VLAN_TAG_TYPE = 2;

  /*
   * Linux cooked capture v1 (LINKTYPE_LINUX_SLL), 16 bytes:
   *   0 packet type (2) | 2 ARPHRD type (2) | 4 address length (2) | 6 address (8) | 14 protocol (2)
   */
  static final int SLL_PROTOCOL = 14;
  static final int SLL_LENGTH = 16;

  /*
   * Linux cooked capture v2 (LINKTYPE_LINUX_SLL2), 20 bytes:
   *   0 protocol (2) | 2 reserved (2) | 4 interface index (4) | 8 ARPHRD type (2)
   *   | 10 packet type (1) | 11 address length (1) | 12 address (8)
   */
  static final int SLL2_PROTOCOL = 0;
  static final int SLL2_LENGTH = 20;

  /*
   * PPP (RFC 1661/1662): optional HDLC address 0xFF and control 0x03, then the protocol field,
   * one byte when its low bit is set (protocol-field compression), else two.
   */
  static final int PPP_ADDRESS = 0xff;
  static final int PPP_CONTROL = 0x03;
  static final int PPP_IPV4 = 0x0021;
  static final int PPP_IPV6 = 0x0057;

  /* BSD loopback (NULL, LOOP): a 4-byte address family, then the packet. */
  static final int NULL_LENGTH = 4;
  static final int AF_INET = 2;
  /** AF_INET6 differs between BSDs: NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30. */
  static final int AF_INET6_BSD = 24;
  static final int AF_INET6_FREEBSD = 28;
  static final int AF_INET6_DARWIN = 30;

  static final int ETHERTYPE_IPV4 = 0x0800;
  static final int ETHERTYPE_IPV6 = 0x86dd;
  static final int ETHERTYPE_VLAN = 0x8100;
  static final int ETHERTYPE_QINQ = 0x88a8;
  static final int ETHERTYPE_QINQ_LEGACY = 0x9100;

  /** Where the IP header starts. */
  int ipOffset;
  /** 4 or 6 when the link layer names the version, 0 when the version nibble decides. */
  int ipVersion;

  /** Returns null when the frame holds an IP packet at {@link #ipOffset}. */
  SkipReason parse(int linkType, byte[] frame, int captured) {
    switch (linkType) {
      case LinkTypes.ETHERNET:
        if (captured < ETHERNET_LENGTH) return SkipReason.TRUNCATED_LINK;
        return etherType(frame, captured, Bytes.u16(frame, ETHERNET_TYPE), ETHERNET_LENGTH);
      case LinkTypes.LINUX_SLL:
        if (captured < SLL_LENGTH) return SkipReason.TRUNCATED_LINK;
        return etherType(frame, captured, Bytes.u16(frame, SLL_PROTOCOL), SLL_LENGTH);
      case LinkTypes.LINUX_SLL2:
        if (captured < SLL2_LENGTH) return SkipReason.TRUNCATED_LINK;
        return etherType(frame, captured, Bytes.u16(frame, SLL2_PROTOCOL), SLL2_LENGTH);
      case LinkTypes.NULL:
      case LinkTypes.LOOP:
        if (captured < NULL_LENGTH) return SkipReason.TRUNCATED_LINK;
        return addressFamily(frame);
      case LinkTypes.PPP:
      case LinkTypes.PPP_SERIAL:
        return ppp(frame, captured);
      case LinkTypes.RAW:
      case LinkTypes.RAW_OPENBSD:
      case LinkTypes.LINKTYPE_RAW:
        return ip(0, 0);
      case LinkTypes.IPV4:
        return ip(0, 4);
      case LinkTypes.IPV6:
        return ip(0, 6);
      default:
        return SkipReason.UNSUPPORTED_LINK_TYPE;
    }
  }

  /** Follows any number of VLAN tags; each iteration consumes 4 bytes, so the loop ends. */
  private SkipReason etherType(byte[] frame, int captured, int type, int offset) {
    while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_LEGACY) {
      if (captured < offset + VLAN_TAG_LENGTH) return SkipReason.TRUNCATED_LINK;
      type = Bytes.u16(frame, offset + VLAN_TAG_TYPE);
      offset += VLAN_TAG_LENGTH;
    }
    if (type == ETHERTYPE_IPV4) return ip(offset, 4);
    if (type == ETHERTYPE_IPV6) return ip(offset, 6);
    return SkipReason.NON_IP;
  }

  /**
   * NULL writes the family in the capturing host's byte order and LOOP in network order; some
   * writers got LOOP wrong, so both orders are accepted for both (a family is a small number, so
   * only one reading of the 4 bytes can name one).
   */
  private SkipReason addressFamily(byte[] frame) {
    int family = Bytes.u32(frame, 0);
    if ((family & 0xffff0000) != 0) family = Bytes.u32LittleEndian(frame, 0);
    return switch (family) {
      case AF_INET -> ip(NULL_LENGTH, 4);
      case AF_INET6_BSD, AF_INET6_FREEBSD, AF_INET6_DARWIN -> ip(NULL_LENGTH, 6);
      default -> SkipReason.NON_IP;
    };
  }

  /** IPv4 and IPv6 over PPP; anything else (MPLS, LCP, ...) is not IP. */
  private SkipReason ppp(byte[] frame, int captured) {
    int offset = 0;
    if (captured >= 2 && (frame[0] & 0xff) == PPP_ADDRESS && (frame[1] & 0xff) == PPP_CONTROL) {
      offset = 2;
    }
    if (captured < offset + 1) return SkipReason.TRUNCATED_LINK;
    int protocol;
    if ((frame[offset] & 1) != 0) {
      protocol = frame[offset] & 0xff;
      offset += 1;
    } else {
      if (captured < offset + 2) return SkipReason.TRUNCATED_LINK;
      protocol = Bytes.u16(frame, offset);
      offset += 2;
    }
    if (protocol == PPP_IPV4) return ip(offset, 4);
    if (protocol == PPP_IPV6) return ip(offset, 6);
    return SkipReason.NON_IP;
  }

  private SkipReason ip(int offset, int version) {
    ipOffset = offset;
    ipVersion = version;
    return null;
  }
}

package io.flowinspect.capture.decode;

/**
 * The link types (tcpdump.org LINKTYPE_/DLT_ values, as libpcap reports them) that {@link
 * FrameDecoder} reads.
 */
public final class LinkTypes {
  /** BSD loopback: a 4-byte address family in the capturing host's byte order. */
  public static final int NULL = 0;
  public static final int ETHERNET = 1;
  /** PPP, with or without the HDLC address and control bytes. */
  public static final int PPP = 9;
  /** PPP in HDLC-like framing (RFC 1662). */
  public static final int PPP_SERIAL = 50;
  /** DLT_RAW as most platforms number it (libpcap maps LINKTYPE_RAW 101 to it). */
  public static final int RAW = 12;
  /** DLT_RAW on OpenBSD. */
  public static final int RAW_OPENBSD = 14;
  public static final int LINKTYPE_RAW = 101;
  /** OpenBSD loopback: like NULL but the family is in network byte order. */
  public static final int LOOP = 108;
  public static final int LINUX_SLL = 113;
  public static final int IPV4 = 228;
  public static final int IPV6 = 229;
  public static final int LINUX_SLL2 = 276;

  private LinkTypes() {}

  public static boolean isSupported(int linkType) {
    return switch (linkType) {
      case NULL, ETHERNET, PPP, PPP_SERIAL, RAW, RAW_OPENBSD, LINKTYPE_RAW, LOOP, LINUX_SLL, IPV4, IPV6, LINUX_SLL2 -> true;
      default -> false;
    };
  }
}

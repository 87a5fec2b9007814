package io.flowinspect.capture.decode;

/** Field offsets of the IPv6 header (RFC 8200 §3) and its extension headers (§4). */
final class Ipv6Header {
  /*
   *  0                   1                   2                   3
   *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |Version| Traffic Class |           Flow Label                  |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |         Payload Length        |  Next Header  |   Hop Limit   |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |                 Source Address (16 bytes, at 8)               |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |              Destination Address (16 bytes, at 24)            |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   */
  static final int PAYLOAD_LENGTH = 4;
  static final int NEXT_HEADER = 6;
  static final int SOURCE = 8;
  static final int DESTINATION = 24;
  static final int LENGTH = 40;
  static final int ADDRESS_LENGTH = 16;

  /*
   * Hop-by-hop (0), routing (43) and destination options (60), RFC 8200 §4.3-4.6:
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |  Next Header  |  Hdr Ext Len  |  ... (Hdr Ext Len + 1) * 8 bytes in all
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * Authentication header (51), RFC 4302 §2.2: same two bytes, (Payload Len + 2) * 4 bytes in all.
   * Fragment (44), RFC 8200 §4.5, always 8 bytes:
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |                         Identification                        |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   */
  static final int HOP_BY_HOP = 0;
  static final int ROUTING = 43;
  static final int FRAGMENT = 44;
  static final int AUTHENTICATION = 51;
  static final int NO_NEXT_HEADER = 59;
  static final int DESTINATION_OPTIONS = 60;
  static final int EXTENSION_NEXT_HEADER = 0;
  static final int EXTENSION_LENGTH = 1;
  static final int FRAGMENT_OFFSET_FLAGS = 2;
  static final int FRAGMENT_IDENTIFICATION = 4;
  static final int FRAGMENT_LENGTH = 8;
  static final int FRAGMENT_OFFSET_MASK = 0xfff8;
  static final int MORE_FRAGMENTS = 1;

  private Ipv6Header() {}

  static boolean isExtension(int nextHeader) {
    return nextHeader == HOP_BY_HOP
        || nextHeader == ROUTING
        || nextHeader == FRAGMENT
        || nextHeader == AUTHENTICATION
        || nextHeader == DESTINATION_OPTIONS;
  }
}

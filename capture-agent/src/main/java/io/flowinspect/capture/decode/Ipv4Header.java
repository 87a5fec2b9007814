package io.flowinspect.capture.decode;

/** Field offsets of the IPv4 header (RFC 791 §3.1), relative to its first byte. */
final class Ipv4Header {
  /*
   *  0                   1                   2                   3
   *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |Version|  IHL  |Type of Service|          Total Length         |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |         Identification        |Flags|      Fragment Offset    |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |  Time to Live |    Protocol   |         Header Checksum       |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |                       Source Address                          |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |                    Destination Address                        |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |                    Options                    |    Padding    |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   */
  static final int VERSION_IHL = 0;
  static final int TOTAL_LENGTH = 2;
  static final int IDENTIFICATION = 4;
  static final int FLAGS_FRAGMENT_OFFSET = 6;
  static final int PROTOCOL = 9;
  static final int SOURCE = 12;
  static final int DESTINATION = 16;
  static final int MIN_LENGTH = 20;
  static final int ADDRESS_LENGTH = 4;

  static final int MORE_FRAGMENTS = 0x2000;
  static final int FRAGMENT_OFFSET_MASK = 0x1fff;

  private Ipv4Header() {}

  static int version(byte[] b, int ip) {
    return (b[ip + VERSION_IHL] & 0xf0) >>> 4;
  }

  static int headerLength(byte[] b, int ip) {
    return (b[ip + VERSION_IHL] & 0x0f) * 4;
  }
}

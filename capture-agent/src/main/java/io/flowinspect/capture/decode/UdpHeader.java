package io.flowinspect.capture.decode;

/** Field offsets of the UDP header (RFC 768); also the first bytes of UDP-Lite, SCTP and DCCP. */
final class UdpHeader {
  /*
   *  0      7 8     15 16    23 24    31
   * +--------+--------+--------+--------+
   * |     Source      |   Destination   |
   * |      Port       |      Port       |
   * +--------+--------+--------+--------+
   * |                 |                 |
   * |     Length      |    Checksum     |
   * +--------+--------+--------+--------+
   */
  static final int SOURCE_PORT = 0;
  static final int DESTINATION_PORT = 2;
  static final int LENGTH = 4;
  static final int CHECKSUM = 6;
  static final int HEADER_LENGTH = 8;
  /** Source and destination port: all that SCTP, DCCP and UDP-Lite keys need (RFC 9260 §3.1). */
  static final int PORTS_LENGTH = 4;

  private UdpHeader() {}
}

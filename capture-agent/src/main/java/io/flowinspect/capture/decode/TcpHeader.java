package io.flowinspect.capture.decode;

import io.flowinspect.schemas.PacketFlags;

/** Field offsets of the TCP header (RFC 9293 §3.1) and the options conntrack and the engine use. */
final class TcpHeader {
  /*
   *  0                   1                   2                   3
   *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |          Source Port          |       Destination Port        |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |                        Sequence Number                        |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |                    Acknowledgment Number                      |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |  Data |       |C|E|U|A|P|R|S|F|                               |
   * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
   * |       |       |R|E|G|K|H|T|N|N|                               |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |           Checksum            |         Urgent Pointer        |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |                    Options                    |    Padding    |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   */
  static final int SOURCE_PORT = 0;
  static final int DESTINATION_PORT = 2;
  static final int SEQUENCE = 4;
  static final int ACKNOWLEDGMENT = 8;
  static final int DATA_OFFSET = 12;
  static final int FLAGS = 13;
  static final int WINDOW = 14;
  static final int MIN_LENGTH = 20;
  /** Bytes of an ICMP error's quoted TCP header that hold the ports and the sequence number. */
  static final int QUOTED_SEQUENCE_END = 8;

  static final int OPTION_END = 0;
  static final int OPTION_NOP = 1;
  static final int OPTION_MSS = 2;
  static final int OPTION_WINDOW_SCALE = 3;
  static final int OPTION_SACK_PERMITTED = 4;
  static final int OPTION_SACK = 5;
  static final int OPTION_TIMESTAMPS = 8;
  static final int MSS_LENGTH = 4;
  static final int WINDOW_SCALE_LENGTH = 3;
  static final int SACK_PERMITTED_LENGTH = 2;
  static final int SACK_BLOCK_LENGTH = 8;
  static final int TIMESTAMPS_LENGTH = 10;
  /** RFC 7323 §2.3: a larger shift is used as 14; the kernel clamps likewise (TCP_MAX_WSCALE). */
  static final int MAX_WINDOW_SCALE = 14;

  private TcpHeader() {}

  static int dataOffset(byte[] b, int tcp) {
    return ((b[tcp + DATA_OFFSET] & 0xf0) >>> 4) * 4;
  }

  /**
   * Reads the options between {@code start} and {@code end} (all captured) into {@code out}, with
   * the rules of the kernel's tcp_options/tcp_sack: parsing stops at end-of-list, at an option
   * whose length is below 2 or runs past the header, and only options of their exact length count.
   * Only the first well-formed SACK option is read, as the kernel does. (The kernel skips its SACK
   * scan when the only option is the aligned timestamp option; that option holds no SACK block, so
   * reading it gives the same answer.)
   */
  static void readOptions(byte[] b, int start, int end, DecodedPacket out) {
    int options = 0;
    boolean sackSeen = false;
    int sackEdge = 0;
    int i = start;
    while (i < end) {
      int kind = b[i] & 0xff;
      if (kind == OPTION_END) break;
      if (kind == OPTION_NOP) {
        i++;
        continue;
      }
      if (end - i < 2) break;
      int size = b[i + 1] & 0xff;
      if (size < 2 || size > end - i) break;
      switch (kind) {
        case OPTION_MSS -> {
          if (size == MSS_LENGTH) {
            options = (options & 0xffff) | Bytes.u16(b, i + 2) << PacketFlags.MSS_SHIFT;
          }
        }
        case OPTION_WINDOW_SCALE -> {
          if (size == WINDOW_SCALE_LENGTH) {
            int shift = Math.min(b[i + 2] & 0xff, MAX_WINDOW_SCALE);
            options = (options & ~PacketFlags.WSCALE_MASK) | shift | PacketFlags.OPT_WSCALE;
          }
        }
        case OPTION_SACK_PERMITTED -> {
          if (size == SACK_PERMITTED_LENGTH) options |= PacketFlags.OPT_SACK_PERMITTED;
        }
        case OPTION_SACK -> {
          if (!sackSeen && size >= 2 + SACK_BLOCK_LENGTH && (size - 2) % SACK_BLOCK_LENGTH == 0) {
            sackSeen = true;
            sackEdge = Bytes.u32(b, i + 2 + 4);
            for (int block = i + 2 + SACK_BLOCK_LENGTH; block < i + size; block += SACK_BLOCK_LENGTH) {
              int right = Bytes.u32(b, block + 4);
              // Sequence space wraps: "after" as in RFC 9293 §3.4 (and the kernel's after()).
              if (right - sackEdge > 0) sackEdge = right;
            }
            options |= PacketFlags.OPT_SACK;
          }
        }
        case OPTION_TIMESTAMPS -> {
          if (size == TIMESTAMPS_LENGTH) out.setTimestamps(Bytes.u32(b, i + 2), Bytes.u32(b, i + 6));
        }
        default -> {}
      }
      i += size;
    }
    out.tcpOptions = options;
    out.sackEdge = sackSeen ? sackEdge : 0;
  }
}

package io.flowinspect.inspect.engine;

/**
 * The one flag that decides a segment's row in the state table, in the kernel's precedence:
 * RST, then SYN (with or without ACK), then FIN, then ACK.
 */
enum TcpSegmentKind {
  SYN,
  SYNACK,
  FIN,
  ACK,
  RST,
  NONE;

  private static final TcpSegmentKind[] BY_ORDINAL = values();

  static TcpSegmentKind of(int tcpFlags) {
    if ((tcpFlags & Packet.RST) != 0) {
      return RST;
    }
    if ((tcpFlags & Packet.SYN) != 0) {
      return (tcpFlags & Packet.ACK) != 0 ? SYNACK : SYN;
    }
    if ((tcpFlags & Packet.FIN) != 0) {
      return FIN;
    }
    return (tcpFlags & Packet.ACK) != 0 ? ACK : NONE;
  }

  static TcpSegmentKind byOrdinal(int ordinal) {
    return BY_ORDINAL[ordinal];
  }

  /**
   * Flag combinations a TCP stack may send, after ignoring PSH, ECE and CWR; anything else (SYN+FIN,
   * FIN without ACK, no flags at all, ...) is invalid whatever the state.
   */
  static boolean validCombination(int tcpFlags) {
    int f = tcpFlags & (Packet.FIN | Packet.SYN | Packet.RST | Packet.ACK | Packet.URG);
    return f == Packet.SYN
        || f == (Packet.SYN | Packet.URG)
        || f == (Packet.SYN | Packet.ACK)
        || f == Packet.RST
        || f == (Packet.RST | Packet.ACK)
        || f == (Packet.FIN | Packet.ACK)
        || f == (Packet.FIN | Packet.ACK | Packet.URG)
        || f == Packet.ACK
        || f == (Packet.ACK | Packet.URG);
  }
}

package io.flowinspect.inspect.engine;

/**
 * What conntrack knows about one sender of a TCP connection, for the window checks of Guido van
 * Rooij's "Real Stateful TCP Packet Filtering in IP Filter" as the kernel applies them. Sequence
 * numbers are unsigned 32-bit values held in ints; compare them only with {@link Seq}.
 */
final class TcpSide {
  static final int WINDOW_SCALE = 0x01;
  static final int SACK_PERMITTED = 0x02;
  /** This side sent the first FIN: a later SYN on the tuple reopens it. */
  static final int CLOSE_INIT = 0x04;
  /** Accept out-of-window segments from this side (set for connections picked up mid-stream). */
  static final int BE_LIBERAL = 0x08;
  /** This side sent data the other has not acknowledged yet. */
  static final int DATA_UNACKNOWLEDGED = 0x10;
  static final int MAXACK_SET = 0x20;

  /** Highest sequence number sent plus its length ({@code td_end}). */
  int end;
  /** Highest sequence number the receiver's window allows ({@code td_maxend}). */
  int maxEnd;
  /** Largest window advertised, scaled; 0 means nothing seen from this side yet ({@code td_maxwin}). */
  int maxWindow;
  /** Highest acknowledgement sent ({@code td_maxack}). */
  int maxAck;
  /** Window-scale shift announced in this side's SYN. */
  int scale;
  int flags;

  boolean has(int flag) {
    return (flags & flag) != 0;
  }

  void reset() {
    end = 0;
    maxEnd = 0;
    maxWindow = 0;
    maxAck = 0;
    scale = 0;
    flags &= BE_LIBERAL;
  }

  void copyFrom(TcpSide other) {
    end = other.end;
    maxEnd = other.maxEnd;
    maxWindow = other.maxWindow;
    maxAck = other.maxAck;
    scale = other.scale;
    flags = other.flags;
  }
}

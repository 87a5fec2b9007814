package io.flowinspect.inspect.engine;

/**
 * What Zeek knows about one side of a connection for its history and {@code conn_state}: the
 * endpoint state of {@code TCP_Endpoint} (or UDP's active/inactive), the sequence numbers behind the
 * "retransmission" and "repeated SYN/FIN/RST" rules, and the log-scale counters. Mutable, owned by
 * one {@link FlowHistory}; sequence numbers are 32-bit values compared with {@link Seq} arithmetic.
 */
final class ZeekEndpoint {
  /**
   * Zeek's {@code EndpointState} ({@code TCP_Endpoint.h}) in its order, plus {@link #ACTIVE} for UDP
   * and ICMP, whose endpoints are only inactive or active ({@code UDPSessionAdapter.cc}). The
   * ordinal is the 3-bit form in {@link FlowHistoryCodec}.
   */
  enum State {
    INACTIVE, SYN_SENT, SYN_ACK_SENT, PARTIAL, ESTABLISHED, CLOSED, RESET, ACTIVE;

    private static final State[] BY_ORDINAL = values();

    static State byOrdinal(int ordinal) {
      return BY_ORDINAL[ordinal];
    }
  }

  State state = State.INACTIVE;
  State prev = State.INACTIVE;

  /** Zeek's {@code StartSeq}: the SYN's sequence number, or one below the first one seen. */
  int start;
  /** Zeek's {@code LastSeq}: the highest sequence number plus segment length seen from this side. */
  int last;
  /**
   * Where the part of this side's stream seen without holes ends: the stand-in for Zeek's
   * reassembler when deciding whether an acknowledgement reveals a content gap ('G').
   */
  int contiguous;
  /** Relative sequence numbers of the last SYN, FIN end and RST: a repeat at another one is logged again. */
  int lastSynAt;
  int lastFinAt;
  int lastRstAt;
  boolean finSeen;

  int checksumErrors;
  int retransmissions;
  int zeroWindows;
  int gaps;

  /** Back to a new endpoint's values (a decoder reusing the object fills it again). */
  void clear() {
    state = State.INACTIVE;
    prev = State.INACTIVE;
    start = 0;
    last = 0;
    contiguous = 0;
    lastSynAt = 0;
    lastFinAt = 0;
    lastRstAt = 0;
    finSeen = false;
    checksumErrors = 0;
    retransmissions = 0;
    zeroWindows = 0;
    gaps = 0;
  }

  void set(State next) {
    if (next != state) {
      prev = state;
      state = next;
    }
  }

  boolean inactive() {
    return state == State.INACTIVE;
  }

  /** {@code conn_state}'s "inactive": no packet at all, or only mid-stream ones ({@code conn/main.zeek}). */
  boolean inactiveOrPartial() {
    return state == State.INACTIVE || state == State.PARTIAL;
  }

  /** Established, or closed after being established: when Zeek believes a content gap is real. */
  boolean clean() {
    return state == State.ESTABLISHED || (state == State.CLOSED && prev == State.ESTABLISHED);
  }

  /**
   * Zeek's {@code init_endpoint}: a side's first packet fixes its sequence origin (a mid-stream
   * packet as if a SYN had come one octet earlier), and a SYN that may start the connection afresh
   * resets it.
   */
  void initialize(boolean syn, int seq, int onePast) {
    switch (state) {
      case INACTIVE -> {
        if (syn) {
          restart(seq, onePast);
        } else {
          start = seq - 1;
          last = seq; // so that the first packet never counts as a retransmission
          contiguous = seq;
        }
      }
      case SYN_SENT, SYN_ACK_SENT -> {
        if (syn && seq != start) {
          restart(seq, onePast);
        }
      }
      case ESTABLISHED, PARTIAL -> {
        if (syn) {
          restart(seq, onePast);
        }
      }
      case RESET -> {
        if (syn && prev == State.INACTIVE) {
          restart(seq, onePast); // the earlier RST may have been injected
        }
      }
      default -> { }
    }
  }

  private void restart(int seq, int onePast) {
    start = seq;
    last = onePast;
    contiguous = seq + 1;
  }

  /**
   * Zeek's {@code update_last_seq}: moves the highest sequence number seen, and returns true when
   * the segment carries data that does not go beyond it, which Zeek counts as a retransmission.
   */
  boolean advanceLast(int onePast, boolean synOrRst, boolean fin, int payload) {
    int delta = onePast - last;
    if (synOrRst && (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA)) {
      return false; // an outlandish SYN or RST sequence number is not trusted
    }
    if (fin && last == start + 1) {
      last = onePast; // only SYN and FIN seen: may be a connection beyond 2 GB, trust the FIN
      return false;
    }
    if (state == State.RESET) {
      return false;
    }
    if (delta > 0) {
      last = onePast;
      return false;
    }
    return payload > 0;
  }

  /** Zeek's {@code TOO_LARGE_SEQ_DELTA} (1 MiB). */
  static final int TOO_LARGE_SEQ_DELTA = 1_048_576;

  /**
   * Payload octets as Zeek's {@code TCP_Endpoint::Size} counts them (sequence span less the SYN and
   * FIN octets), used only by {@code conn_state}'s "both sides reset without data" test.
   */
  long size() {
    if (state == State.INACTIVE || state == State.ACTIVE) {
      return 0;
    }
    long span = (last - start) & 0xffff_ffffL;
    if (span != 0) {
      span--;
    }
    if (finSeen && span != 0) {
      span--;
    }
    return span;
  }
}

package io.flowinspect.inspect.engine;

/**
 * Binary forms of the engine's state for RocksDB and its changelog, where state outlives the code
 * that wrote it. Keys are fixed-layout and big-endian so that byte order is key order; values
 * start with a format version, and readers refuse versions they do not know instead of guessing.
 */
public final class StateCodec {
  /**
   * Format of {@link #encode(Conn)}; bump it, and keep reading the old ones, when the layout
   * changes. 2 appended the Zeek history ({@link FlowHistoryCodec}); a format-1 connection reads
   * with an empty history that starts at its next packet.
   */
  public static final int CONN_FORMAT = 2;
  private static final int CONN_FORMAT_WITHOUT_HISTORY = 1;
  public static final int EXPECTATION_FORMAT = 1;

  private static final int ORIG_IS_HIGH = 1;
  private static final int DENY = 1 << 1;
  private static final int TCP = 1 << 2;
  private static final int HAS_EXPECTATION = 1 << 3;
  private static final int HAS_FTP_LINES = 1 << 4;

  private StateCodec() {}

  /** zone, protocol, family, then each endpoint as address and port: 22 bytes for IPv4, 46 for IPv6. */
  public static byte[] encode(FlowKey k) {
    Bytes b = new Bytes(k.ipv6() ? 46 : 22);
    writeKey(b, k);
    return b.toArray();
  }

  public static FlowKey decodeKey(byte[] data) {
    return readKey(Bytes.reading(data));
  }

  /** Decodes the key in {@code length} bytes of {@code data} from {@code from}, without copying them. */
  public static FlowKey decodeKey(byte[] data, int from, int length) {
    return readKey(Bytes.reading(data, from, length));
  }

  /**
   * Whether the {@code length} bytes of {@code data} from {@code from} are {@link #encode(FlowKey)}
   * of {@code k}: compared field by field, without encoding {@code k}.
   */
  public static boolean keyEquals(FlowKey k, byte[] data, int from, int length) {
    if (length != (k.ipv6() ? 46 : 22)) {
      return false;
    }
    int at = from;
    if (Bytes.i32At(data, at) != k.zone() || (data[at + 4] & 0xff) != k.protocol()
        || (data[at + 5] & 0xff) != (k.ipv6() ? 6 : 4)) {
      return false;
    }
    at += 6;
    if (k.ipv6()) {
      return Bytes.i64At(data, at) == k.lowHi() && Bytes.i64At(data, at + 8) == k.lowLo()
          && Bytes.i32At(data, at + 16) == k.lowPort() && Bytes.i64At(data, at + 20) == k.highHi()
          && Bytes.i64At(data, at + 28) == k.highLo() && Bytes.i32At(data, at + 36) == k.highPort();
    }
    return (Bytes.i32At(data, at) & 0xffff_ffffL) == k.lowLo() && Bytes.i32At(data, at + 4) == k.lowPort()
        && (Bytes.i32At(data, at + 8) & 0xffff_ffffL) == k.highLo() && Bytes.i32At(data, at + 12) == k.highPort();
  }

  static void writeKey(Bytes b, FlowKey k) {
    b.i32(k.zone());
    b.u8(k.protocol());
    b.u8(k.ipv6() ? 6 : 4);
    address(b, k.ipv6(), k.lowHi(), k.lowLo());
    b.i32(k.lowPort());
    address(b, k.ipv6(), k.highHi(), k.highLo());
    b.i32(k.highPort());
  }

  static FlowKey readKey(Bytes b) {
    int zone = b.i32();
    int protocol = b.u8();
    int family = b.u8();
    if (family != 4 && family != 6) {
      throw new IllegalArgumentException("flow key with address family " + family);
    }
    boolean v6 = family == 6;
    long lowHi = v6 ? b.i64() : 0;
    long lowLo = v6 ? b.i64() : b.i32() & 0xffff_ffffL;
    int lowPort = b.i32();
    long highHi = v6 ? b.i64() : 0;
    long highLo = v6 ? b.i64() : b.i32() & 0xffff_ffffL;
    int highPort = b.i32();
    return new FlowKey(zone, protocol, v6, lowHi, lowLo, lowPort, highHi, highLo, highPort);
  }

  private static void address(Bytes b, boolean v6, long hi, long lo) {
    if (v6) {
      b.i64(hi);
      b.i64(lo);
    } else {
      b.i32((int) lo);
    }
  }

  /**
   * Rule ids that most connections carry, written as one byte: the default policy's, and none.
   * Any other id is written out in full.
   */
  public static final java.util.List<String> WELL_KNOWN_RULES =
      java.util.List.of("", "default-outbound", "default-inbound", "default-internal", "default-external");

  private static final int RULE_SPELLED_OUT = 255;
  /** Times are stored from here (2020-01-01T00:00:00Z): a varint of a recent time takes 8 bytes, not 9. */
  private static final long TIME_BASE_NANOS = 1_577_836_800_000_000_000L;

  /**
   * A connection in about 40 bytes (UDP, ICMP) to 60 (TCP): times as deltas from the first
   * packet, window edges and remembered segments as deltas from the sides' sequence ends, small
   * fields packed together, the rule as one byte unless it is a rule of the user's.
   */
  public static byte[] encode(Conn c) {
    Bytes b = new Bytes(c.orig == null ? 48 : 96);
    write(b, c);
    return b.toArray();
  }

  /** An encoder of the stored form into one reused array ({@link ConnEncoder}). Not thread-safe. */
  public static ConnEncoder encoder() {
    return new ConnEncoder(StateCodec::write, 128);
  }

  private static void write(Bytes b, Conn c) {
    b.u8(CONN_FORMAT);
    int bits = (c.origIsHigh ? ORIG_IS_HIGH : 0) | (c.decision == Decision.DENY ? DENY : 0)
        | (c.orig != null ? TCP : 0) | (c.expectation != null ? HAS_EXPECTATION : 0)
        | (c.ftp != null ? HAS_FTP_LINES : 0);
    // Format 2: the status bits share the byte (conntrack's three fit above the five of ours).
    b.u8(bits | c.status << 5);
    b.nanos(c.firstNanos - TIME_BASE_NANOS);
    b.nanos(c.lastNanos - c.firstNanos);
    b.nanos(c.expiresNanos - c.lastNanos);
    b.u8(c.indexedNanos == 0 ? 0 : 1);
    if (c.indexedNanos != 0) {
      b.nanos(c.indexedNanos - c.firstNanos);
    }
    b.varLong(c.origPackets);
    b.varLong(c.origBytes);
    b.varLong(c.replyPackets);
    b.varLong(c.replyBytes);
    int rule = WELL_KNOWN_RULES.indexOf(c.ruleId);
    if (rule >= 0) {
      b.u8(rule);
    } else {
      b.u8(RULE_SPELLED_OUT);
      b.string(c.ruleId);
    }
    if (c.orig != null) {
      b.u8(c.tcpState.ordinal() | c.lastIndex << 4 | c.lastDir << 7);
      side(b, c.orig, c.reply);
      side(b, c.reply, c.orig);
      b.varLong(packedFlags(c.orig) | (long) packedFlags(c.reply) << 10);
      TcpSide last = c.lastDir == 0 ? c.orig : c.reply;
      TcpSide other = c.lastDir == 0 ? c.reply : c.orig;
      b.zigzag(c.lastSeq - last.end);
      b.zigzag(c.lastAck - other.end);
      b.zigzag(c.lastEnd - last.end);
      b.zigzag((c.lastWin & 0xffff) - (last.maxWindow >>> last.scale));
      b.varLong((c.lastFlags & 0xff) << 4 | (c.lastWscale & 0xf));
      b.varLong(Math.min(c.retrans, 255));
    } else {
      b.nanos(c.streamNanos - c.firstNanos);
    }
    if (c.expectation != null) {
      writeExpectationKey(b, c.expectation);
    }
    if (c.ftp != null) {
      c.ftp.writeTo(b);
    }
    c.history.writeTo(b, historyReference(c, true), historyReference(c, false));
  }

  public static Conn decodeConn(byte[] data) {
    return decodeConn(Bytes.reading(data), null);
  }

  /** Decodes the connection in {@code length} bytes of {@code data} from {@code from}, without copying them. */
  public static Conn decodeConn(byte[] data, int from, int length) {
    return decodeConn(Bytes.reading(data, from, length), null);
  }

  /**
   * Like {@link #decodeConn(byte[], int, int)}, into {@code reuse} (a connection this method
   * returned before, or null for a new one), which it returns: everything {@code reuse} held is
   * replaced, and its TCP sides and history are filled again rather than allocated. For a caller
   * that holds one decoded connection at a time and is done with it before the next.
   */
  public static Conn decodeConn(byte[] data, int from, int length, Conn reuse) {
    return decodeConn(Bytes.reading(data, from, length), reuse);
  }

  private static Conn decodeConn(Bytes b, Conn reuse) {
    int format = b.u8();
    if (format != CONN_FORMAT && format != CONN_FORMAT_WITHOUT_HISTORY) {
      throw new IllegalArgumentException("connection state format " + format + " is not known to this version");
    }
    boolean v1 = format == CONN_FORMAT_WITHOUT_HISTORY;
    int bits = b.u8();
    boolean origIsHigh = (bits & ORIG_IS_HIGH) != 0;
    Conn c = reuse == null ? new Conn(origIsHigh, 0) : reuse.clearForReuse(origIsHigh);
    if (v1) {
      c.status = b.u8();
    } else {
      c.status = bits >>> 5;
      bits &= 0x1f;
    }
    c.firstNanos = TIME_BASE_NANOS + b.nanos();
    c.lastNanos = c.firstNanos + b.nanos();
    c.expiresNanos = c.lastNanos + b.nanos();
    c.indexedNanos = b.u8() == 0 ? 0 : c.firstNanos + b.nanos();
    c.origPackets = b.varLong();
    c.origBytes = b.varLong();
    c.replyPackets = b.varLong();
    c.replyBytes = b.varLong();
    int rule = b.u8();
    c.ruleId = rule == RULE_SPELLED_OUT ? b.string() : WELL_KNOWN_RULES.get(rule);
    c.decision = (bits & DENY) != 0 ? Decision.DENY : Decision.ALLOW;
    if ((bits & TCP) != 0) {
      int packed = b.u8();
      c.tcpState = TcpState.of(packed & 0xf);
      c.lastIndex = (packed >>> 4) & 0x7;
      c.lastDir = packed >>> 7;
      if (c.orig == null) { // each of the six fields of a reused side is read below
        c.orig = new TcpSide();
        c.reply = new TcpSide();
      }
      long origDeltas = readSide(b, c.orig, v1);
      long replyDeltas = readSide(b, c.reply, v1);
      long flags10 = b.varLong();
      unpackFlags(c.orig, (int) (flags10 & 0x3ff));
      unpackFlags(c.reply, (int) (flags10 >>> 10));
      c.orig.maxAck = c.reply.end + (int) origDeltas;
      c.reply.maxAck = c.orig.end + (int) replyDeltas;
      if (!v1) {
        c.orig.maxEnd = maxEndBasis(c.reply) + (int) (origDeltas >> 32);
        c.reply.maxEnd = maxEndBasis(c.orig) + (int) (replyDeltas >> 32);
      }
      TcpSide last = c.lastDir == 0 ? c.orig : c.reply;
      TcpSide other = c.lastDir == 0 ? c.reply : c.orig;
      c.lastSeq = last.end + (int) b.zigzag();
      c.lastAck = other.end + (int) b.zigzag();
      c.lastEnd = last.end + (int) b.zigzag();
      c.lastWin = v1 ? (int) b.varLong()
          : (int) ((last.maxWindow >>> last.scale) + b.zigzag());
      long lastPacked = b.varLong();
      c.lastFlags = (int) (lastPacked >>> 4);
      c.lastWscale = (int) (lastPacked & 0xf);
      c.retrans = (int) b.varLong();
    } else {
      c.orig = null;
      c.reply = null;
      c.streamNanos = c.firstNanos + b.nanos();
    }
    if ((bits & HAS_EXPECTATION) != 0) {
      c.expectation = readExpectationKey(b);
    }
    if ((bits & HAS_FTP_LINES) != 0) {
      c.ftp = FtpLineStarts.readFrom(b);
    }
    c.history = v1 ? new FlowHistory()
        : FlowHistoryCodec.read(b, historyReference(c, true), historyReference(c, false),
            reuse == null ? new FlowHistory() : c.history);
    return c;
  }

  /**
   * What the history's sequence numbers of conntrack's original (or reply) sender are stored
   * relative to: that sender's TCP window end, which they usually equal.
   */
  private static int historyReference(Conn c, boolean original) {
    if (c.orig == null) {
      return 0;
    }
    return original ? c.orig.end : c.reply.end;
  }

  public static byte[] encode(Expectation.Key k) {
    Bytes b = new Bytes(k.ipv6() ? 48 : 24);
    writeExpectationKey(b, k);
    return b.toArray();
  }

  public static byte[] encode(Expectation e) {
    Bytes b = new Bytes(96);
    b.u8(EXPECTATION_FORMAT);
    writeExpectationKey(b, e.key());
    writeKey(b, e.master());
    b.u8(e.decision() == Decision.DENY ? 1 : 0);
    b.string(e.ruleId());
    b.i64(e.expiresNanos());
    return b.toArray();
  }

  public static Expectation decodeExpectation(byte[] data) {
    Bytes b = Bytes.reading(data);
    int format = b.u8();
    if (format != EXPECTATION_FORMAT) {
      throw new IllegalArgumentException("expectation format " + format + " is not known to this version");
    }
    Expectation.Key key = readExpectationKey(b);
    FlowKey master = readKey(b);
    Decision d = b.u8() == 1 ? Decision.DENY : Decision.ALLOW;
    String rule = b.string();
    return new Expectation(key, master, d, rule, b.i64());
  }

  static void writeExpectationKey(Bytes b, Expectation.Key k) {
    b.i32(k.zone());
    b.u8(k.protocol());
    b.u8(k.ipv6() ? 6 : 4);
    address(b, k.ipv6(), k.sourceHi(), k.sourceLo());
    address(b, k.ipv6(), k.destinationHi(), k.destinationLo());
    b.i32(k.destinationPort());
  }

  static Expectation.Key readExpectationKey(Bytes b) {
    int zone = b.i32();
    int protocol = b.u8();
    boolean v6 = b.u8() == 6;
    long sHi = v6 ? b.i64() : 0;
    long sLo = v6 ? b.i64() : b.i32() & 0xffff_ffffL;
    long dHi = v6 ? b.i64() : 0;
    long dLo = v6 ? b.i64() : b.i32() & 0xffff_ffffL;
    return new Expectation.Key(zone, protocol, v6, sHi, sLo, dHi, dLo, b.i32());
  }

  /**
   * One sender's window data. Its highest acknowledgement is stored as a delta from the other
   * side's end, and the end of its window as a delta from what the receiver last allowed (the
   * receiver's highest acknowledgement plus its largest window), which it usually equals: two
   * small numbers instead of two that span the window.
   */
  private static void side(Bytes b, TcpSide s, TcpSide other) {
    b.i32(s.end);
    b.zigzag(s.maxEnd - maxEndBasis(other));
    b.varLong(s.maxWindow & 0xffff_ffffL);
    b.zigzag(s.maxAck - other.end);
  }

  private static int maxEndBasis(TcpSide receiver) {
    return receiver.maxAck + receiver.maxWindow;
  }

  /**
   * Reads a side; returns the deltas that need the other side, resolved once both are read: the
   * maxAck delta in the low 32 bits and (format 2) the maxEnd delta in the high ones.
   */
  private static long readSide(Bytes b, TcpSide s, boolean v1) {
    s.end = b.i32();
    int maxEndDelta = (int) b.zigzag();
    if (v1) {
      s.maxEnd = s.end + maxEndDelta;
    }
    s.maxWindow = (int) b.varLong();
    long maxAckDelta = (int) b.zigzag();
    return (long) maxEndDelta << 32 | (maxAckDelta & 0xffff_ffffL);
  }

  /** A side's six flags and four-bit window scale in ten bits. */
  private static int packedFlags(TcpSide s) {
    return (s.flags & 0x3f) << 4 | (s.scale & 0xf);
  }

  private static void unpackFlags(TcpSide s, int packed) {
    s.flags = packed >>> 4;
    s.scale = packed & 0xf;
  }
}

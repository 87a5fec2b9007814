package io.flowinspect.inspect.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The form a connection takes in the inspector's packed memory: every field that a packet may
 * change at a fixed offset, as a plain little-endian int or long (one load or store each, no
 * varints, no time units), then a short variable tail for what is rare or of variable length. The
 * commonest packet is inspected on these bytes where they lie, without decoding them at all
 * ({@link InPlaceSegment}, which reads and writes through the offsets named here); every other
 * packet decodes them ({@link #decode}) and encodes them back. It costs about twice the bytes of
 * {@link StateCodec}'s stored form.
 *
 * <p>It never leaves the process: what goes to RocksDB and the changelog is converted to the
 * stored form ({@link #toStored}), which alone is versioned. It is lossless, so a connection held
 * here behaves exactly as one held decoded.
 *
 * <pre>
 *   0  u8   bits: orig is high, deny, TCP, expectation, FTP lines, rule spelled out
 *   1  u8   status
 *   2  u8   TCP state | last segment kind &lt;&lt; 4 | last direction &lt;&lt; 7
 *   3  u8   rule: index in {@link StateCodec#WELL_KNOWN_RULES}, else spelled out in the tail
 *   4  u8   history flags
 *   5  u8   Zeek states: originator's | responder's &lt;&lt; 3 | FIN seen, each side, &lt;&lt; 6
 *   6  u8   Zeek previous states: originator's | responder's &lt;&lt; 3
 *   7  u8   which of the letters D, d, A, a the history holds (bits 0 to 3)
 *   8  i64  first, last, expires, indexed (ns); originator's packets, bytes; responder's (8 longs)
 *  72  i32  Zeek start, last, contiguous: originator's, then responder's
 *  96  TCP: per side end, max end, max window, max ack (8 ints); last seq, ack, end, window;
 *           retransmissions (i32); per side flags and scale, last flags, last scale (u8 each)
 *      else: stream time (i64)
 *      tail: rule id, expectation key, FTP line starts (each only when its bit says), history
 *           letters ({@link HistoryLetters#writeTo}), then which of each side's rarely set Zeek
 *           fields are not zero (varint bit mask) and their values
 * </pre>
 */
public final class FixedConnLayout {
  private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  static final int ORIG_IS_HIGH = 1;
  private static final int DENY = 1 << 1;
  static final int TCP = 1 << 2;
  private static final int HAS_EXPECTATION = 1 << 3;
  private static final int HAS_FTP_LINES = 1 << 4;
  private static final int RULE_SPELLED_OUT = 1 << 5;
  private static final int RULE_NOT_WELL_KNOWN = 255;

  /** Byte 7's bits: 'D' in the originator's case (the responder's is the next bit up), and 'A'. */
  static final int DATA_LETTER = 1;
  static final int ACK_LETTER = 1 << 2;

  // Offsets of the fields (the table above), shared with InPlaceSegment, which reads and writes them in place.
  static final int BITS = 0;
  static final int STATUS = 1;
  static final int TCP_STATE_AND_LAST = 2;
  private static final int RULE = 3;
  static final int HISTORY_FLAGS = 4;
  static final int ZEEK_STATES = 5;
  private static final int ZEEK_PREVIOUS_STATES = 6;
  static final int LETTERS_SEEN = 7;
  static final int TIMES = 8;
  static final int LAST_NANOS = TIMES + 8;
  static final int EXPIRES_NANOS = TIMES + 16;
  static final int INDEXED_NANOS = TIMES + 24;
  static final int ORIG_PACKETS = TIMES + 32;
  static final int ZEEK_SEQUENCES = 72;
  private static final int PROTOCOL_PART = 96;
  /** A TCP side's end, max end, max window and max ack: the originator's, then 16 bytes on, the responder's. */
  static final int TCP_SIDES = PROTOCOL_PART;
  static final int LAST_SEQ = PROTOCOL_PART + 32;
  static final int RETRANS = PROTOCOL_PART + 48;
  /** A TCP side's flags and scale: the originator's, then two bytes on, the responder's; then last flags and scale. */
  static final int SIDE_FLAGS = PROTOCOL_PART + 52;
  private static final int TCP_BYTES = 4 * 13 + 6;
  /** Where the tail starts: after the TCP part, or after the stream time. */
  static final int TCP_TAIL = PROTOCOL_PART + TCP_BYTES;
  private static final int OTHER_TAIL = PROTOCOL_PART + 8;
  /** Rarely set Zeek fields per side, each one bit of the tail's mask. */
  private static final int RARE_ZEEK_FIELDS = 7;

  private FixedConnLayout() {}

  /** An encoder of this form into one reused array ({@link ConnEncoder}). Not thread-safe. */
  public static ConnEncoder encoder() {
    return new ConnEncoder(FixedConnLayout::write, 256);
  }

  public static byte[] encode(Conn c) {
    Bytes b = new Bytes(c.orig == null ? 128 : 192);
    write(b, c);
    return b.toArray();
  }

  /**
   * Decodes the connection in {@code length} bytes of {@code data} from {@code from}, into
   * {@code reuse} as {@link StateCodec#decodeConn(byte[], int, int, Conn)} does.
   */
  public static Conn decode(byte[] data, int from, int length, Conn reuse) {
    int bits = data[from + BITS] & 0xff;
    boolean tcp = (bits & TCP) != 0;
    int tail = tcp ? TCP_TAIL : OTHER_TAIL;
    if (length < tail) {
      throw new IllegalArgumentException("connection of " + length + " bytes is shorter than its layout's " + tail);
    }
    boolean origIsHigh = (bits & ORIG_IS_HIGH) != 0;
    Conn c = reuse == null ? new Conn(origIsHigh, 0) : reuse.clearForReuse(origIsHigh);
    c.status = data[from + STATUS] & 0xff;
    c.decision = (bits & DENY) != 0 ? Decision.DENY : Decision.ALLOW;
    c.firstNanos = i64(data, from + TIMES);
    c.lastNanos = i64(data, from + LAST_NANOS);
    c.expiresNanos = i64(data, from + EXPIRES_NANOS);
    c.indexedNanos = i64(data, from + INDEXED_NANOS);
    c.origPackets = i64(data, from + ORIG_PACKETS);
    c.origBytes = i64(data, from + ORIG_PACKETS + 8);
    c.replyPackets = i64(data, from + ORIG_PACKETS + 16);
    c.replyBytes = i64(data, from + ORIG_PACKETS + 24);
    FlowHistory h = reuse == null || c.history == null ? new FlowHistory() : c.history;
    c.history = h;
    readZeekHead(data, from, h);
    if (tcp) {
      int packed = data[from + TCP_STATE_AND_LAST] & 0xff;
      c.tcpState = TcpState.of(packed & 0xf);
      c.lastIndex = (packed >>> 4) & 0x7;
      c.lastDir = packed >>> 7;
      if (c.orig == null) {
        c.orig = new TcpSide();
        c.reply = new TcpSide();
      }
      readSide(data, from + TCP_SIDES, c.orig);
      readSide(data, from + TCP_SIDES + 16, c.reply);
      int last = from + LAST_SEQ;
      c.lastSeq = i32(data, last);
      c.lastAck = i32(data, last + 4);
      c.lastEnd = i32(data, last + 8);
      c.lastWin = i32(data, last + 12);
      c.retrans = i32(data, from + RETRANS);
      int flags = from + SIDE_FLAGS;
      c.orig.flags = data[flags] & 0xff;
      c.orig.scale = data[flags + 1] & 0xff;
      c.reply.flags = data[flags + 2] & 0xff;
      c.reply.scale = data[flags + 3] & 0xff;
      c.lastFlags = data[flags + 4] & 0xff;
      c.lastWscale = data[flags + 5] & 0xff;
    } else {
      c.orig = null;
      c.reply = null;
      c.streamNanos = i64(data, from + PROTOCOL_PART);
    }
    Bytes b = Bytes.reading(data, from + tail, length - tail);
    int rule = data[from + RULE] & 0xff;
    c.ruleId = (bits & RULE_SPELLED_OUT) != 0 ? b.string() : StateCodec.WELL_KNOWN_RULES.get(rule);
    if ((bits & HAS_EXPECTATION) != 0) {
      c.expectation = StateCodec.readExpectationKey(b);
    }
    if ((bits & HAS_FTP_LINES) != 0) {
      c.ftp = FtpLineStarts.readFrom(b);
    }
    h.letters.readInto(b);
    long mask = b.varLong();
    readRareZeek(b, h.orig, (int) mask);
    readRareZeek(b, h.resp, (int) (mask >>> RARE_ZEEK_FIELDS));
    return c;
  }

  /** The stored form ({@link StateCodec#encode(Conn)}) of the connection in {@code value}, or null for null. */
  public static byte[] toStored(byte[] value) {
    return value == null ? null : StateCodec.encode(decode(value, 0, value.length, null));
  }

  /** This form of the connection stored as {@code stored} ({@link StateCodec#encode(Conn)}). */
  public static byte[] fromStored(byte[] stored) {
    return encode(StateCodec.decodeConn(stored));
  }

  private static void write(Bytes b, Conn c) {
    boolean tcp = c.orig != null;
    int tail = tcp ? TCP_TAIL : OTHER_TAIL;
    b.skip(tail);
    int rule = StateCodec.WELL_KNOWN_RULES.indexOf(c.ruleId);
    if (rule < 0) {
      b.string(c.ruleId);
    }
    if (c.expectation != null) {
      StateCodec.writeExpectationKey(b, c.expectation);
    }
    if (c.ftp != null) {
      c.ftp.writeTo(b);
    }
    FlowHistory h = c.history;
    h.letters.writeTo(b);
    int origRare = rareZeekMask(h.orig);
    int respRare = rareZeekMask(h.resp);
    b.varLong(origRare | (long) respRare << RARE_ZEEK_FIELDS);
    writeRareZeek(b, h.orig, origRare);
    writeRareZeek(b, h.resp, respRare);

    byte[] data = b.array(); // the tail may have grown it: the head goes into the final array
    data[BITS] = (byte) ((c.origIsHigh ? ORIG_IS_HIGH : 0) | (c.decision == Decision.DENY ? DENY : 0) | (tcp ? TCP : 0)
        | (c.expectation != null ? HAS_EXPECTATION : 0) | (c.ftp != null ? HAS_FTP_LINES : 0)
        | (rule < 0 ? RULE_SPELLED_OUT : 0));
    data[STATUS] = (byte) c.status;
    data[TCP_STATE_AND_LAST] = (byte) (c.tcpState.ordinal() | c.lastIndex << 4 | c.lastDir << 7);
    data[RULE] = (byte) (rule < 0 ? RULE_NOT_WELL_KNOWN : rule);
    writeZeekHead(data, h);
    setI64(data, TIMES, c.firstNanos);
    setI64(data, LAST_NANOS, c.lastNanos);
    setI64(data, EXPIRES_NANOS, c.expiresNanos);
    setI64(data, INDEXED_NANOS, c.indexedNanos);
    setI64(data, ORIG_PACKETS, c.origPackets);
    setI64(data, ORIG_PACKETS + 8, c.origBytes);
    setI64(data, ORIG_PACKETS + 16, c.replyPackets);
    setI64(data, ORIG_PACKETS + 24, c.replyBytes);
    if (tcp) {
      writeSide(data, TCP_SIDES, c.orig);
      writeSide(data, TCP_SIDES + 16, c.reply);
      setI32(data, LAST_SEQ, c.lastSeq);
      setI32(data, LAST_SEQ + 4, c.lastAck);
      setI32(data, LAST_SEQ + 8, c.lastEnd);
      setI32(data, LAST_SEQ + 12, c.lastWin);
      setI32(data, RETRANS, c.retrans);
      data[SIDE_FLAGS] = (byte) c.orig.flags;
      data[SIDE_FLAGS + 1] = (byte) c.orig.scale;
      data[SIDE_FLAGS + 2] = (byte) c.reply.flags;
      data[SIDE_FLAGS + 3] = (byte) c.reply.scale;
      data[SIDE_FLAGS + 4] = (byte) c.lastFlags;
      data[SIDE_FLAGS + 5] = (byte) c.lastWscale;
    } else {
      setI64(data, PROTOCOL_PART, c.streamNanos);
    }
  }

  private static void writeZeekHead(byte[] data, FlowHistory h) {
    ZeekEndpoint o = h.orig;
    ZeekEndpoint r = h.resp;
    data[HISTORY_FLAGS] = (byte) h.flags;
    data[ZEEK_STATES] = (byte) (o.state.ordinal() | r.state.ordinal() << 3 | (o.finSeen ? 1 << 6 : 0) | (r.finSeen ? 1 << 7 : 0));
    data[ZEEK_PREVIOUS_STATES] = (byte) (o.prev.ordinal() | r.prev.ordinal() << 3);
    data[LETTERS_SEEN] = (byte) letterBits(h.letters);
    setI32(data, ZEEK_SEQUENCES, o.start);
    setI32(data, ZEEK_SEQUENCES + 4, o.last);
    setI32(data, ZEEK_SEQUENCES + 8, o.contiguous);
    setI32(data, ZEEK_SEQUENCES + 12, r.start);
    setI32(data, ZEEK_SEQUENCES + 16, r.last);
    setI32(data, ZEEK_SEQUENCES + 20, r.contiguous);
  }

  /** Which of 'D', 'd', 'A' and 'a' the history holds (bits 0 to 3): whether a data or ACK segment adds a letter. */
  private static int letterBits(HistoryLetters letters) {
    return (letters.contains('D') ? DATA_LETTER : 0) | (letters.contains('d') ? DATA_LETTER << 1 : 0)
        | (letters.contains('A') ? ACK_LETTER : 0) | (letters.contains('a') ? ACK_LETTER << 1 : 0);
  }

  private static void readZeekHead(byte[] data, int from, FlowHistory h) {
    ZeekEndpoint o = h.orig;
    ZeekEndpoint r = h.resp;
    h.flags = data[from + HISTORY_FLAGS] & 0xff;
    int states = data[from + ZEEK_STATES] & 0xff;
    int prev = data[from + ZEEK_PREVIOUS_STATES] & 0xff;
    o.state = ZeekEndpoint.State.byOrdinal(states & 7);
    r.state = ZeekEndpoint.State.byOrdinal(states >>> 3 & 7);
    o.finSeen = (states & 1 << 6) != 0;
    r.finSeen = (states & 1 << 7) != 0;
    o.prev = ZeekEndpoint.State.byOrdinal(prev & 7);
    r.prev = ZeekEndpoint.State.byOrdinal(prev >>> 3 & 7);
    int at = from + ZEEK_SEQUENCES;
    o.start = i32(data, at);
    o.last = i32(data, at + 4);
    o.contiguous = i32(data, at + 8);
    r.start = i32(data, at + 12);
    r.last = i32(data, at + 16);
    r.contiguous = i32(data, at + 20);
  }

  /*
   * The rarely set Zeek fields, each one mask bit when it is not zero: the relative positions of
   * the last SYN, FIN and RST, and the counted checksum errors, retransmissions, zero windows and
   * gaps. Absolute, not relative to the side's highest sequence number, which a packet may move in
   * place (InPlaceSegment) without reading the tail.
   */
  private static int rareZeekMask(ZeekEndpoint e) {
    return (e.lastSynAt != 0 ? 1 : 0) | (e.lastFinAt != 0 ? 2 : 0) | (e.lastRstAt != 0 ? 4 : 0)
        | (e.checksumErrors != 0 ? 8 : 0) | (e.retransmissions != 0 ? 16 : 0) | (e.zeroWindows != 0 ? 32 : 0)
        | (e.gaps != 0 ? 64 : 0);
  }

  private static void writeRareZeek(Bytes b, ZeekEndpoint e, int mask) {
    if (mask == 0) {
      return;
    }
    if ((mask & 1) != 0) {
      b.zigzag(e.lastSynAt);
    }
    if ((mask & 2) != 0) {
      b.zigzag(e.lastFinAt);
    }
    if ((mask & 4) != 0) {
      b.zigzag(e.lastRstAt);
    }
    if ((mask & 8) != 0) {
      b.varLong(e.checksumErrors & 0xffff_ffffL);
    }
    if ((mask & 16) != 0) {
      b.varLong(e.retransmissions & 0xffff_ffffL);
    }
    if ((mask & 32) != 0) {
      b.varLong(e.zeroWindows & 0xffff_ffffL);
    }
    if ((mask & 64) != 0) {
      b.varLong(e.gaps & 0xffff_ffffL);
    }
  }

  /** Sets the rare fields, zero unless the mask says otherwise. */
  private static void readRareZeek(Bytes b, ZeekEndpoint e, int mask) {
    e.lastSynAt = (mask & 1) != 0 ? (int) b.zigzag() : 0;
    e.lastFinAt = (mask & 2) != 0 ? (int) b.zigzag() : 0;
    e.lastRstAt = (mask & 4) != 0 ? (int) b.zigzag() : 0;
    e.checksumErrors = (mask & 8) != 0 ? (int) b.varLong() : 0;
    e.retransmissions = (mask & 16) != 0 ? (int) b.varLong() : 0;
    e.zeroWindows = (mask & 32) != 0 ? (int) b.varLong() : 0;
    e.gaps = (mask & 64) != 0 ? (int) b.varLong() : 0;
  }

  private static void writeSide(byte[] data, int at, TcpSide s) {
    setI32(data, at, s.end);
    setI32(data, at + 4, s.maxEnd);
    setI32(data, at + 8, s.maxWindow);
    setI32(data, at + 12, s.maxAck);
  }

  private static void readSide(byte[] data, int at, TcpSide s) {
    s.end = i32(data, at);
    s.maxEnd = i32(data, at + 4);
    s.maxWindow = i32(data, at + 8);
    s.maxAck = i32(data, at + 12);
  }

  // Plain little-endian loads and stores of the fixed fields, for this class and InPlaceSegment.

  static int i32(byte[] data, int at) {
    return (int) I32.get(data, at);
  }

  static long i64(byte[] data, int at) {
    return (long) I64.get(data, at);
  }

  static void setI32(byte[] data, int at, int value) {
    I32.set(data, at, value);
  }

  static void setI64(byte[] data, int at, long value) {
    I64.set(data, at, value);
  }
}

package io.flowinspect.inspect.engine;

/**
 * Binary forms of the engine's state for RocksDB and its changelog, where state outlives the code
 * that wrote it. Keys are fixed-layout and big-endian so that byte order is key order; values
 * start with a format version, and readers refuse versions they do not know instead of guessing.
 */
public final class StateCodec {
  /** Format of {@link #encode(Conn)}; bump it, and keep reading the old one, when the layout changes. */
  public static final int CONN_FORMAT = 1;
  public static final int EXPECTATION_FORMAT = 1;

  private static final int ORIG_IS_HIGH = 1;
  private static final int DENY = 1 << 1;
  private static final int TCP = 1 << 2;
  private static final int HAS_EXPECTATION = 1 << 3;
  private static final int HAS_FTP_LINES = 1 << 4;

  private StateCodec() {}

  /** zone, protocol, family, then each endpoint as address and port: 30 bytes for IPv4. */
  public static byte[] encode(FlowKey k) {
    Bytes b = new Bytes(k.ipv6() ? 54 : 30);
    writeKey(b, k);
    return b.toArray();
  }

  public static FlowKey decodeKey(byte[] data) {
    return readKey(Bytes.reading(data));
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

  public static byte[] encode(Conn c) {
    Bytes b = new Bytes(c.orig == null ? 48 : 112);
    b.u8(CONN_FORMAT);
    int bits = (c.origIsHigh ? ORIG_IS_HIGH : 0) | (c.decision == Decision.DENY ? DENY : 0)
        | (c.orig != null ? TCP : 0) | (c.expectation != null ? HAS_EXPECTATION : 0)
        | (c.ftp != null ? HAS_FTP_LINES : 0);
    b.u8(bits);
    b.u8(c.status);
    // Times as deltas from the first packet: a connection's lifetime fits in a few bytes.
    b.varLong(c.firstNanos);
    b.zigzag(c.lastNanos - c.firstNanos);
    b.zigzag(c.expiresNanos - c.lastNanos);
    b.zigzag(c.indexedNanos == 0 ? 0 : c.indexedNanos - c.firstNanos + 1);
    b.varLong(c.origPackets);
    b.varLong(c.origBytes);
    b.varLong(c.replyPackets);
    b.varLong(c.replyBytes);
    b.string(c.ruleId);
    if (c.orig != null) {
      b.u8(c.tcpState.ordinal());
      side(b, c.orig);
      side(b, c.reply);
      b.u8(c.lastIndex);
      b.u8(c.lastDir);
      b.i32(c.lastSeq);
      b.i32(c.lastAck);
      b.i32(c.lastEnd);
      b.varLong(c.lastWin & 0xffff);
      b.u8(c.lastWscale);
      b.u8(c.lastFlags);
      b.varLong(Math.min(c.retrans, 255));
    } else {
      b.zigzag(c.streamNanos - c.firstNanos);
    }
    if (c.expectation != null) {
      writeExpectationKey(b, c.expectation);
    }
    if (c.ftp != null) {
      b.u8(c.ftp.counts[0]);
      b.u8(c.ftp.counts[1]);
      for (int seq : c.ftp.seqs) {
        b.i32(seq);
      }
    }
    return b.toArray();
  }

  public static Conn decodeConn(byte[] data) {
    Bytes b = Bytes.reading(data);
    int format = b.u8();
    if (format != CONN_FORMAT) {
      throw new IllegalArgumentException("connection state format " + format + " is not known to this version");
    }
    int bits = b.u8();
    Conn c = new Conn((bits & ORIG_IS_HIGH) != 0, 0);
    c.status = b.u8();
    c.firstNanos = b.varLong();
    c.lastNanos = c.firstNanos + b.zigzag();
    c.expiresNanos = c.lastNanos + b.zigzag();
    long indexed = b.zigzag();
    c.indexedNanos = indexed == 0 ? 0 : indexed + c.firstNanos - 1;
    c.origPackets = b.varLong();
    c.origBytes = b.varLong();
    c.replyPackets = b.varLong();
    c.replyBytes = b.varLong();
    c.ruleId = b.string();
    c.decision = (bits & DENY) != 0 ? Decision.DENY : Decision.ALLOW;
    if ((bits & TCP) != 0) {
      c.tcpState = TcpState.of(b.u8());
      c.orig = readSide(b);
      c.reply = readSide(b);
      c.lastIndex = b.u8();
      c.lastDir = b.u8();
      c.lastSeq = b.i32();
      c.lastAck = b.i32();
      c.lastEnd = b.i32();
      c.lastWin = (int) b.varLong();
      c.lastWscale = b.u8();
      c.lastFlags = b.u8();
      c.retrans = (int) b.varLong();
    } else {
      c.streamNanos = c.firstNanos + b.zigzag();
    }
    if ((bits & HAS_EXPECTATION) != 0) {
      c.expectation = readExpectationKey(b);
    }
    if ((bits & HAS_FTP_LINES) != 0) {
      c.ftp = new FtpLineStarts();
      c.ftp.counts[0] = b.u8();
      c.ftp.counts[1] = b.u8();
      for (int i = 0; i < c.ftp.seqs.length; i++) {
        c.ftp.seqs[i] = b.i32();
      }
    }
    return c;
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

  private static void writeExpectationKey(Bytes b, Expectation.Key k) {
    b.i32(k.zone());
    b.u8(k.protocol());
    b.u8(k.ipv6() ? 6 : 4);
    address(b, k.ipv6(), k.sourceHi(), k.sourceLo());
    address(b, k.ipv6(), k.destinationHi(), k.destinationLo());
    b.i32(k.destinationPort());
  }

  private static Expectation.Key readExpectationKey(Bytes b) {
    int zone = b.i32();
    int protocol = b.u8();
    boolean v6 = b.u8() == 6;
    long sHi = v6 ? b.i64() : 0;
    long sLo = v6 ? b.i64() : b.i32() & 0xffff_ffffL;
    long dHi = v6 ? b.i64() : 0;
    long dLo = v6 ? b.i64() : b.i32() & 0xffff_ffffL;
    return new Expectation.Key(zone, protocol, v6, sHi, sLo, dHi, dLo, b.i32());
  }

  private static void side(Bytes b, TcpSide s) {
    b.i32(s.end);
    b.i32(s.maxEnd);
    b.varLong(s.maxWindow & 0xffff_ffffL);
    b.i32(s.maxAck);
    b.u8(s.scale);
    b.u8(s.flags);
  }

  private static TcpSide readSide(Bytes b) {
    TcpSide s = new TcpSide();
    s.end = b.i32();
    s.maxEnd = b.i32();
    s.maxWindow = (int) b.varLong();
    s.maxAck = b.i32();
    s.scale = b.u8();
    s.flags = b.u8();
    return s;
  }
}

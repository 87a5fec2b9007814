package io.flowinspect.inspect.engine;


/**
 * The binary form of a {@link FlowHistory}, kept small because it lives in RocksDB beside every
 * tracked connection. Values that are what a normal connection would have are left out:
 *
 * <pre>
 * flags        1  flipped, started, has TCP sequence state, has counters; port facts until started
 * states       1  Zeek's originator and responder state, 3 bits each; has exceptions
 * letters      1+ count, then 4 bits a letter (8 for the rare ones)
 * counters     0 | 1 + varints   C, T, W, G per side, only those not zero
 * TCP          1  previous states, FIN seen per side
 *              per side that sent: last sequence number as a zigzag varint from a reference the
 *              caller supplies (the TCP tracker's window end: usually 0), octets since its start (varint)
 * exceptions   0 | 1 + varints   last SYN/FIN/RST positions and seen-stream end, only where unusual
 * </pre>
 *
 * A UDP flow "Dd" takes 4 bytes; a TCP connection "ShADadFf" 8 bytes plus 10 to 12 of sequence
 * numbers (FlowHistoryCodecTest). No version byte: the connection record around it has one.
 */
final class FlowHistoryCodec {
  private static final int TCP_SEQUENCES = 1 << 2;
  private static final int COUNTERS = 1 << 3;
  private static final int EXCEPTIONS = 1 << 6;

  private FlowHistoryCodec() {}

  /**
   * Writes {@code h}; {@code originalRef} and {@code replyRef} are numbers the reader will know,
   * close to the last sequence numbers of conntrack's original and reply senders (their TCP window
   * ends), so that those are stored as small differences rather than four random bytes each; 0
   * when there are none. Zeek's sides are conntrack's swapped when the history is flipped.
   */
  static void write(FlowHistory h, Bytes out, int originalRef, int replyRef) {
    int origRef = h.flipped() ? replyRef : originalRef;
    int respRef = h.flipped() ? originalRef : replyRef;
    ZeekEndpoint o = h.orig;
    ZeekEndpoint r = h.resp;
    boolean tcp = tracksSequences(o) || tracksSequences(r);
    int counters = counterBits(o, 0) | counterBits(r, 4);
    int exceptions = exceptionBits(o, h.letters.contains('R'), 0) | exceptionBits(r, h.letters.contains('r'), 4);
    out.u8(h.flags | (tcp ? TCP_SEQUENCES : 0) | (counters != 0 ? COUNTERS : 0));
    out.u8(o.state.ordinal() | r.state.ordinal() << 3 | (exceptions != 0 ? EXCEPTIONS : 0));
    h.letters.writeTo(out);
    if (counters != 0) {
      out.u8(counters);
      writeCounters(out, o, counters);
      writeCounters(out, r, counters >>> 4);
    }
    if (tcp) {
      out.u8(o.prev.ordinal() | r.prev.ordinal() << 3 | (o.finSeen ? 1 << 6 : 0) | (r.finSeen ? 1 << 7 : 0));
      writeSequences(out, o, origRef);
      writeSequences(out, r, respRef);
    }
    if (exceptions != 0) {
      out.u8(exceptions);
      writeExceptions(out, o, exceptions);
      writeExceptions(out, r, exceptions >>> 4);
    }
  }

  static FlowHistory read(Bytes in, int originalRef, int replyRef) {
    return read(in, originalRef, replyRef, new FlowHistory());
  }

  /** {@link #read(Bytes, int, int)} into {@code h}, whatever it held before (a decoder reusing it). */
  static FlowHistory read(Bytes in, int originalRef, int replyRef, FlowHistory h) {
    h.orig.clear();
    h.resp.clear();
    int flags = in.u8();
    int states = in.u8();
    h.flags = flags & ~(TCP_SEQUENCES | COUNTERS);
    h.orig.state = ZeekEndpoint.State.byOrdinal(states & 7);
    h.resp.state = ZeekEndpoint.State.byOrdinal(states >>> 3 & 7);
    h.letters.readInto(in); // replaces what the history's letters held, in their own array
    int origRef = h.flipped() ? replyRef : originalRef;
    int respRef = h.flipped() ? originalRef : replyRef;
    if ((flags & COUNTERS) != 0) {
      int counters = in.u8();
      readCounters(in, h.orig, counters);
      readCounters(in, h.resp, counters >>> 4);
    }
    if ((flags & TCP_SEQUENCES) != 0) {
      int b = in.u8();
      h.orig.prev = ZeekEndpoint.State.byOrdinal(b & 7);
      h.resp.prev = ZeekEndpoint.State.byOrdinal(b >>> 3 & 7);
      h.orig.finSeen = (b & 1 << 6) != 0;
      h.resp.finSeen = (b & 1 << 7) != 0;
      readSequences(in, h.orig, origRef);
      readSequences(in, h.resp, respRef);
    }
    if ((states & EXCEPTIONS) != 0) {
      int exceptions = in.u8();
      readExceptions(in, h.orig, exceptions);
      readExceptions(in, h.resp, exceptions >>> 4);
    }
    return h;
  }

  /** A TCP side that has sent: only then do its sequence numbers mean anything. */
  private static boolean tracksSequences(ZeekEndpoint e) {
    return e.state != ZeekEndpoint.State.INACTIVE && e.state != ZeekEndpoint.State.ACTIVE;
  }

  private static int counterBits(ZeekEndpoint e, int shift) {
    int bits = (e.checksumErrors != 0 ? 1 : 0) | (e.retransmissions != 0 ? 2 : 0) | (e.zeroWindows != 0 ? 4 : 0)
        | (e.gaps != 0 ? 8 : 0);
    return bits << shift;
  }

  private static void writeCounters(Bytes out, ZeekEndpoint e, int bits) {
    if ((bits & 1) != 0) {
      writeVarint(out, e.checksumErrors);
    }
    if ((bits & 2) != 0) {
      writeVarint(out, e.retransmissions);
    }
    if ((bits & 4) != 0) {
      writeVarint(out, e.zeroWindows);
    }
    if ((bits & 8) != 0) {
      writeVarint(out, e.gaps);
    }
  }

  private static void readCounters(Bytes in, ZeekEndpoint e, int bits) {
    e.checksumErrors = (bits & 1) != 0 ? readVarint(in) : 0;
    e.retransmissions = (bits & 2) != 0 ? readVarint(in) : 0;
    e.zeroWindows = (bits & 4) != 0 ? readVarint(in) : 0;
    e.gaps = (bits & 8) != 0 ? readVarint(in) : 0;
  }

  private static void writeSequences(Bytes out, ZeekEndpoint e, int ref) {
    if (tracksSequences(e)) {
      out.zigzag(e.last - ref);
      writeVarint(out, e.last - e.start);
    }
  }

  private static void readSequences(Bytes in, ZeekEndpoint e, int ref) {
    if (tracksSequences(e)) {
      e.last = ref + (int) in.zigzag();
      e.start = e.last - readVarint(in);
      e.contiguous = usualContiguous(e);
      e.lastFinAt = e.last - e.start - 1;
      e.lastRstAt = e.last - e.start;
    }
  }

  /*
   * The usual values, left out: no SYN since the side's start, its FIN (the octet before the
   * last one) and RST (at the last one) where the stream ended, nothing unseen below the last
   * octet. A FIN or RST position matters only once the side has sent one (then its letter is in
   * the side's case: no flip can come after a FIN or RST).
   */
  private static int exceptionBits(ZeekEndpoint e, boolean sentRst, int shift) {
    if (!tracksSequences(e)) {
      return 0;
    }
    int span = e.last - e.start;
    int bits = (e.lastSynAt != 0 ? 1 : 0) | (e.finSeen && e.lastFinAt != span - 1 ? 2 : 0)
        | (sentRst && e.lastRstAt != span ? 4 : 0) | (e.contiguous != usualContiguous(e) ? 8 : 0);
    return bits << shift;
  }

  /** All seen up to the last octet, or to the FIN's when the side closed. */
  private static int usualContiguous(ZeekEndpoint e) {
    return e.finSeen ? e.last - 1 : e.last;
  }

  private static void writeExceptions(Bytes out, ZeekEndpoint e, int bits) {
    int span = e.last - e.start;
    if ((bits & 1) != 0) {
      writeZigzag(out, e.lastSynAt);
    }
    if ((bits & 2) != 0) {
      writeZigzag(out, e.lastFinAt - (span - 1));
    }
    if ((bits & 4) != 0) {
      writeZigzag(out, e.lastRstAt - span);
    }
    if ((bits & 8) != 0) {
      writeZigzag(out, usualContiguous(e) - e.contiguous);
    }
  }

  private static void readExceptions(Bytes in, ZeekEndpoint e, int bits) {
    if ((bits & 1) != 0) {
      e.lastSynAt = readZigzag(in);
    }
    if ((bits & 2) != 0) {
      e.lastFinAt += readZigzag(in);
    }
    if ((bits & 4) != 0) {
      e.lastRstAt += readZigzag(in);
    }
    if ((bits & 8) != 0) {
      e.contiguous = usualContiguous(e) - readZigzag(in);
    }
  }

  /** An int read as unsigned 32 bits, in LEB128. */
  static void writeVarint(Bytes out, int value) {
    long v = value & 0xffff_ffffL;
    while ((v & ~0x7fL) != 0) {
      out.u8((int) (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.u8((int) v);
  }

  static int readVarint(Bytes in) {
    long v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.u8();
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return (int) v;
      }
    }
    throw new IllegalArgumentException("varint longer than 5 bytes");
  }

  private static void writeZigzag(Bytes out, int value) {
    writeVarint(out, (value << 1) ^ (value >> 31));
  }

  private static int readZigzag(Bytes in) {
    int v = readVarint(in);
    return (v >>> 1) ^ -(v & 1);
  }
}

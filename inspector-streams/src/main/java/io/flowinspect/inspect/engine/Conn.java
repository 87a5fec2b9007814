package io.flowinspect.inspect.engine;

/**
 * The tracked state of one connection, the engine's counterpart of the kernel's {@code nf_conn}.
 * Mutable on purpose: the tracker updates it in place for every packet (a copy per packet would
 * triple the engine's allocation rate), then the table stores it. Only engine code touches the
 * fields; others read through the accessors.
 */
public final class Conn {
  static final int SEEN_REPLY = 1;
  static final int ASSURED = 1 << 1;
  /** Created by an expectation (FTP data): packets before the reply are RELATED, not NEW. */
  static final int EXPECTED = 1 << 2;

  /** The original direction's sender is the key's high endpoint. */
  boolean origIsHigh;
  int status;
  long firstNanos;
  long lastNanos;
  long expiresNanos;
  /** Deadline of this connection's entry in the expiry index (0: none); see ConnectionTracker#save. */
  long indexedNanos;
  long origPackets;
  long origBytes;
  long replyPackets;
  long replyBytes;

  Decision decision = Decision.ALLOW;
  String ruleId = "";

  // TCP (the kernel's ip_ct_tcp)
  TcpState tcpState = TcpState.NONE;
  TcpSide orig;
  TcpSide reply;
  int lastIndex = TcpSegmentKind.NONE.ordinal();
  int lastDir;
  int lastSeq;
  int lastAck;
  int lastEnd;
  int lastWin;
  int lastWscale;
  int lastFlags;
  int retrans;

  /** UDP: until when a reply does not yet make the flow a stream. */
  long streamNanos;

  /** FTP control connection: the expectation it created last (the kernel allows one per master). */
  Expectation.Key expectation;
  /** FTP control connection: where lines start in each direction. */
  FtpLineStarts ftp;
  /**
   * What Zeek would log for this connection: history letters and conn_state. Set once, by
   * {@link #open} or by the decoder, so that loading a connection allocates no throw-away history.
   */
  FlowHistory history;

  Conn(boolean origIsHigh, long nowNanos) {
    this.origIsHigh = origIsHigh;
    this.firstNanos = nowNanos;
    this.lastNanos = nowNanos;
  }

  /**
   * Makes this connection what {@code new Conn(origIsHigh, 0)} is, except that it keeps its TCP
   * sides and history objects for a decoder to fill again ({@link StateCodec}, decoding one
   * packed connection after another into the same object, allocates nothing but what it must).
   */
  Conn clearForReuse(boolean origIsHigh) {
    this.origIsHigh = origIsHigh;
    status = 0;
    firstNanos = 0;
    lastNanos = 0;
    expiresNanos = 0;
    indexedNanos = 0;
    origPackets = 0;
    origBytes = 0;
    replyPackets = 0;
    replyBytes = 0;
    decision = Decision.ALLOW;
    ruleId = "";
    tcpState = TcpState.NONE;
    lastIndex = TcpSegmentKind.NONE.ordinal();
    lastDir = 0;
    lastSeq = 0;
    lastAck = 0;
    lastEnd = 0;
    lastWin = 0;
    lastWscale = 0;
    lastFlags = 0;
    retrans = 0;
    streamNanos = 0;
    expectation = null;
    ftp = null;
    return this;
  }

  /** A connection opened now by its first packet, from the high endpoint when {@code origIsHigh}. */
  static Conn open(FlowKey key, boolean origIsHigh, long nowNanos) {
    Conn c = new Conn(origIsHigh, nowNanos);
    c.history = FlowHistory.forConnection(key, origIsHigh);
    return c;
  }

  static Conn openTcp(FlowKey key, boolean origIsHigh, long nowNanos) {
    Conn c = open(key, origIsHigh, nowNanos);
    c.orig = new TcpSide();
    c.reply = new TcpSide();
    return c;
  }

  public Direction directionOf(boolean fromHigh) {
    return fromHigh == origIsHigh ? Direction.ORIGINAL : Direction.REPLY;
  }

  TcpSide side(Direction direction) {
    return direction == Direction.ORIGINAL ? orig : reply;
  }

  boolean has(int flag) {
    return (status & flag) != 0;
  }

  void count(Direction direction, int bytes, long nowNanos) {
    if (direction == Direction.ORIGINAL) {
      origPackets++;
      origBytes += bytes;
    } else {
      replyPackets++;
      replyBytes += bytes;
    }
    lastNanos = nowNanos;
  }

  public boolean origIsHigh() {
    return origIsHigh;
  }

  public boolean seenReply() {
    return has(SEEN_REPLY);
  }

  public boolean assured() {
    return has(ASSURED);
  }

  public boolean expected() {
    return has(EXPECTED);
  }

  public long firstNanos() {
    return firstNanos;
  }

  public long lastNanos() {
    return lastNanos;
  }

  public long expiresNanos() {
    return expiresNanos;
  }

  public long origPackets() {
    return origPackets;
  }

  public long origBytes() {
    return origBytes;
  }

  public long replyPackets() {
    return replyPackets;
  }

  public long replyBytes() {
    return replyBytes;
  }

  /** Records the rule set's decision about this connection. */
  public void decide(Decision decision, String ruleId) {
    this.decision = decision;
    this.ruleId = ruleId;
  }

  public Decision decision() {
    return decision;
  }

  public FlowHistory history() {
    return history;
  }

  public String ruleId() {
    return ruleId;
  }

  public TcpState tcpState() {
    return tcpState;
  }
  /**
   * The part of this connection's state that a change must persist at once when only transitions
   * are persisted (the inspector's quiet-changes setting): TCP state, status, decision, whether it
   * announced an expectation, and what its flow record will say (Zeek's endpoint states, history
   * letters so far). Counters, times, sequence windows and the last segment's details are left
   * out: they change with almost every packet. Equal values mean no transition.
   */
  public long transitionSignature() {
    long s = tcpState.ordinal();
    s = s << 8 | (status & 0xff);
    s = s << 1 | decision.ordinal();
    s = s << 1 | (expectation == null ? 0 : 1);
    if (history != null) {
      s = s << 40 | history.transitionSignature();
    }
    return s;
  }

  /**
   * For a connection read back from a store that may be behind it (changes lost in a crash, with
   * quiet changes on): both sides learn their sequence windows again from their next segment, as
   * after the kernel's mid-stream pickup; window scaling and SACK, agreed at the handshake, stay.
   */
  public void forgetWindows() {
    if (orig != null) {
      orig.maxWindow = 0;
      reply.maxWindow = 0;
    }
  }
}

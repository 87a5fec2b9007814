package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.FixedConnLayout.ACK_LETTER;
import static io.flowinspect.inspect.engine.FixedConnLayout.BITS;
import static io.flowinspect.inspect.engine.FixedConnLayout.DATA_LETTER;
import static io.flowinspect.inspect.engine.FixedConnLayout.EXPIRES_NANOS;
import static io.flowinspect.inspect.engine.FixedConnLayout.HISTORY_FLAGS;
import static io.flowinspect.inspect.engine.FixedConnLayout.INDEXED_NANOS;
import static io.flowinspect.inspect.engine.FixedConnLayout.LAST_NANOS;
import static io.flowinspect.inspect.engine.FixedConnLayout.LAST_SEQ;
import static io.flowinspect.inspect.engine.FixedConnLayout.LETTERS_SEEN;
import static io.flowinspect.inspect.engine.FixedConnLayout.ORIG_IS_HIGH;
import static io.flowinspect.inspect.engine.FixedConnLayout.ORIG_PACKETS;
import static io.flowinspect.inspect.engine.FixedConnLayout.RETRANS;
import static io.flowinspect.inspect.engine.FixedConnLayout.SIDE_FLAGS;
import static io.flowinspect.inspect.engine.FixedConnLayout.STATUS;
import static io.flowinspect.inspect.engine.FixedConnLayout.TCP;
import static io.flowinspect.inspect.engine.FixedConnLayout.TCP_SIDES;
import static io.flowinspect.inspect.engine.FixedConnLayout.TCP_STATE_AND_LAST;
import static io.flowinspect.inspect.engine.FixedConnLayout.TCP_TAIL;
import static io.flowinspect.inspect.engine.FixedConnLayout.ZEEK_SEQUENCES;
import static io.flowinspect.inspect.engine.FixedConnLayout.ZEEK_STATES;
import static io.flowinspect.inspect.engine.FixedConnLayout.i32;
import static io.flowinspect.inspect.engine.FixedConnLayout.i64;
import static io.flowinspect.inspect.engine.FixedConnLayout.setI32;
import static io.flowinspect.inspect.engine.FixedConnLayout.setI64;
import static io.flowinspect.inspect.engine.TcpSide.DATA_UNACKNOWLEDGED;
import static io.flowinspect.inspect.engine.TcpSide.MAXACK_SET;
import static io.flowinspect.inspect.engine.TcpSide.SACK_PERMITTED;

/**
 * The most common packet of all, inspected on the connection's bytes where they lie: a data or
 * ACK segment of an established, assured TCP connection that fits both windows and changes
 * nothing but counters, times, window edges and the retransmission fields. The connection is in
 * {@link FixedConnLayout}, as packed memory holds it; nothing is decoded, allocated or encoded.
 *
 * <p>This is TCP header prediction (Van Jacobson's fast path) applied to the tracker: the full
 * engine ({@link TcpTracker}, {@link TcpWindow}, {@link FlowHistory}, {@link ConnectionTracker})
 * decides every other packet, and this class takes a packet only when it can tell, from the fixed
 * fields alone, that the full engine would do exactly what it does here. Anything else (a control
 * flag, a bound not met, a letter Zeek would add, an expiry index entry to write, an FTP control
 * line, a connection not established both ways) is declined before a byte is written, and the
 * packet goes the full way. That the two agree is tested packet by packet
 * ({@code InPlaceSegmentTest}) and on whole captures.
 *
 * <p>Not thread-safe: one per tracker, prepared for one packet at a time.
 */
final class InPlaceSegment implements ConnectionTable.InPlaceUpdate {
  private static final int CONTROL_FLAGS = Packet.SYN | Packet.FIN | Packet.RST;
  private static final int ESTABLISHED = TcpState.ESTABLISHED.ordinal();
  private static final int ZEEK_ESTABLISHED = ZeekEndpoint.State.ESTABLISHED.ordinal();
  /** Both Zeek endpoints established and neither has sent a FIN (byte 5 of the layout). */
  private static final int ZEEK_BOTH_ESTABLISHED = ZEEK_ESTABLISHED | ZEEK_ESTABLISHED << 3;
  private static final int ACK_KIND = TcpSegmentKind.ACK.ordinal();
  /** The kernel's MAXACKWINCONST (as {@link TcpWindow}). */
  private static final int MAX_ACK_WINDOW = 66000;

  private final TrackerConfig config;
  private TimeoutNanos timeouts;

  private FlowKey key;
  private Packet p;
  private Classification result;

  InPlaceSegment(TrackerConfig config) {
    this.config = config;
  }

  void use(TimeoutNanos timeouts) {
    this.timeouts = timeouts;
  }

  /**
   * Whether {@code p}, a TCP segment that is not an ICMP error and passed
   * {@link TcpTracker#malformation}, is one this class may take at all, judged from the packet
   * alone: ACK set and no SYN, FIN or RST (the kernel's ACK kind), a window other than zero. If so,
   * it is remembered for {@link #apply}.
   */
  boolean prepare(FlowKey key, Packet p) {
    if ((p.tcpFlags() & (CONTROL_FLAGS | Packet.ACK)) != Packet.ACK || p.window() == 0) {
      return false;
    }
    this.key = key;
    this.p = p;
    this.result = null;
    return true;
  }

  /** How the last packet {@link #apply} took is classified. */
  Classification result() {
    return result;
  }

  @Override
  public boolean apply(byte[] d, int from, int length) {
    if (length < TCP_TAIL || (d[from + BITS] & TCP) == 0) {
      return false;
    }
    int status = d[from + STATUS] & 0xff;
    int stateAndLast = d[from + TCP_STATE_AND_LAST] & 0xff;
    int zeekStates = d[from + ZEEK_STATES] & 0xff; // FIN-seen bits included: both must be clear
    int replied = Conn.SEEN_REPLY | Conn.ASSURED;
    if ((stateAndLast & 0xf) != ESTABLISHED || (status & replied) != replied || zeekStates != ZEEK_BOTH_ESTABLISHED
        || (d[from + HISTORY_FLAGS] & FlowHistory.STARTED) == 0) {
      return false;
    }
    long now = p.timeNanos();
    if (i64(d, from + EXPIRES_NANOS) <= now) {
      return false; // expired: the full path ends it
    }
    boolean origIsHigh = (d[from + BITS] & ORIG_IS_HIGH) != 0;
    boolean original = p.fromHigh() == origIsHigh;
    int payload = p.payloadLength();
    if (payload > 0 && config.isFtpPort(key.port(!origIsHigh))) {
      return false; // an FTP control connection's lines are the helper's
    }

    // Zeek's side of it (FlowHistory.tcp), checked before the window so that nothing is written on a decline.
    boolean zeekOrig = original != ((d[from + HISTORY_FLAGS] & FlowHistory.FLIPPED) != 0);
    int letter = payload > 0 ? DATA_LETTER : ACK_LETTER;
    if ((d[from + LETTERS_SEEN] & (zeekOrig ? letter : letter << 1)) == 0) {
      return false; // the first D or A of this side: a letter to add
    }
    int ep = from + ZEEK_SEQUENCES + (zeekOrig ? 0 : 12);
    int peer = from + ZEEK_SEQUENCES + (zeekOrig ? 12 : 0);
    int seq = p.seq();
    int ack = p.ack();
    int end = seq + payload;
    int epLast = i32(d, ep + 4);
    boolean advances = end - epLast > 0;
    if (!advances && payload > 0) {
      return false; // Zeek counts a retransmission ('T')
    }
    int peerStart = i32(d, peer);
    int peerContiguous = i32(d, peer + 8);
    boolean acksNew = Seq.after(ack, peerContiguous);
    if (acksNew && Seq.after(ack - peerStart, 2)) {
      return false; // an acknowledgement of octets never seen: a content gap ('G')
    }
    int epContiguous = i32(d, ep + 8);
    if (payload > 0 && !Seq.after(seq, epContiguous) && Seq.after(end, epContiguous)) {
      epContiguous = Seq.after(epLast, epContiguous) && Seq.after(epLast, end) ? epLast : end;
    }

    // Conntrack's window check (TcpWindow.check for a non-SYN segment of a side already seen).
    int dir = original ? 0 : 1;
    int sender = from + TCP_SIDES + 16 * dir;
    int receiver = from + TCP_SIDES + 16 * (1 - dir);
    int senderFlags = d[from + SIDE_FLAGS + 2 * dir] & 0xff;
    int senderScale = d[from + SIDE_FLAGS + 2 * dir + 1] & 0xff;
    int receiverFlags = d[from + SIDE_FLAGS + 2 * (1 - dir)] & 0xff;
    int senderEnd = i32(d, sender);
    int senderMaxEnd = i32(d, sender + 4);
    int senderMaxWindow = i32(d, sender + 8);
    int senderMaxAck = i32(d, sender + 12);
    int receiverEnd = i32(d, receiver);
    int receiverMaxEnd = i32(d, receiver + 4);
    int receiverMaxWindow = i32(d, receiver + 8);
    if (senderMaxWindow == 0 || receiverMaxWindow == 0) {
      return false; // a side not seen yet: the full check learns it
    }
    int sack = ack;
    if ((receiverFlags & SACK_PERMITTED) != 0 && p.hasSack() && Seq.after((int) p.sackEdge(), sack)) {
      sack = (int) p.sackEdge();
    }
    int maxAckWindow = Seq.greaterUnsigned(senderMaxWindow, MAX_ACK_WINDOW) ? senderMaxWindow : MAX_ACK_WINDOW;
    if (!Seq.before(seq, senderMaxEnd + 1) || !Seq.before(sack, receiverEnd + 1)
        || !Seq.after(end, senderEnd - receiverMaxWindow - 1) || !Seq.after(sack, receiverEnd - maxAckWindow - 1)) {
      return false; // out of window: the full check says how
    }
    int win = p.window() << senderScale;
    int window = win + (sack - ack);
    if (Seq.greaterUnsigned(window, senderMaxWindow)) {
      senderMaxWindow = window;
    }
    if (Seq.after(end, senderEnd)) {
      senderEnd = end;
      senderFlags |= DATA_UNACKNOWLEDGED;
    }
    if ((senderFlags & MAXACK_SET) == 0) {
      senderMaxAck = ack;
      senderFlags |= MAXACK_SET;
    } else if (Seq.after(ack, senderMaxAck)) {
      senderMaxAck = ack;
    }
    if (Seq.after(end, senderMaxEnd)) {
      receiverMaxWindow += end - senderMaxEnd;
    }
    if (Seq.after(sack + win, receiverMaxEnd - 1)) {
      receiverMaxEnd = sack + win; // win is not zero (prepare)
    }
    if (ack == receiverEnd) {
      receiverFlags &= ~DATA_UNACKNOWLEDGED;
    }
    // The retransmission fields (TcpWindow.countRetransmission).
    int last = from + LAST_SEQ;
    int lastDir = stateAndLast >>> 7;
    int retrans = i32(d, from + RETRANS);
    boolean repeated = lastDir == dir && i32(d, last) == seq && i32(d, last + 4) == ack && i32(d, last + 8) == end
        && i32(d, last + 12) == p.window();
    retrans = repeated ? (retrans < Integer.MAX_VALUE ? retrans + 1 : retrans) : 0;

    // The timeout (TcpTracker.settle, established and assured), then the expiry index (ConnectionTracker.save).
    TimeoutNanos t = timeouts;
    long forState = t.tcp(TcpState.ESTABLISHED);
    long timeout;
    if (retrans >= TcpTracker.MAX_RETRANS && forState > t.tcpRetransmit) {
      timeout = t.tcpRetransmit;
    } else if (((senderFlags | receiverFlags) & DATA_UNACKNOWLEDGED) != 0 && forState > t.tcpUnacknowledged) {
      timeout = t.tcpUnacknowledged;
    } else {
      timeout = forState; // the last window is this packet's, not zero
    }
    long expires = now + timeout;
    long indexed = i64(d, from + INDEXED_NANOS);
    if (indexed == 0 || expires < indexed) {
      return false; // the expiry index needs an earlier entry
    }

    // Accepted: write it all.
    setI32(d, sender, senderEnd);
    setI32(d, sender + 8, senderMaxWindow);
    setI32(d, sender + 12, senderMaxAck);
    setI32(d, receiver + 4, receiverMaxEnd);
    setI32(d, receiver + 8, receiverMaxWindow);
    d[from + SIDE_FLAGS + 2 * dir] = (byte) senderFlags;
    d[from + SIDE_FLAGS + 2 * (1 - dir)] = (byte) receiverFlags;
    if (!repeated) {
      setI32(d, last, seq);
      setI32(d, last + 4, ack);
      setI32(d, last + 8, end);
      setI32(d, last + 12, p.window());
    }
    setI32(d, from + RETRANS, retrans);
    d[from + TCP_STATE_AND_LAST] = (byte) (ESTABLISHED | ACK_KIND << 4 | dir << 7);
    setI64(d, from + EXPIRES_NANOS, expires);
    int counters = from + ORIG_PACKETS + 16 * dir;
    setI64(d, counters, i64(d, counters) + 1);
    setI64(d, counters + 8, i64(d, counters + 8) + p.length());
    setI64(d, from + LAST_NANOS, now);
    if (advances) {
      setI32(d, ep + 4, end);
    }
    setI32(d, ep + 8, epContiguous);
    if (acksNew) {
      setI32(d, peer + 8, ack);
    }
    result = original ? Classification.ESTABLISHED_ORIGINAL : Classification.ESTABLISHED_REPLY;
    return true;
  }
}

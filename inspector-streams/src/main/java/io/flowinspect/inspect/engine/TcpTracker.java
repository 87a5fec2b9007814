package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.TcpSide.BE_LIBERAL;
import static io.flowinspect.inspect.engine.TcpSide.CLOSE_INIT;
import static io.flowinspect.inspect.engine.TcpSide.DATA_UNACKNOWLEDGED;
import static io.flowinspect.inspect.engine.TcpSide.MAXACK_SET;
import static io.flowinspect.inspect.engine.TcpSide.SACK_PERMITTED;
import static io.flowinspect.inspect.engine.TcpSide.WINDOW_SCALE;

/**
 * Linux conntrack's TCP tracker ({@code nf_conntrack_tcp_packet} and {@code tcp_in_window}, kernel
 * 6.x) over the engine's {@link Conn}: the state table, the IGNORE path that lets a firewall that
 * lost sync catch up, reopening of closed tuples, RST validation, van Rooij's sequence and
 * acknowledgement window checks, and the timeout choice. It mutates the connection only for
 * packets it accepts; the caller decides what the packet is (NEW, ESTABLISHED, ...).
 */
final class TcpTracker {
  /** After this many identical retransmissions the short retransmission timeout applies. */
  static final int MAX_RETRANS = 3;

  // Annotations of the last ignored segment (the kernel's last_flags), beside TcpSide's flags.
  private static final int EXPECT_CHALLENGE_ACK = 0x40;
  private static final int SIMULTANEOUS_OPEN = 0x80;

  private final TrackerConfig config;
  private final TcpWindow window;
  private TimeoutNanos timeouts;

  TcpTracker(TrackerConfig config) {
    this.config = config;
    this.window = new TcpWindow(config.liberal());
    this.timeouts = TimeoutNanos.of(config.timeouts(), 1);
  }

  /** The timeouts to give connections from now on (shorter under pressure). */
  void use(TimeoutNanos value) {
    timeouts = value;
  }

  /** The outcome for one segment. */
  enum Action {
    /** In window and in state: the connection was updated. */
    ACCEPT,
    /** In window and in state, and it was the connection's first answer a reset: forget the connection. */
    ACCEPT_AND_FORGET,
    /** Passed without changing state (the tracker may be out of sync, or it was a harmless retransmission). */
    IGNORE,
    /** Does not fit the connection; nothing changed. */
    INVALID,
    /** A SYN reopening a closed tuple: forget the old connection and start a new one with this packet. */
    REOPEN
  }

  record Result(Action action, String reason) {
    static final Result ACCEPT = new Result(Action.ACCEPT, null);
    static final Result ACCEPT_AND_FORGET = new Result(Action.ACCEPT_AND_FORGET, null);
    static final Result IGNORE = new Result(Action.IGNORE, null);
    static final Result REOPEN = new Result(Action.REOPEN, null);

    static Result invalid(String reason) {
      return new Result(Action.INVALID, reason);
    }
  }

  /** Checks that need no connection ({@code tcp_error}); returns why the segment is invalid, or null. */
  String malformation(Packet p) {
    if (p.malformed()) {
      return "truncated packet";
    }
    if (config.checksums() && p.checksumBad()) {
      return "bad checksum";
    }
    if (!TcpSegmentKind.validCombination(p.tcpFlags())) {
      return "invalid tcp flag combination";
    }
    return null;
  }

  /**
   * Initializes a connection from its first segment ({@code tcp_new}); returns why it cannot
   * start one, or null. A SYN starts in SYN_SENT; an ACK picks up a connection whose handshake we
   * missed, then both sides are tracked liberally because their window scales are unknown.
   */
  String start(Conn ct, Packet p) {
    TcpSegmentKind kind = TcpSegmentKind.of(p.tcpFlags());
    int next = TcpTransitions.next(Direction.ORIGINAL, kind, TcpState.NONE);
    if (next == TcpTransitions.INVALID) {
      return "invalid new";
    }
    TcpSide sender = ct.orig;
    sender.end = p.end();
    sender.maxWindow = p.window() == 0 ? 1 : p.window();
    if (next == TcpState.SYN_SENT.ordinal()) {
      sender.maxEnd = sender.end;
      TcpWindow.readOptions(sender, p);
    } else if (!config.pickup()) {
      return "mid-stream pickup disabled";
    } else {
      sender.maxEnd = sender.end + sender.maxWindow;
      ct.orig.flags = SACK_PERMITTED | BE_LIBERAL;
      ct.reply.flags = SACK_PERMITTED | BE_LIBERAL;
    }
    ct.lastIndex = TcpSegmentKind.NONE.ordinal();
    return null;
  }

  /** Tracks one segment of an existing (or just started) connection. */
  Result track(Conn ct, Packet p, Direction dir, long now) {
    TcpState old = ct.tcpState;
    TcpSegmentKind kind = TcpSegmentKind.of(p.tcpFlags());
    int next = TcpTransitions.next(dir, kind, old);
    boolean checkWindow = true;

    if (next == TcpState.SYN_SENT.ordinal() && old.ordinal() >= TcpState.TIME_WAIT.ordinal()) {
      // RFC 1122 allows a SYN to reopen a tuple in TIME-WAIT; the kernel also reopens one that was
      // closed by a FIN, or aborted by a RST from this same side.
      if (((ct.orig.flags | ct.reply.flags) & CLOSE_INIT) != 0
          || (ct.lastDir == dir.index() && ct.lastIndex == TcpSegmentKind.RST.ordinal())) {
        return Result.REOPEN;
      }
      next = TcpTransitions.IGNORE;
    }
    if (next == TcpTransitions.IGNORE) {
      if (!resyncsOnIgnoredSyn(ct, p, dir, kind)) {
        annotateIgnored(ct, p, dir, kind, old);
        return Result.IGNORE;
      }
      // This SYN/ACK answers a SYN we ignored: client and server agree, we were the ones out of sync.
      old = TcpState.SYN_SENT;
      next = TcpState.SYN_RECV.ordinal();
    } else if (next == TcpTransitions.INVALID) {
      return Result.invalid(kind.name().toLowerCase(java.util.Locale.ROOT) + " in " + dir.label() + " direction invalid in "
          + old);
    } else if (next == TcpState.TIME_WAIT.ordinal()) {
      if (old == TcpState.LAST_ACK && kind == TcpSegmentKind.ACK && ct.lastDir != dir.index()
          && ct.lastIndex == TcpSegmentKind.SYN.ordinal() && (ct.lastFlags & EXPECT_CHALLENGE_ACK) != 0) {
        // RFC 5961 challenge ACK answering a spurious SYN: it does not acknowledge the last FIN.
        ct.lastFlags &= ~EXPECT_CHALLENGE_ACK;
        return Result.IGNORE;
      }
    } else if (next == TcpState.SYN_SENT2.ordinal()) {
      ct.lastFlags |= SIMULTANEOUS_OPEN;
    } else if (next == TcpState.SYN_RECV.ordinal()) {
      if (dir == Direction.REPLY && kind == TcpSegmentKind.ACK && (ct.lastFlags & SIMULTANEOUS_OPEN) != 0) {
        next = TcpState.ESTABLISHED.ordinal();
      }
    } else if (next == TcpState.CLOSE.ordinal() && kind == TcpSegmentKind.RST) {
      int rst = checkReset(ct, p, dir, old);
      if (rst == RST_INVALID) {
        return Result.invalid("invalid rst");
      }
      if ((rst & RST_KEEP_STATE) != 0) {
        next = old.ordinal();
      }
      if ((rst & RST_SKIP_WINDOW) != 0) {
        checkWindow = false;
      }
    }

    if (checkWindow) {
      Result window = this.window.check(ct, p, dir, kind);
      if (window.action() == Action.IGNORE) {
        return window;
      }
      if (window.action() == Action.INVALID) {
        shortenTimeoutOfDesyncedConnection(ct, dir, kind, now);
        return window;
      }
    }

    TcpState newState = TcpState.of(next);
    ct.lastIndex = kind.ordinal();
    ct.lastDir = dir.index();
    ct.tcpState = newState;
    if (old != newState && newState == TcpState.FIN_WAIT) {
      ct.side(dir).flags |= CLOSE_INIT;
    }
    return settle(ct, p, kind, old, newState, now);
  }

  /** Timeout choice and the unreplied special cases of {@code nf_conntrack_tcp_packet}. */
  private Result settle(Conn ct, Packet p, TcpSegmentKind kind, TcpState old, TcpState newState, long now) {
    TimeoutNanos t = timeouts;
    long forState = t.tcp(newState);
    long retransmit = t.tcpRetransmit;
    long unacknowledged = t.tcpUnacknowledged;
    long timeout;
    if (ct.retrans >= MAX_RETRANS && forState > retransmit) {
      timeout = retransmit;
    } else if (kind == TcpSegmentKind.RST) {
      timeout = t.tcpClose;
    } else if (((ct.orig.flags | ct.reply.flags) & DATA_UNACKNOWLEDGED) != 0 && forState > unacknowledged) {
      timeout = unacknowledged;
    } else if (ct.lastWin == 0 && forState > retransmit) {
      timeout = retransmit;
    } else {
      timeout = forState;
    }

    if (!ct.has(Conn.SEEN_REPLY)) {
      if (p.has(Packet.RST)) {
        // A connection whose only answer is a reset never existed: forget it at once.
        return Result.ACCEPT_AND_FORGET;
      }
      if (kind == TcpSegmentKind.SYN && old == TcpState.SYN_SENT) {
        // A retransmitted SYN does not extend the entry, or port reuse could keep it alive forever.
        return Result.ACCEPT;
      }
      if (newState == TcpState.ESTABLISHED && timeout > unacknowledged) {
        timeout = unacknowledged; // picked up mid-stream and unanswered: do not hold it for days
      }
    } else if (!ct.has(Conn.ASSURED) && (old == TcpState.SYN_RECV || old == TcpState.ESTABLISHED)
        && newState == TcpState.ESTABLISHED) {
      ct.status |= Conn.ASSURED;
    }
    ct.expiresNanos = now + timeout;
    return Result.ACCEPT;
  }

  private boolean resyncsOnIgnoredSyn(Conn ct, Packet p, Direction dir, TcpSegmentKind kind) {
    if (kind != TcpSegmentKind.SYNACK || ct.lastIndex != TcpSegmentKind.SYN.ordinal() || ct.lastDir == dir.index()
        || p.ack() != ct.lastEnd) {
      return false;
    }
    TcpSide synSender = ct.lastDir == Direction.ORIGINAL.index() ? ct.orig : ct.reply;
    synSender.end = ct.lastEnd;
    synSender.maxEnd = ct.lastEnd;
    synSender.maxWindow = ct.lastWin == 0 ? 1 : ct.lastWin;
    synSender.scale = ct.lastWscale;
    ct.lastFlags &= ~EXPECT_CHALLENGE_ACK;
    synSender.flags = ct.lastFlags;
    ct.side(dir).reset();
    return true;
  }

  /** Remembers an ignored segment so that a later answer to it can resynchronize the tracker. */
  private void annotateIgnored(Conn ct, Packet p, Direction dir, TcpSegmentKind kind, TcpState old) {
    ct.lastIndex = kind.ordinal();
    ct.lastDir = dir.index();
    ct.lastSeq = p.seq();
    ct.lastEnd = p.end();
    ct.lastWin = p.window();
    if (kind == TcpSegmentKind.SYN && dir == Direction.ORIGINAL) {
      TcpSide seen = new TcpSide();
      TcpWindow.readOptions(seen, p);
      ct.lastFlags = seen.flags & (WINDOW_SCALE | SACK_PERMITTED);
      ct.lastWscale = seen.has(WINDOW_SCALE) ? seen.scale : 0;
      if (old == TcpState.LAST_ACK) {
        ct.lastFlags |= EXPECT_CHALLENGE_ACK;
      }
    }
    if (old == TcpState.SYN_SENT && kind == TcpSegmentKind.ACK && dir == Direction.REPLY) {
      ct.lastAck = p.ack(); // perhaps a challenge ACK answering the SYN
    }
  }

  private static final int RST_INVALID = -1;
  private static final int RST_KEEP_STATE = 1;
  private static final int RST_SKIP_WINDOW = 2;

  /**
   * The kernel's validation of a RST against what the other side acknowledged: invalid, or a bit
   * set saying whether to keep the current state and whether to skip the window check.
   */
  private int checkReset(Conn ct, Packet p, Direction dir, TcpState old) {
    if (old.closing()) {
      // The tuple may already be reused; our sequence data is stale, so accept the reset as is.
      return RST_SKIP_WINDOW;
    }
    TcpSide receiver = ct.side(dir.opposite());
    int result = 0;
    if (receiver.has(MAXACK_SET) && ct.lastIndex != TcpSegmentKind.SYN.ordinal()) {
      int seq = p.seq();
      boolean established = ct.tcpState == TcpState.ESTABLISHED && ct.has(Conn.ASSURED);
      if (seq == 0 && !established) {
        return 0; // most likely the answer to a SYN we let through
      }
      if (Seq.before(seq, receiver.maxAck)) {
        return RST_INVALID;
      }
      if (!established || seq == receiver.maxAck) {
        return 0;
      }
      if (ct.lastIndex == TcpSegmentKind.ACK.ordinal() && ct.lastDir == dir.index() && seq == ct.lastEnd) {
        return 0; // the RST ends a train of segments from its sender
      }
      // Not exactly where the peer acknowledged: keep the state so that a challenge ACK can follow.
      result = RST_KEEP_STATE;
    }
    boolean answersLetThrough = (ct.has(Conn.SEEN_REPLY) && ct.lastIndex == TcpSegmentKind.SYN.ordinal())
        || (!ct.has(Conn.ASSURED) && ct.lastIndex == TcpSegmentKind.ACK.ordinal());
    if (answersLetThrough && p.ack() == ct.lastEnd) {
      return result | RST_SKIP_WINDOW; // RST to a SYN or half-open ACK we let through; it may ack data we did not track
    }
    if (old == TcpState.SYN_SENT && ct.lastIndex == TcpSegmentKind.ACK.ordinal()
        && ct.lastDir == Direction.REPLY.index() && p.seq() == ct.lastAck) {
      return result | RST_SKIP_WINDOW; // RST after a challenge ACK we let through
    }
    return result;
  }

  /**
   * An assured connection whose FIN or RST was out of window in both directions is probably dead
   * while we still think it established: give it the short unacknowledged-data timeout.
   */
  private void shortenTimeoutOfDesyncedConnection(Conn ct, Direction dir, TcpSegmentKind kind, long now) {
    if (!ct.has(Conn.ASSURED) || (kind != TcpSegmentKind.RST && kind != TcpSegmentKind.FIN)) {
      return;
    }
    if (ct.lastDir != dir.index()
        && (ct.lastIndex == TcpSegmentKind.FIN.ordinal() || ct.lastIndex == TcpSegmentKind.RST.ordinal())) {
      long remaining = ct.expiresNanos - now;
      long unacknowledged = timeouts.tcpUnacknowledged;
      if (remaining >= 120_000_000_000L && remaining > unacknowledged) {
        ct.expiresNanos = now + unacknowledged;
      }
    } else {
      ct.lastIndex = kind.ordinal();
      ct.lastDir = dir.index();
    }
  }

}

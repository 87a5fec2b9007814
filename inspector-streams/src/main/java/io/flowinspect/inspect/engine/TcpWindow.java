package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.TcpSide.BE_LIBERAL;
import static io.flowinspect.inspect.engine.TcpSide.DATA_UNACKNOWLEDGED;
import static io.flowinspect.inspect.engine.TcpSide.MAXACK_SET;
import static io.flowinspect.inspect.engine.TcpSide.SACK_PERMITTED;
import static io.flowinspect.inspect.engine.TcpSide.WINDOW_SCALE;

import io.flowinspect.inspect.engine.TcpTracker.Action;
import io.flowinspect.inspect.engine.TcpTracker.Result;

/**
 * The kernel's {@code tcp_in_window} for {@link TcpTracker}: whether a segment's sequence and
 * acknowledgement numbers fit what each side has sent and announced (van Rooij's four bounds, with
 * window scaling, SACK and the kernel's allowances), updating each side's window edges and the
 * retransmission counter of the segments it accepts.
 */
final class TcpWindow {
  /** The kernel's MAXACKWINCONST: the least ack window tolerated below the receiver's end. */
  private static final int MAX_ACK_WINDOW = 66000;

  /** Out-of-window segments of every connection pass ({@code nf_conntrack_tcp_be_liberal}). */
  private final boolean liberal;

  TcpWindow(boolean liberal) {
    this.liberal = liberal;
  }

  /** {@code tcp_in_window}: the four bounds of van Rooij, with the kernel's allowances. */
  Result check(Conn ct, Packet p, Direction dir, TcpSegmentKind kind) {
    TcpSide sender = ct.side(dir);
    TcpSide receiver = ct.side(dir.opposite());
    boolean syn = p.has(Packet.SYN);
    boolean hasAck = p.has(Packet.ACK);
    int seq = p.seq();
    int ack = p.ack();
    int sack = ack;
    int rawWindow = p.window();
    int win = rawWindow;
    int end = p.end();

    if (receiver.has(SACK_PERMITTED) && p.hasSack() && Seq.after((int) p.sackEdge(), sack)) {
      sack = (int) p.sackEdge();
    }

    if (sender.maxWindow == 0) {
      if (syn) {
        initSender(sender, receiver, p, end, win, dir);
        if (!hasAck) {
          return Result.ACCEPT; // simultaneous open
        }
      } else {
        // First segment from this side after a mid-stream pickup: learn what we can from it.
        sender.end = end;
        int scaled = win << sender.scale;
        sender.maxWindow = scaled == 0 ? 1 : scaled;
        sender.maxEnd = end + sender.maxWindow;
        if (receiver.maxWindow == 0) {
          receiver.end = sack;
          receiver.maxEnd = sack;
        } else if (sack == receiver.end + 1) {
          receiver.end++; // most likely the answer to a keep-alive
        }
      }
    } else if (syn && Seq.after(end, sender.end)
        && (ct.tcpState == TcpState.SYN_SENT || ct.tcpState == TcpState.SYN_RECV)) {
      // RFC 793: a reinitialized TCP may reuse the tuple with higher sequence numbers.
      initSender(sender, receiver, p, end, win, dir);
      if (dir == Direction.REPLY && !hasAck) {
        return Result.ACCEPT;
      }
    }

    if (!hasAck) {
      ack = receiver.end;
      sack = receiver.end;
    } else if (p.has(Packet.RST) && ack == 0) {
      ack = receiver.end; // stacks that set ACK on a RST with a zero acknowledgement
      sack = receiver.end;
    }
    if (p.has(Packet.RST) && seq == 0 && ct.tcpState == TcpState.SYN_SENT) {
      seq = sender.end; // RST answering a SYN
      end = sender.end;
    }

    int maxAckWindow = Seq.greaterUnsigned(sender.maxWindow, MAX_ACK_WINDOW) ? sender.maxWindow : MAX_ACK_WINDOW;
    if (!Seq.before(seq, sender.maxEnd + 1)) {
      int overshot = end - sender.maxEnd + 1;
      boolean ackOk = Seq.after(sack, receiver.end - maxAckWindow - 1);
      boolean inReceiveWindow = receiver.maxWindow != 0 && Seq.after(end, sender.end - receiver.maxWindow - 1);
      if (inReceiveWindow && ackOk && !Seq.greaterUnsigned(overshot, receiver.maxWindow)
          && Seq.before(sack, receiver.end + 1)) {
        // A sender overrunning the receive window slightly: remember the data so its ACK is valid.
        sender.end = end;
        sender.flags |= DATA_UNACKNOWLEDGED;
        return outOfWindow(sender, Action.IGNORE, "bytes more than expected");
      }
      return outOfWindow(sender, Action.INVALID, "SEQ is over upper bound (over the window of the receiver)");
    }
    if (!Seq.before(sack, receiver.end + 1)) {
      return outOfWindow(sender, Action.INVALID, "ACK is over upper bound (ACKed data not seen yet)");
    }
    if (receiver.maxWindow != 0 && !Seq.after(end, sender.end - receiver.maxWindow - 1)) {
      return outOfWindow(sender, Action.IGNORE, "SEQ is under lower bound (already ACKed data retransmitted)");
    }
    if (!Seq.after(sack, receiver.end - maxAckWindow - 1)) {
      return outOfWindow(sender, Action.IGNORE, "ACK is under lower bound (possible overly delayed)");
    }

    if (!syn) {
      win <<= sender.scale;
    }
    int window = win + (sack - ack);
    if (Seq.greaterUnsigned(window, sender.maxWindow)) {
      sender.maxWindow = window;
    }
    if (Seq.after(end, sender.end)) {
      sender.end = end;
      sender.flags |= DATA_UNACKNOWLEDGED;
    }
    if (hasAck) {
      if (!sender.has(MAXACK_SET)) {
        sender.maxAck = ack;
        sender.flags |= MAXACK_SET;
      } else if (Seq.after(ack, sender.maxAck)) {
        sender.maxAck = ack;
      }
    }
    if (receiver.maxWindow != 0 && Seq.after(end, sender.maxEnd)) {
      receiver.maxWindow += end - sender.maxEnd;
    }
    if (Seq.after(sack + win, receiver.maxEnd - 1)) {
      receiver.maxEnd = sack + win;
      if (win == 0) {
        receiver.maxEnd++;
      }
    }
    if (ack == receiver.end) {
      receiver.flags &= ~DATA_UNACKNOWLEDGED;
    }
    if (kind == TcpSegmentKind.ACK) {
      countRetransmission(ct, dir, seq, ack, end, rawWindow);
    }
    return Result.ACCEPT;
  }

  private void countRetransmission(Conn ct, Direction dir, int seq, int ack, int end, int rawWindow) {
    if (ct.lastDir == dir.index() && ct.lastSeq == seq && ct.lastAck == ack && ct.lastEnd == end
        && ct.lastWin == rawWindow) {
      if (ct.retrans < Integer.MAX_VALUE) {
        ct.retrans++;
      }
    } else {
      ct.lastDir = dir.index();
      ct.lastSeq = seq;
      ct.lastAck = ack;
      ct.lastEnd = end;
      ct.lastWin = rawWindow;
      ct.retrans = 0;
    }
  }

  /** Out-of-window segments pass when this side is tracked liberally ({@code nf_tcp_log_invalid}). */
  private Result outOfWindow(TcpSide sender, Action action, String reason) {
    if (sender.has(BE_LIBERAL) || liberal) {
      return Result.ACCEPT;
    }
    return action == Action.IGNORE ? Result.IGNORE : Result.invalid(reason);
  }

  private static void initSender(TcpSide sender, TcpSide receiver, Packet p, int end, int win, Direction dir) {
    sender.end = end;
    sender.maxEnd = end;
    sender.maxWindow = win == 0 ? 1 : win;
    readOptions(sender, p);
    // RFC 7323: window scaling applies only when both SYNs carried the option.
    if (dir == Direction.REPLY && !(sender.has(WINDOW_SCALE) && receiver.has(WINDOW_SCALE))) {
      sender.scale = 0;
      receiver.scale = 0;
    }
  }

  /**
   * The kernel's {@code tcp_options}: window scale and SACK-permitted from a SYN. (The kernel keeps
   * a side's earlier options when a later SYN has no options at all; the packet record does not
   * say whether it had any, so this always starts afresh — identical for every first SYN.)
   */
  static void readOptions(TcpSide side, Packet p) {
    side.scale = 0;
    side.flags &= BE_LIBERAL;
    if (p.sackPermitted()) {
      side.flags |= SACK_PERMITTED;
    }
    if (p.windowScale() >= 0) {
      side.scale = Math.min(p.windowScale(), 14);
      side.flags |= WINDOW_SCALE;
    }
  }
}

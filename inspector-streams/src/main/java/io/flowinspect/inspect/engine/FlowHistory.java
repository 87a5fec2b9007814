package io.flowinspect.inspect.engine;


/**
 * A connection described in Zeek's conn.log vocabulary: its {@code history} letters, its
 * {@code conn_state} code and whether Zeek would have swapped originator and responder. One per
 * connection, fed every packet of it in capture order; mutable, allocation-free per packet.
 *
 * <p>The rules are those of Zeek's current sources: {@code update_history}, {@code update_window},
 * {@code update_last_seq} and the endpoint state machine of
 * {@code packet_analysis/protocol/tcp/TCPSessionAdapter.cc}, {@code CheckHistory} and
 * {@code ScaledHistoryEntry} of {@code session/Session.h}, {@code UDP.cc} for UDP, and the flips of
 * {@code WantConnection} (first packet) and {@code Connection::FlipRoles}. Letters are upper case
 * for Zeek's originator, lower case for its responder, in order of first appearance; C, T, W and G
 * are added again when their count reaches 10, 100, 1000, ...
 *
 * <p>Where a header-only view must guess: content gaps ('G') are inferred from acknowledgements of
 * sequence space never seen (Zeek's reassembler knows the exact holes, and also counts payload the
 * capture cut off), and payload sizes for {@code REJ} come from sequence numbers alone. Zeek 5.1's
 * flip of a lone SYN/ACK followed by an ACK or data (#2191) is known only by its effect, "^h".
 */
public final class FlowHistory {
  static final int FLIPPED = 1;
  static final int STARTED = 1 << 1;
  // Facts about the ports, read once: Zeek decides a flip when the first packet creates the connection.
  static final int ORIG_PORT_LIKELY_SERVER = 1 << 4;
  static final int RESP_PORT_LIKELY_SERVER = 1 << 5;
  static final int ORIG_PORT_BELOW_RESP = 1 << 6;
  static final int RESP_BROADCAST = 1 << 7;
  static final int PORT_FACTS = 0xf0;

  int flags;
  /** Zeek's originator and responder, which are conntrack's unless {@link #flipped()}. */
  ZeekEndpoint orig = new ZeekEndpoint();
  ZeekEndpoint resp = new ZeekEndpoint();
  HistoryLetters letters = new HistoryLetters();

  /** A history that knows nothing about ports: it never flips a connection because of them. */
  public FlowHistory() {}

  /**
   * The history of the connection {@code key} whose first packet (conntrack's original direction)
   * comes from the high endpoint when {@code originatorIsHigh}; knows the ports and the broadcast
   * address that Zeek's first-packet flip looks at.
   */
  public static FlowHistory forConnection(FlowKey key, boolean originatorIsHigh) {
    FlowHistory h = new FlowHistory();
    int protocol = key.protocol();
    int origPort = key.port(originatorIsHigh);
    int respPort = key.port(!originatorIsHigh);
    if (LikelyServerPorts.contains(protocol, origPort)) {
      h.flags |= ORIG_PORT_LIKELY_SERVER;
    }
    if (LikelyServerPorts.contains(protocol, respPort)) {
      h.flags |= RESP_PORT_LIKELY_SERVER;
    }
    if (origPort < respPort) {
      h.flags |= ORIG_PORT_BELOW_RESP;
    }
    long respLo = originatorIsHigh ? key.lowLo() : key.highLo();
    if (!key.ipv6() && respLo == 0xffff_ffffL) {
      h.flags |= RESP_BROADCAST; // IPAddr::IsBroadcast: only 255.255.255.255
    }
    return h;
  }

  /**
   * A packet of this connection, in capture order. {@code fromOriginator}: sent by conntrack's
   * original side (the first packet's sender). {@code protocol}: the IP protocol. Packets conntrack
   * finds invalid are recorded like any other: Zeek has no such notion. {@code checksumBad}: the
   * transport checksum was verified and is wrong (false when checksums are not checked, as with
   * {@code zeek -C}).
   */
  public void observe(Packet p, int protocol, boolean fromOriginator, boolean checksumBad) {
    if ((flags & STARTED) == 0) {
      start(p, protocol);
    }
    boolean isOrig = fromOriginator != flipped();
    switch (protocol) {
      case Protocols.TCP -> tcp(p, isOrig, checksumBad);
      case Protocols.UDP -> udp(p, isOrig, checksumBad);
      case Protocols.ICMP, Protocols.ICMPV6 -> {
        if (!p.malformed() && !checksumBad) {
          side(isOrig).set(ZeekEndpoint.State.ACTIVE); // ICMP.cc records no letters
        }
      }
      default -> side(isOrig).set(ZeekEndpoint.State.ACTIVE);
    }
  }

  /** Flags, both endpoints' states and the number of letters, in 40 bits: see {@link Conn#transitionSignature}. */
  long transitionSignature() {
    return (long) (flags & 0xff) << 32 | (long) orig.state.ordinal() << 28 | (long) resp.state.ordinal() << 24
        | Math.min(letters.size(), 0xff_ffff);
  }

  /** The history letters, e.g. "ShADadFf"; empty for ICMP, where Zeek records none. */
  public String history() {
    return letters.toString();
  }

  /** Zeek's {@code conn_state} code (REFERENCE 8.7), with Zeek's originator and responder. */
  public String connState(int protocol) {
    return connStateCode(protocol).name();
  }

  public ConnStateCode connStateCode(int protocol) {
    return switch (protocol) {
      case Protocols.TCP -> ConnStateCode.tcp(orig, resp, history());
      case Protocols.UDP -> ConnStateCode.udp(orig, resp);
      default -> ConnStateCode.OTH;
    };
  }

  /** Zeek would report conntrack's responder as the originator (the history then contains '^'). */
  public boolean flipped() {
    return (flags & FLIPPED) != 0;
  }

  /**
   * A compact binary form ({@link FlowHistoryCodec} has the layout, typical sizes and what the
   * references are).
   */
  void writeTo(Bytes out, int originalRef, int replyRef) {
    FlowHistoryCodec.write(this, out, originalRef, replyRef);
  }

  /** The binary form on its own (tests, tools); the state store keeps it inside the connection's. */
  public byte[] toBytes() {
    Bytes b = new Bytes(32);
    writeTo(b, 0, 0);
    return b.toArray();
  }

  public static FlowHistory fromBytes(byte[] data) {
    return FlowHistoryCodec.read(Bytes.reading(data), 0, 0);
  }

  @Override
  public String toString() {
    return "FlowHistory[" + history() + (flipped() ? ", flipped" : "") + ", " + orig.state + "/" + resp.state + "]";
  }

  private ZeekEndpoint side(boolean isOrig) {
    return isOrig ? orig : resp;
  }

  /**
   * Zeek's {@code WantConnection}: a TCP connection that does not start with a bare SYN, or a UDP
   * one, is turned round when its first packet comes from a likely server port (for TCP with both
   * ports likely, only a non-SYN from the lower port); never towards the broadcast address
   * ({@code IPBasedAnalyzer::NewConn}).
   */
  private void start(Packet p, int protocol) {
    boolean flip = false;
    if (protocol == Protocols.TCP) {
      boolean syn = p.has(Packet.SYN);
      if ((!syn || p.has(Packet.ACK)) && has(ORIG_PORT_LIKELY_SERVER)) {
        flip = !has(RESP_PORT_LIKELY_SERVER) || (!syn && has(ORIG_PORT_BELOW_RESP));
      }
    } else if (protocol == Protocols.UDP) {
      flip = has(ORIG_PORT_LIKELY_SERVER) && !has(RESP_PORT_LIKELY_SERVER);
    }
    if (has(RESP_BROADCAST)) {
      flip = false;
    }
    flags = (flags & ~PORT_FACTS) | STARTED;
    if (flip) {
      flipRoles();
    }
  }

  private boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** {@code Connection::FlipRoles}: swaps the endpoints and appends '^' (earlier letters keep their case). */
  private void flipRoles() {
    swapEndpoints();
    letters.add('^');
  }

  private void swapEndpoints() {
    ZeekEndpoint t = orig;
    orig = resp;
    resp = t;
    flags ^= FLIPPED;
  }

  private void udp(Packet p, boolean isOrig, boolean checksumBad) {
    ZeekEndpoint ep = side(isOrig);
    if (p.malformed()) {
      return;
    }
    if (checksumBad) {
      ep.checksumErrors = letters.scaled(ep.checksumErrors, 'C', isOrig);
      return; // UDPSessionAdapter::HandleBadChecksum: the packet counts for nothing else
    }
    letters.addFirst('D', 'D', isOrig);
    ep.set(ZeekEndpoint.State.ACTIVE);
  }

  private void tcp(Packet p, boolean isOrig, boolean checksumBad) {
    ZeekEndpoint ep = side(isOrig);
    if (p.malformed()) {
      return; // ExtractTCP_Header gives up on a header it cannot read
    }
    if (checksumBad) {
      ep.checksumErrors = letters.scaled(ep.checksumErrors, 'C', isOrig);
      return; // TCPAnalyzer::ValidateChecksum: nothing else of the packet is looked at
    }
    boolean syn = p.has(Packet.SYN);
    boolean fin = p.has(Packet.FIN);
    boolean rst = p.has(Packet.RST);
    boolean ack = p.has(Packet.ACK);
    if (ack && !syn && !fin && !rst && letters.is("H") && orig.state == ZeekEndpoint.State.SYN_ACK_SENT) {
      // Zeek 5.1 (#2191): an ACK or data either way right after a lone SYN/ACK means the SYN was
      // missed, not a stealth scan; Zeek turns the connection round and logs it as "^h...".
      swapEndpoints();
      letters.replaceWith("^h");
      isOrig = !isOrig;
    }
    ZeekEndpoint peer = side(!isOrig);
    int payload = p.payloadLength();
    // A RST's payload is not part of the stream (get_segment_len); SYN and FIN take one octet each.
    int segment = (rst ? 0 : payload) + (syn ? 1 : 0) + (fin ? 1 : 0);
    int seq = p.seq();
    int onePast = seq + segment;

    ep.initialize(syn, seq, onePast);
    int rel = seq - ep.start;
    recordFlags(ep, isOrig, syn, fin, rst, ack, payload, rel);
    if (p.window() == 0 && !rst && peer.state != ZeekEndpoint.State.CLOSED && ep.state != ZeekEndpoint.State.RESET) {
      ep.zeroWindows = letters.scaled(ep.zeroWindows, 'W', isOrig); // update_window
    }
    if (fin) {
      ep.finSeen = true;
    }
    int lastBefore = ep.last;
    if (ep.advanceLast(onePast, syn || rst, fin, payload)) {
      ep.retransmissions = letters.scaled(ep.retransmissions, 'T', isOrig);
    }
    advanceState(ep, peer, isOrig, syn, fin, rst, ack, payload);
    if (ack) {
      acknowledged(ep, peer, p.ack());
    }
    if (payload > 0 && !rst) {
      received(ep, syn ? seq + 1 : seq, payload, lastBefore);
    }
  }

  /** Zeek's {@code update_history}: which letter a segment's flags and payload earn. */
  private void recordFlags(ZeekEndpoint ep, boolean isOrig, boolean syn, boolean fin, boolean rst, boolean ack,
      int payload, int rel) {
    int controls = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
    if (controls > 1) {
      letters.addFirst(fin && rst ? 'I' : 'Q', fin && rst ? 'I' : 'Q', isOrig);
    } else if (controls == 1) {
      // S, H, F and R come again when the sequence number differs from the last one of their kind.
      if (syn) {
        char code = ack ? 'H' : 'S';
        if (letters.addFirst('S', code, isOrig) && rel != ep.lastSynAt) {
          letters.add(code, isOrig);
        }
        ep.lastSynAt = rel;
      }
      if (fin) {
        // A FIN's sequence number is the one after its data.
        if (letters.addFirst('F', 'F', isOrig) && rel + payload != ep.lastFinAt) {
          letters.add('F', isOrig);
        }
        ep.lastFinAt = rel + payload;
      }
      if (rst) {
        if (letters.addFirst('R', 'R', isOrig) && rel != ep.lastRstAt) {
          letters.add('R', isOrig);
        }
        ep.lastRstAt = rel;
      }
    } else if (payload > 0) {
      letters.addFirst('D', 'D', isOrig);
    } else if (ack) {
      letters.addFirst('A', 'A', isOrig);
    }
  }

  /** Zeek's {@code UpdateStateMachine} for the sender {@code ep}, after the packet's letters. */
  private void advanceState(ZeekEndpoint ep, ZeekEndpoint peer, boolean isOrig, boolean syn, boolean fin, boolean rst,
      boolean ack, int payload) {
    switch (ep.state) {
      case INACTIVE -> fromInactive(ep, peer, isOrig, syn, fin, rst, ack, payload);
      case SYN_SENT, SYN_ACK_SENT -> {
        if (fin) {
          ep.set(ZeekEndpoint.State.CLOSED);
        }
        if (rst) {
          ep.set(ZeekEndpoint.State.RESET);
        }
      }
      case ESTABLISHED, PARTIAL -> {
        if (syn && ep.state == ZeekEndpoint.State.PARTIAL && peer.inactive() && !ack) {
          ep.set(ZeekEndpoint.State.SYN_SENT); // SYN_after_partial
        }
        if (fin && !rst) {
          ep.set(ZeekEndpoint.State.CLOSED);
          if (peer.state == ZeekEndpoint.State.RESET && peer.prev == ZeekEndpoint.State.CLOSED) {
            peer.set(ZeekEndpoint.State.CLOSED); // the peer's FIN then RST was a normal close after all
          }
        }
        if (rst) {
          ep.set(ZeekEndpoint.State.RESET);
        }
      }
      case CLOSED -> {
        if (rst && peer.state != ZeekEndpoint.State.CLOSED) {
          ep.set(ZeekEndpoint.State.RESET); // a RST after both FINs changes nothing
        }
      }
      default -> { }
    }
  }

  /** {@code UpdateInactiveState}: the first packet from a side. */
  private void fromInactive(ZeekEndpoint ep, ZeekEndpoint peer, boolean isOrig, boolean syn, boolean fin, boolean rst,
      boolean ack, int payload) {
    if (syn) {
      if (isOrig) {
        ep.set(ack ? ZeekEndpoint.State.SYN_ACK_SENT : ZeekEndpoint.State.SYN_SENT);
      } else {
        if (!ack && peer.state == ZeekEndpoint.State.SYN_ACK_SENT) {
          // A SYN answering a SYN/ACK: the two were captured in reverse order (TCP.cc "IsReuse").
          flipRoles();
          peer.set(ZeekEndpoint.State.ESTABLISHED);
        }
        if (peer.state == ZeekEndpoint.State.SYN_SENT) {
          peer.set(ZeekEndpoint.State.ESTABLISHED);
        }
        ep.set(ZeekEndpoint.State.ESTABLISHED);
      }
    }
    if (fin) {
      ep.set(ZeekEndpoint.State.CLOSED);
    }
    if (rst) {
      ep.set(ZeekEndpoint.State.RESET);
    }
    if (ep.inactive()) {
      if (!isOrig && payload == 0 && orig.state == ZeekEndpoint.State.SYN_SENT) {
        return; // some stacks ACK a SYN before answering it: not yet a partial connection
      }
      if (ack && peer.state == ZeekEndpoint.State.ESTABLISHED) {
        ep.set(ZeekEndpoint.State.ESTABLISHED); // the ACK of a handshake whose SYN we missed
      } else {
        ep.set(ZeekEndpoint.State.PARTIAL);
      }
    }
  }

  /**
   * An acknowledgement from {@code ep} of the peer's stream. Zeek's reassembler reports a content
   * gap when the peer acknowledges octets it never delivered, if both sides are established or
   * closing cleanly ({@code TCP_Reassembler::Gap}). Here the seen part of the stream is tracked as
   * one contiguous range; the octets of the closing FIN and the first two of a stream are not
   * data ({@code AckReceived}, {@code Undelivered}).
   */
  private void acknowledged(ZeekEndpoint ep, ZeekEndpoint peer, int ack) {
    if (peer.inactive()) {
      return;
    }
    int upTo = ack;
    if (peer.finSeen && !Seq.before(upTo, peer.start + peer.lastFinAt + 1)) {
      upTo = peer.start + peer.lastFinAt;
    }
    if (!Seq.after(upTo, peer.contiguous)) {
      return;
    }
    if (Seq.after(upTo - peer.start, 2) && ep.clean() && peer.clean()) {
      peer.gaps = letters.scaled(peer.gaps, 'G', peer == orig);
    }
    peer.contiguous = upTo;
  }

  /**
   * Payload from {@code ep} at {@code from}: extends the seen part of its stream. A segment that
   * fills the hole below data seen earlier is taken to fill all of it (a single lost segment).
   */
  private static void received(ZeekEndpoint ep, int from, int payload, int lastBefore) {
    int to = from + payload;
    if (Seq.after(from, ep.contiguous) || !Seq.after(to, ep.contiguous)) {
      return;
    }
    boolean holeBelowSeenData = Seq.after(lastBefore, ep.contiguous);
    ep.contiguous = holeBelowSeenData && Seq.after(lastBefore, to) ? lastBefore : to;
  }
}

package io.flowinspect.inspect.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A scripted TCP conversation between a client (the key's low endpoint) and a server, keeping
 * each side's next sequence number so that segments are in window unless a test says otherwise.
 */
final class TcpConversation {
  static final IpAddress CLIENT = IpAddress.parse("10.0.0.1");
  static final IpAddress SERVER = IpAddress.parse("192.0.2.10");
  static final int CLIENT_ISN = 1000;
  static final int SERVER_ISN = 500_000;

  final InMemoryState state = new InMemoryState();
  final List<String> ended = new ArrayList<>();
  final ConnectionTracker tracker;
  final FlowKey key = FlowKey.of(0, Protocols.TCP, CLIENT, 40000, SERVER, 80);
  int clientNext = CLIENT_ISN;
  int serverNext = SERVER_ISN;
  long now = 1_000_000_000L;

  TcpConversation() {
    this(TrackerConfig.defaults());
  }

  TcpConversation(TrackerConfig config) {
    tracker = new ConnectionTracker(config, TrackerState.inMemory(state), new TrackerListener() {
      @Override
      public void ended(FlowKey k, Conn conn, EndReason reason, long nowNanos) {
        ended.add(reason.name());
      }
    });
  }

  Classification client(int flags) {
    return client(flags, 0);
  }

  Classification server(int flags) {
    return server(flags, 0);
  }

  /** The client sends {@code bytes} of data with {@code flags}, acknowledging all the server sent. */
  Classification client(int flags, int bytes) {
    Packet p = segment(false, flags, clientNext, serverNext, bytes);
    clientNext = advance(clientNext, flags, bytes);
    return send(p);
  }

  Classification server(int flags, int bytes) {
    Packet p = segment(true, flags, serverNext, clientNext, bytes);
    serverNext = advance(serverNext, flags, bytes);
    return send(p);
  }

  Classification send(Packet p) {
    now = p.timeNanos();
    return tracker.process(key, p);
  }

  Packet segment(boolean fromServer, int flags, int seq, int ack, int bytes) {
    now += 1_000_000L;
    PacketBuilder b = PacketBuilder.at(now).fromHigh(fromServer).tcp(flags, seq, (flags & Packet.ACK) != 0 ? ack : 0)
        .payload(bytes);
    return b.build();
  }

  Conn conn() {
    return state.get(key);
  }

  TcpState tcpState() {
    Conn c = conn();
    return c == null ? null : c.tcpState();
  }

  void later(long nanos) {
    now += nanos;
  }

  private static int advance(int next, int flags, int bytes) {
    return next + bytes + ((flags & Packet.SYN) != 0 ? 1 : 0) + ((flags & Packet.FIN) != 0 ? 1 : 0);
  }
}

package io.flowinspect.inspect.engine;

/**
 * A scripted connection between a client and a server fed to a {@link FlowHistory} the way the
 * engine feeds it: conntrack's original side is whoever sends the first packet. Each side's next
 * sequence number is kept, so segments follow each other unless a test says otherwise.
 */
final class HistoryScript {
  static final IpAddress CLIENT = IpAddress.parse("10.0.0.1");
  static final IpAddress SERVER = IpAddress.parse("192.0.2.10");
  static final int CLIENT_ISN = 1000;
  static final int SERVER_ISN = 500_000;

  FlowHistory history;
  final int protocol;
  private boolean stored;
  int clientNext = CLIENT_ISN;
  int serverNext = SERVER_ISN;
  private long now = 1_000_000_000L;
  private Boolean serverIsOriginator;
  private int window = 64240;
  private int attributes;

  private HistoryScript(FlowHistory history, int protocol) {
    this.history = history;
    this.protocol = protocol;
  }

  /** A TCP connection whose history knows no ports (never flipped because of them). */
  static HistoryScript tcp() {
    return new HistoryScript(new FlowHistory(), Protocols.TCP);
  }

  /** A connection between CLIENT:clientPort and SERVER:serverPort; {@code serverFirst} says who sends first. */
  static HistoryScript withPorts(int protocol, int clientPort, int serverPort, boolean serverFirst) {
    return withAddresses(protocol, CLIENT, clientPort, SERVER, serverPort, serverFirst);
  }

  static HistoryScript withAddresses(int protocol, IpAddress client, int clientPort, IpAddress server, int serverPort,
      boolean serverFirst) {
    FlowKey key = FlowKey.of(0, protocol, client, clientPort, server, serverPort);
    boolean serverIsHigh = key.highAddress().equals(server) && key.highPort() == serverPort;
    boolean originatorIsHigh = serverFirst == serverIsHigh;
    return new HistoryScript(FlowHistory.forConnection(key, originatorIsHigh), protocol);
  }

  static HistoryScript udp() {
    return new HistoryScript(new FlowHistory(), Protocols.UDP);
  }

  HistoryScript client(int flags) {
    return client(flags, 0);
  }

  HistoryScript server(int flags) {
    return server(flags, 0);
  }

  /** The client sends {@code bytes} with {@code flags}, acknowledging everything the server sent. */
  HistoryScript client(int flags, int bytes) {
    send(false, flags, clientNext, serverNext, bytes);
    clientNext = advance(clientNext, flags, bytes);
    return this;
  }

  HistoryScript server(int flags, int bytes) {
    send(true, flags, serverNext, clientNext, bytes);
    serverNext = advance(serverNext, flags, bytes);
    return this;
  }

  /** The client sends the segment of {@code bytes} that ended at its next sequence number again. */
  HistoryScript clientResends(int flags, int bytes) {
    send(false, flags, clientNext - bytes, serverNext, bytes);
    return this;
  }

  /** The client's next {@code bytes} are lost before the sensor: sent, never seen. */
  HistoryScript clientLoses(int bytes) {
    clientNext += bytes;
    return this;
  }

  /** A segment at an explicit sequence number, nothing advanced. */
  HistoryScript clientAt(int seq, int flags, int bytes) {
    send(false, flags, seq, serverNext, bytes);
    return this;
  }

  HistoryScript serverAt(int seq, int flags, int bytes) {
    send(true, flags, seq, clientNext, bytes);
    return this;
  }

  /** The history goes through its binary form after every packet, as the streams path stores it. */
  HistoryScript storedAfterEveryPacket() {
    stored = true;
    return this;
  }

  /** The next packet advertises this window. */
  HistoryScript window(int value) {
    window = value;
    return this;
  }

  /** The next packet's transport checksum is wrong. */
  HistoryScript badChecksum() {
    attributes |= Packet.CHECKSUM_BAD;
    return this;
  }

  String history() {
    return history.history();
  }

  String connState() {
    return history.connState(protocol);
  }

  private void send(boolean fromServer, int flags, int seq, int ack, int bytes) {
    now += 1_000_000L;
    if (serverIsOriginator == null) {
      serverIsOriginator = fromServer;
    }
    PacketBuilder b = PacketBuilder.at(now).fromHigh(fromServer).payload(bytes).window(window).attributes(attributes);
    if (protocol == Protocols.TCP) {
      b.tcp(flags, seq, (flags & Packet.ACK) != 0 ? ack : 0);
    } else if (Protocols.isIcmp(protocol)) {
      b.icmp(fromServer ? 0 : 8, 0);
    }
    Packet packet = b.build();
    history.observe(packet, protocol, fromServer == serverIsOriginator, packet.checksumBad());
    if (stored) {
      history = roundTrip(history);
    }
    window = 64240;
    attributes = 0;
  }

  static FlowHistory roundTrip(FlowHistory h) {
    return FlowHistory.fromBytes(h.toBytes());
  }


  private static int advance(int next, int flags, int bytes) {
    return next + bytes + ((flags & Packet.SYN) != 0 ? 1 : 0) + ((flags & Packet.FIN) != 0 ? 1 : 0);
  }
}

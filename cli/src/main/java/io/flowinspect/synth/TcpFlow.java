package io.flowinspect.synth;

/**
 * One scripted TCP connection that keeps each side's next sequence number, so that segments are
 * in window unless a scenario says otherwise. The last frame written is kept for ICMP errors.
 */
public final class TcpFlow {
  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;

  private final Script script;
  private final Host client;
  private final int clientPort;
  private final Host server;
  private final int serverPort;
  int clientNext;
  int serverNext;
  int clientWindow = 64240;
  int serverWindow = 65160;
  private TcpOptions nextOptions = TcpOptions.NONE;
  byte[] lastFrame;

  TcpFlow(Script script, Host client, int clientPort, Host server, int serverPort, int clientIsn, int serverIsn) {
    this.script = script;
    this.client = client;
    this.clientPort = clientPort;
    this.server = server;
    this.serverPort = serverPort;
    this.clientNext = clientIsn;
    this.serverNext = serverIsn;
  }

  /** The standard opening: SYN, SYN/ACK, ACK, with Linux's usual options. */
  public TcpFlow handshake() {
    return handshake(TcpOptions.syn(1460, 7, true));
  }

  /** The opening with the given options on both SYNs. */
  public TcpFlow handshake(TcpOptions synOptions) {
    options(synOptions).client(SYN);
    options(synOptions).server(SYN | ACK);
    return client(ACK);
  }

  /** Both FINs and their acknowledgements, client first. */
  public TcpFlow close() {
    client(FIN | ACK);
    server(FIN | ACK);
    return client(ACK);
  }

  public TcpFlow options(TcpOptions options) {
    nextOptions = options;
    return this;
  }

  public TcpFlow client(int flags) {
    return client(flags, new byte[0]);
  }

  public TcpFlow server(int flags) {
    return server(flags, new byte[0]);
  }

  public TcpFlow client(int flags, int bytes) {
    return client(flags, new byte[bytes]);
  }

  public TcpFlow server(int flags, int bytes) {
    return server(flags, new byte[bytes]);
  }

  public TcpFlow client(int flags, byte[] payload) {
    clientSegment(flags, clientNext, serverNext, payload);
    clientNext += advance(flags, payload.length);
    return this;
  }

  public TcpFlow server(int flags, byte[] payload) {
    serverSegment(flags, serverNext, clientNext, payload);
    serverNext += advance(flags, payload.length);
    return this;
  }

  public TcpFlow clientText(String line) {
    return client(PSH | ACK, Script.ascii(line + "\r\n"));
  }

  public TcpFlow serverText(String line) {
    return server(PSH | ACK, Script.ascii(line + "\r\n"));
  }

  /** A segment with explicit numbers, leaving the flow's own counters alone. */
  public TcpFlow clientSegment(int flags, int seq, int ack, byte[] payload) {
    lastFrame = script.frames.tcp(client, clientPort, server, serverPort, flags, seq, (flags & ACK) != 0 ? ack : 0,
        clientWindow, takeOptions(), payload);
    script.emit(lastFrame);
    return this;
  }

  public TcpFlow serverSegment(int flags, int seq, int ack, byte[] payload) {
    lastFrame = script.frames.tcp(server, serverPort, client, clientPort, flags, seq, (flags & ACK) != 0 ? ack : 0,
        serverWindow, takeOptions(), payload);
    script.emit(lastFrame);
    return this;
  }

  public TcpFlow windows(int clientWindow, int serverWindow) {
    this.clientWindow = clientWindow;
    this.serverWindow = serverWindow;
    return this;
  }

  public int clientNext() {
    return clientNext;
  }

  public int serverNext() {
    return serverNext;
  }

  public byte[] lastFrame() {
    return lastFrame;
  }

  private TcpOptions takeOptions() {
    TcpOptions o = nextOptions;
    nextOptions = TcpOptions.NONE;
    return o;
  }

  private static int advance(int flags, int bytes) {
    return bytes + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
  }
}

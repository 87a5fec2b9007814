package io.flowinspect.synth;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * A workload for measuring the cost of a packet against the size of the state table: first
 * {@code connections} TCP handshakes, then {@code packets} data segments, each on a connection
 * drawn uniformly at random, so every one of them stays open and every lookup is as likely to
 * miss a cache as on a busy SPAN port. The segments are in window, so the tracker does its full
 * work for each. The two phases are written separately so that the table can be filled before
 * the measured part is replayed. Deterministic for a given seed.
 */
public final class HeldConnections {
  private static final long START = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z
  /** Capture time between consecutive packets: a million packets per second of capture time. */
  private static final long GAP_NANOS = 1_000;
  private static final int PORTS_PER_CLIENT = 50_000;
  private static final int SERVERS = 4096;
  private static final int PAYLOAD = 64;
  private static final int WINDOW = 65535;

  private final int connections;
  private final long seed;
  private final FrameBuilder frames = new FrameBuilder();
  private final Host[] clients;
  private final Host[] servers = new Host[SERVERS];
  private final int[] clientSeq;
  private final int[] serverSeq;
  private final byte[] payload = new byte[PAYLOAD];
  private long time = START;

  public HeldConnections(int connections, long seed) {
    if (connections < 1) {
      throw new IllegalArgumentException("connections must be at least 1: " + connections);
    }
    this.connections = connections;
    this.seed = seed;
    this.clients = new Host[(connections - 1) / PORTS_PER_CLIENT + 1];
    this.clientSeq = new int[connections];
    this.serverSeq = new int[connections];
  }

  public int connections() {
    return connections;
  }

  /** Writes the three-way handshake of every connection; returns the packets written. */
  public long writeHandshakes(LoadGenerator.FrameSink sink) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < connections; i++) {
      int isn = random.nextInt();
      int serverIsn = random.nextInt();
      sink.frame(tick(), segment(i, true, 0x02, isn, 0, false));
      sink.frame(tick(), segment(i, false, 0x12, serverIsn, isn + 1, false));
      clientSeq[i] = isn + 1;
      serverSeq[i] = serverIsn + 1;
      sink.frame(tick(), segment(i, true, 0x10, clientSeq[i], serverSeq[i], false));
    }
    return 3L * connections;
  }

  /**
   * Writes one data segment from each side of every connection, the server's acknowledging the
   * client's; call after the handshakes. After it, a data segment changes a connection's counters,
   * times and windows only: its history letters and states are all there (a long-running
   * population, where the handshakes alone leave every connection's first data to come).
   */
  public long writeFirstExchange(LoadGenerator.FrameSink sink) throws IOException {
    for (int i = 0; i < connections; i++) {
      sink.frame(tick(), segment(i, true, 0x18, clientSeq[i], serverSeq[i], true));
      clientSeq[i] += PAYLOAD;
      sink.frame(tick(), segment(i, false, 0x18, serverSeq[i], clientSeq[i], true));
      serverSeq[i] += PAYLOAD;
    }
    return 2L * connections;
  }

  /** Writes {@code packets} data segments on connections chosen at random; call after the handshakes. */
  public long writeTraffic(LoadGenerator.FrameSink sink, long packets) throws IOException {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    for (long n = 0; n < packets; n++) {
      int i = random.nextInt(connections);
      boolean fromClient = random.nextBoolean();
      int seq = fromClient ? clientSeq[i] : serverSeq[i];
      int ack = fromClient ? serverSeq[i] : clientSeq[i];
      sink.frame(tick(), segment(i, fromClient, 0x18, seq, ack, true));
      if (fromClient) {
        clientSeq[i] += PAYLOAD;
      } else {
        serverSeq[i] += PAYLOAD;
      }
    }
    return packets;
  }

  private long tick() {
    return time += GAP_NANOS;
  }

  private byte[] segment(int i, boolean fromClient, int flags, int seq, int ack, boolean data) {
    Host client = client(i / PORTS_PER_CLIENT);
    int clientPort = 10_000 + i % PORTS_PER_CLIENT;
    Host server = server(i % SERVERS);
    byte[] body = data ? payload : new byte[0];
    return fromClient
        ? frames.tcp(client, clientPort, server, 443, flags, seq, ack, WINDOW, TcpOptions.NONE, body)
        : frames.tcp(server, 443, client, clientPort, flags, seq, ack, WINDOW, TcpOptions.NONE, body);
  }

  private Host client(int c) {
    Host h = clients[c];
    if (h == null) {
      h = Host.of("10." + (c >>> 8 & 0xff) + "." + (c & 0xff) + ".1", 0x100000 + c);
      clients[c] = h;
    }
    return h;
  }

  private Host server(int s) {
    Host h = servers[s];
    if (h == null) {
      h = Host.of("198.18." + (s >>> 8) + "." + (s & 0xff), 0x200000 + s);
      servers[s] = h;
    }
    return h;
  }
}

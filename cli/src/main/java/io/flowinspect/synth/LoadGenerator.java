package io.flowinspect.synth;

import java.io.IOException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Writes a realistic workload: connections arrive at a steady rate, live for a chosen time, and
 * talk while they live — TCP with handshake, request/response exchanges and an orderly close
 * (one in ten ends with a reset, one in twenty is refused), UDP queries and answers, ICMP echoes.
 * Deterministic for a given mix and seed.
 */
public final class LoadGenerator {
  /** Receives the frames in capture order. */
  @FunctionalInterface
  public interface FrameSink {
    void frame(long timeNanos, byte[] frame) throws IOException;
  }

  private static final long START = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z
  private static final int CLIENTS = 1 << 16;
  private static final int SERVERS = 1 << 12;
  private static final int[] SERVER_PORTS = {443, 80, 22, 25, 993, 8443, 3306, 5432};

  private final TrafficMix mix;
  private final SplittableRandom random;
  private final FrameBuilder frames = new FrameBuilder();
  private final Host[] clients4 = new Host[CLIENTS];
  private final Host[] clients6 = new Host[CLIENTS];
  private final Host[] servers4 = new Host[SERVERS];
  private final Host[] servers6 = new Host[SERVERS];
  private final long lifetimeNanos;
  private final double meanGapNanos;
  private int nextClientPort = 1024;
  private long opened;

  public LoadGenerator(TrafficMix mix) {
    this.mix = mix;
    this.random = new SplittableRandom(mix.seed());
    this.lifetimeNanos = mix.lifetime().toNanos();
    this.meanGapNanos = 1e9 / mix.newConnectionsPerSecond();
  }

  /** Writes {@code mix.packets()} packets; returns the connections opened. */
  public long run(FrameSink sink) throws IOException {
    PriorityQueue<SynthConnection> active = new PriorityQueue<>();
    long written = 0;
    double nextArrival = START;
    while (written < mix.packets()) {
      SynthConnection next = active.peek();
      if (next == null || nextArrival <= next.nextNanos) {
        active.add(open((long) nextArrival));
        nextArrival += meanGapNanos * -Math.log(1 - random.nextDouble());
        continue;
      }
      active.poll();
      sink.frame(next.nextNanos, next.step(frames));
      written++;
      if (!next.done()) {
        active.add(next);
      }
    }
    return opened;
  }

  private SynthConnection open(long at) {
    SynthConnection c = connection(at);
    c.order = opened++;
    return c;
  }

  private SynthConnection connection(long at) {
    boolean v6 = random.nextInt(100) < mix.ipv6Percent();
    Host client = host(v6 ? clients6 : clients4, random.nextInt(CLIENTS), v6, true);
    Host server = host(v6 ? servers6 : servers4, random.nextInt(SERVERS), v6, false);
    int clientPort = nextClientPort;
    nextClientPort = nextClientPort == 65535 ? 1024 : nextClientPort + 1;
    // Lifetimes vary between half and one and a half times the mean.
    long life = (long) (lifetimeNanos * (0.5 + random.nextDouble()));
    int kind = random.nextInt(100);
    if (kind < mix.tcpPercent()) {
      int exchanges = 1 + random.nextInt(8);
      int ending = random.nextInt(100);
      SynthConnection.Ending end = ending < 5 ? SynthConnection.Ending.REFUSED
          : ending < 15 ? SynthConnection.Ending.RESET : SynthConnection.Ending.CLOSE;
      return SynthConnection.tcp(client, clientPort, server, SERVER_PORTS[random.nextInt(SERVER_PORTS.length)], at,
          life, exchanges, end, random.nextInt(), random.nextInt(), random.split());
    }
    if (kind < mix.tcpPercent() + mix.udpPercent()) {
      return SynthConnection.udp(client, clientPort, server, 53, at, life, 1 + random.nextInt(4), random.split());
    }
    return SynthConnection.icmp(client, server, clientPort, at, life, 1 + random.nextInt(4), random.split());
  }

  private static Host host(Host[] pool, int i, boolean v6, boolean client) {
    Host h = pool[i];
    if (h == null) {
      String address = v6 ? (client ? "fd00:5::" : "2001:db8:5::") + Integer.toHexString(i + 1)
          : client ? "10." + (i >>> 8 & 0xff) + "." + (i & 0xff) + "." + (1 + (i >>> 16))
          : "198.18." + (i >>> 8 & 0xff) + "." + (i & 0xff);
      h = Host.of(address, (client ? 0x100000 : 0x200000) + i);
      pool[i] = h;
    }
    return h;
  }
}

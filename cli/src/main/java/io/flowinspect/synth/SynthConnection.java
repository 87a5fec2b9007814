package io.flowinspect.synth;

import java.util.SplittableRandom;

/**
 * One synthetic connection as a small state machine: each {@link #step} writes its next packet
 * and schedules the one after. Kept lean (primitives and a 64-bit random state) because a workload
 * may hold millions of them at once.
 */
final class SynthConnection implements Comparable<SynthConnection> {
  enum Kind { TCP, UDP, ICMP }

  enum Ending { CLOSE, RESET, REFUSED }

  private static final int FIN = 0x01;
  private static final int SYN = 0x02;
  private static final int RST = 0x04;
  private static final int PSH = 0x08;
  private static final int ACK = 0x10;

  private final Kind kind;
  private final Host client;
  private final int clientPort;
  private final Host server;
  private final int serverPort;
  private final Ending ending;
  private final int exchanges;
  private final long gapNanos;
  /** Opening order, so that two packets due at the same nanosecond always come out the same way. */
  long order;
  private long rng;
  private int step;
  private int clientSeq;
  private int serverSeq;
  long nextNanos;
  private boolean done;

  private SynthConnection(Kind kind, Host client, int clientPort, Host server, int serverPort, long at, long life,
      int exchanges, Ending ending, int clientIsn, int serverIsn, SplittableRandom random) {
    this.kind = kind;
    this.client = client;
    this.clientPort = clientPort;
    this.server = server;
    this.serverPort = serverPort;
    this.nextNanos = at;
    this.exchanges = exchanges;
    this.ending = ending;
    this.gapNanos = Math.max(1_000_000L, life / (exchanges + 1));
    this.clientSeq = clientIsn;
    this.serverSeq = serverIsn;
    this.rng = random.nextLong() | 1;
  }

  static SynthConnection tcp(Host client, int clientPort, Host server, int serverPort, long at, long life,
      int exchanges, Ending ending, int clientIsn, int serverIsn, SplittableRandom random) {
    return new SynthConnection(Kind.TCP, client, clientPort, server, serverPort, at, life, exchanges, ending,
        clientIsn, serverIsn, random);
  }

  static SynthConnection udp(Host client, int clientPort, Host server, int serverPort, long at, long life,
      int exchanges, SplittableRandom random) {
    return new SynthConnection(Kind.UDP, client, clientPort, server, serverPort, at, life, exchanges, Ending.CLOSE,
        0, 0, random);
  }

  static SynthConnection icmp(Host client, Host server, int id, long at, long life, int exchanges,
      SplittableRandom random) {
    return new SynthConnection(Kind.ICMP, client, id & 0xffff, server, 0, at, life, exchanges, Ending.CLOSE, 0, 0,
        random);
  }

  boolean done() {
    return done;
  }

  /** Writes this connection's next packet and schedules the following one. */
  byte[] step(FrameBuilder f) {
    byte[] frame = switch (kind) {
      case TCP -> tcpStep(f);
      case UDP -> pairStep(f, true);
      case ICMP -> pairStep(f, false);
    };
    step++;
    return frame;
  }

  private byte[] tcpStep(FrameBuilder f) {
    int exchangeSteps = 3 * exchanges;
    if (step == 0) {
      return client(f, SYN, 0, TcpOptions.syn(1460, 7, true), rtt());
    }
    if (step == 1) {
      if (ending == Ending.REFUSED) {
        done = true;
        return f.tcp(server, serverPort, client, clientPort, RST | ACK, 0, clientSeq, 0, TcpOptions.NONE, new byte[0]);
      }
      return server(f, SYN | ACK, 0, TcpOptions.syn(1460, 7, true), rtt());
    }
    if (step == 2) {
      return client(f, ACK, 0, TcpOptions.NONE, gapNanos);
    }
    int s = step - 3;
    if (s < exchangeSteps) {
      return switch (s % 3) {
        case 0 -> client(f, PSH | ACK, 60 + (int) (next() % 400), TcpOptions.NONE, rtt());
        case 1 -> server(f, PSH | ACK, 200 + (int) (next() % 1200), TcpOptions.NONE, rtt() / 4);
        default -> client(f, ACK, 0, TcpOptions.NONE, gapNanos);
      };
    }
    int c = s - exchangeSteps;
    if (ending == Ending.RESET) {
      done = true;
      return client(f, RST | ACK, 0, TcpOptions.NONE, 0);
    }
    if (c == 0) {
      return client(f, FIN | ACK, 0, TcpOptions.NONE, rtt());
    }
    if (c == 1) {
      return server(f, FIN | ACK, 0, TcpOptions.NONE, rtt());
    }
    done = true;
    return client(f, ACK, 0, TcpOptions.NONE, 0);
  }

  /** UDP query and answer, or ICMP echo request and reply, {@code exchanges} times. */
  private byte[] pairStep(FrameBuilder f, boolean udp) {
    boolean request = step % 2 == 0;
    done = step + 1 >= 2 * exchanges;
    nextNanos += request ? rtt() : gapNanos;
    if (udp) {
      return request ? f.udp(client, clientPort, server, serverPort, new byte[30 + (int) (next() % 40)])
          : f.udp(server, serverPort, client, clientPort, new byte[60 + (int) (next() % 400)]);
    }
    boolean v6 = client.ipv6();
    int type = request ? (v6 ? 128 : 8) : (v6 ? 129 : 0);
    int rest = clientPort << 16 | (step / 2 + 1);
    return request ? f.icmp(client, server, type, 0, rest, new byte[56]) : f.icmp(server, client, type, 0, rest,
        new byte[56]);
  }

  private byte[] client(FrameBuilder f, int flags, int bytes, TcpOptions options, long after) {
    byte[] frame = f.tcp(client, clientPort, server, serverPort, flags, clientSeq, serverSeq, 64240, options,
        new byte[bytes]);
    clientSeq += bytes + ((flags & (SYN | FIN)) != 0 ? 1 : 0);
    nextNanos += after;
    return frame;
  }

  private byte[] server(FrameBuilder f, int flags, int bytes, TcpOptions options, long after) {
    byte[] frame = f.tcp(server, serverPort, client, clientPort, flags, serverSeq, clientSeq, 65160, options,
        new byte[bytes]);
    serverSeq += bytes + ((flags & (SYN | FIN)) != 0 ? 1 : 0);
    nextNanos += after;
    return frame;
  }

  /** A round trip between 0.2 and 20 ms. */
  private long rtt() {
    return 200_000L + next() % 19_800_000L;
  }

  /** xorshift64: enough randomness for sizes and delays, eight bytes of state per connection. */
  private long next() {
    rng ^= rng << 13;
    rng ^= rng >>> 7;
    rng ^= rng << 17;
    return rng & Long.MAX_VALUE;
  }

  @Override
  public int compareTo(SynthConnection o) {
    int byTime = Long.compare(nextNanos, o.nextNanos);
    return byTime != 0 ? byTime : Long.compare(order, o.order);
  }
}

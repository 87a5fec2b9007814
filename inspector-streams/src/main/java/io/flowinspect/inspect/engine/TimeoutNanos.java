package io.flowinspect.inspect.engine;

/**
 * The timeouts in force, in nanoseconds, read on every packet: {@link Timeouts} scaled down while
 * the connection table is under pressure (pf's adaptive timeouts), precomputed so that a packet
 * pays for a field read, not a Duration conversion.
 */
final class TimeoutNanos {
  private final long[] tcpByState = new long[TcpState.values().length];
  final long tcpRetransmit;
  final long tcpUnacknowledged;
  final long tcpClose;
  final long udpUnreplied;
  final long udpStream;
  final long icmp;
  final long generic;
  final long expectation;
  final double scale;

  private TimeoutNanos(Timeouts t, double scale) {
    this.scale = scale;
    for (TcpState s : TcpState.values()) {
      tcpByState[s.ordinal()] = scaled(t.tcpNanos(s), scale);
    }
    tcpRetransmit = scaled(t.tcpRetransmit().toNanos(), scale);
    tcpUnacknowledged = scaled(t.tcpUnacknowledged().toNanos(), scale);
    tcpClose = scaled(t.tcpClose().toNanos(), scale);
    udpUnreplied = scaled(t.udpUnreplied().toNanos(), scale);
    udpStream = scaled(t.udpStream().toNanos(), scale);
    icmp = scaled(t.icmp().toNanos(), scale);
    generic = scaled(t.generic().toNanos(), scale);
    expectation = scaled(t.expectation().toNanos(), scale);
  }

  static TimeoutNanos of(Timeouts t, double scale) {
    return new TimeoutNanos(t, scale);
  }

  long tcp(TcpState state) {
    return tcpByState[state.ordinal()];
  }

  private static long scaled(long nanos, double scale) {
    return scale >= 1 ? nanos : (long) (nanos * scale);
  }
}

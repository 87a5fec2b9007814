package io.flowinspect.inspect.engine;

import java.time.Duration;

/**
 * How long each kind of connection lives without traffic. The defaults are Linux conntrack's
 * ({@code nf_conntrack_tcp_timeout_*} and friends), so that a capture replayed through the engine
 * forgets connections when the kernel would.
 */
public record Timeouts(
    Duration tcpSynSent,
    Duration tcpSynRecv,
    Duration tcpEstablished,
    Duration tcpFinWait,
    Duration tcpCloseWait,
    Duration tcpLastAck,
    Duration tcpTimeWait,
    Duration tcpClose,
    /** After three retransmissions without an acceptable ACK, and for a zero window. */
    Duration tcpRetransmit,
    /** While data is unacknowledged, and for a connection picked up mid-stream before its reply. */
    Duration tcpUnacknowledged,
    Duration udpUnreplied,
    /** A UDP flow still active two seconds after its first reply is a stream. */
    Duration udpStream,
    Duration icmp,
    Duration generic,
    Duration expectation) {

  public static Timeouts linux() {
    return new Timeouts(
        Duration.ofMinutes(2), Duration.ofSeconds(60), Duration.ofDays(5), Duration.ofMinutes(2),
        Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofSeconds(10),
        Duration.ofMinutes(5), Duration.ofMinutes(5),
        Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(30), Duration.ofMinutes(10),
        Duration.ofMinutes(5));
  }

  /**
   * For passive monitoring: an established TCP connection idle for five minutes is reported and
   * forgotten, as Zeek's inactivity timeout does, instead of being held for five days.
   */
  public static Timeouts monitoring() {
    return linux().with("tcp.established", Duration.ofMinutes(5));
  }

  /** Names for configuration ({@code --timeout NAME=DURATION}), in the order of the components. */
  public static final java.util.List<String> NAMES = java.util.List.of(
      "tcp.syn_sent", "tcp.syn_recv", "tcp.established", "tcp.fin_wait", "tcp.close_wait", "tcp.last_ack",
      "tcp.time_wait", "tcp.close", "tcp.retransmit", "tcp.unacknowledged", "udp.unreplied", "udp.stream", "icmp",
      "generic", "ftp.expectation");

  /** A copy with one timeout changed; the name is one of {@link #NAMES}. */
  public Timeouts with(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("timeout " + name + " must be positive: " + value);
    }
    Duration[] d = values();
    int i = NAMES.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("unknown timeout '" + name + "' (known: " + String.join(", ", NAMES) + ")");
    }
    d[i] = value;
    return new Timeouts(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14]);
  }

  /** The timeout called {@code name}. */
  public Duration get(String name) {
    int i = NAMES.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("unknown timeout '" + name + "'");
    }
    return values()[i];
  }

  private Duration[] values() {
    return new Duration[] {tcpSynSent, tcpSynRecv, tcpEstablished, tcpFinWait, tcpCloseWait, tcpLastAck, tcpTimeWait,
        tcpClose, tcpRetransmit, tcpUnacknowledged, udpUnreplied, udpStream, icmp, generic, expectation};
  }

  long tcpNanos(TcpState state) {
    return switch (state) {
      case NONE, SYN_SENT, SYN_SENT2 -> tcpSynSent.toNanos();
      case SYN_RECV -> tcpSynRecv.toNanos();
      case ESTABLISHED -> tcpEstablished.toNanos();
      case FIN_WAIT -> tcpFinWait.toNanos();
      case CLOSE_WAIT -> tcpCloseWait.toNanos();
      case LAST_ACK -> tcpLastAck.toNanos();
      case TIME_WAIT -> tcpTimeWait.toNanos();
      case CLOSE -> tcpClose.toNanos();
    };
  }
}

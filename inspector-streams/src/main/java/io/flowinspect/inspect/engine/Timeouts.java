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
    Timeouts l = linux();
    return new Timeouts(l.tcpSynSent, l.tcpSynRecv, Duration.ofMinutes(5), l.tcpFinWait, l.tcpCloseWait,
        l.tcpLastAck, l.tcpTimeWait, l.tcpClose, l.tcpRetransmit, l.tcpUnacknowledged, l.udpUnreplied,
        l.udpStream, l.icmp, l.generic, l.expectation);
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

package io.flowinspect.inspect.streams;

import static io.flowinspect.inspect.streams.TopologyHarness.ACK;
import static io.flowinspect.inspect.streams.TopologyHarness.FIN;
import static io.flowinspect.inspect.streams.TopologyHarness.MS;
import static io.flowinspect.inspect.streams.TopologyHarness.PSH;
import static io.flowinspect.inspect.streams.TopologyHarness.RST;
import static io.flowinspect.inspect.streams.TopologyHarness.SECOND;
import static io.flowinspect.inspect.streams.TopologyHarness.SYN;
import static io.flowinspect.inspect.streams.TopologyHarness.T0;
import static io.flowinspect.inspect.streams.TopologyHarness.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.inspect.engine.Timeouts;
import io.flowinspect.inspect.engine.TrackerConfig;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.FlowRecord;
import io.flowinspect.schemas.PacketHeader;
import io.flowinspect.schemas.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every timeout, through the production topology: a connection left in a given state survives a
 * heartbeat one second before its timeout and is reported by the first punctuation after it.
 * Each timeout is set to a value no other timeout has, so a connection that got the wrong one
 * fails its case instead of passing by coincidence.
 */
class TimeoutTopologyTest {
  /** Every timeout moved off its default by its own number of seconds, so no two are equal. */
  static final Timeouts DISTINCT = distinct();

  @TempDir Path stateDir;
  private TopologyHarness topology;

  private static Timeouts distinct() {
    Timeouts t = Timeouts.linux();
    for (int i = 0; i < Timeouts.NAMES.size(); i++) {
      String name = Timeouts.NAMES.get(i);
      t = t.with(name, t.get(name).plusSeconds(3L * (i + 1)));
    }
    return t;
  }

  private TopologyHarness start() {
    TrackerConfig config = TrackerConfig.defaults().withTimeouts(DISTINCT);
    topology = new TopologyHarness(InspectorSettings.defaults().withTracker(config), stateDir);
    return topology;
  }

  @AfterEach
  void close() {
    if (topology != null) {
      topology.close();
    }
  }

  /** A connection, the packets that leave it in the state under test, and what its flow record says. */
  record Case(String timeout, FlowKey key, List<PacketHeader> packets, String finalState, String endReason) {
    @Override
    public String toString() {
      return timeout + " (" + finalState + ")";
    }
  }

  static Stream<Arguments> everyTimeout() {
    FlowKey web = TopologyHarness.tcpKey("10.0.0.5", 40000, "93.184.216.34", 443);
    FlowKey dns = TopologyHarness.key(17, "10.0.0.5", 53000, "192.0.2.53", 53);
    FlowKey ping = TopologyHarness.key(1, "10.0.0.5", 77, "192.0.2.1", 0);
    FlowKey gre = TopologyHarness.key(47, "10.0.0.5", 0, "192.0.2.1", 0);
    boolean c = false; // the client is the low address in every key
    boolean s = true;
    return Stream.of(
        tcpCase("tcp.syn_sent", web, "SYN_SENT", "TIMEOUT", 1),
        tcpCase("tcp.syn_recv", web, "SYN_RECV", "TIMEOUT", 2),
        tcpCase("tcp.established", web, "ESTABLISHED", "TIMEOUT", 3),
        tcpCase("tcp.fin_wait", web, "FIN_WAIT", "TIMEOUT", 3, tcp(0, c, FIN | ACK, 101, 901)),
        tcpCase("tcp.close_wait", web, "CLOSE_WAIT", "TIMEOUT", 3, tcp(0, c, FIN | ACK, 101, 901),
            tcp(0, s, ACK, 901, 102)),
        tcpCase("tcp.last_ack", web, "LAST_ACK", "CLOSED", 3, tcp(0, c, FIN | ACK, 101, 901),
            tcp(0, s, ACK, 901, 102), tcp(0, s, FIN | ACK, 901, 102)),
        tcpCase("tcp.time_wait", web, "TIME_WAIT", "CLOSED", 3, tcp(0, c, FIN | ACK, 101, 901),
            tcp(0, s, FIN | ACK, 901, 102), tcp(0, c, ACK, 102, 902)),
        tcpCase("tcp.close", web, "CLOSE", "RESET", 3, tcp(0, c, RST | ACK, 101, 901)),
        tcpCase("tcp.unacknowledged", web, "ESTABLISHED", "TIMEOUT", 3, tcp(0, c, PSH | ACK, 101, 901, 100)),
        tcpCase("tcp.retransmit", web, "ESTABLISHED", "TIMEOUT", 3, tcp(0, c, PSH | ACK, 101, 901, 100),
            tcp(0, c, PSH | ACK, 101, 901, 100), tcp(0, c, PSH | ACK, 101, 901, 100),
            tcp(0, c, PSH | ACK, 101, 901, 100)),
        Arguments.of(new Case("udp.unreplied", dns, List.of(TopologyHarness.udp(0, c, 40)), "udp/UNREPLIED",
            "TIMEOUT")),
        // A reply makes it a stream only when traffic goes on more than two seconds after the first packet.
        Arguments.of(new Case("udp.stream", dns, List.of(TopologyHarness.udp(0, c, 40),
            TopologyHarness.udp(10 * MS, s, 80), TopologyHarness.udp(3 * SECOND, c, 40)), "udp/ASSURED", "TIMEOUT")),
        Arguments.of(new Case("icmp", ping, List.of(TopologyHarness.icmp(0, c, 8)), "icmp/UNREPLIED", "TIMEOUT")),
        Arguments.of(new Case("generic", gre, List.of(TopologyHarness.other(0, c)), "gre/UNREPLIED", "TIMEOUT")));
  }

  /** The first {@code handshake} packets of a three-way handshake, then {@code more}, 1 ms apart. */
  private static Arguments tcpCase(String timeout, FlowKey key, String state, String reason, int handshake,
      PacketHeader... more) {
    List<PacketHeader> all = new ArrayList<>(List.of(tcp(0, false, SYN, 100, 0), tcp(0, true, SYN | ACK, 900, 101),
        tcp(0, false, ACK, 101, 901)).subList(0, handshake));
    all.addAll(List.of(more));
    for (int i = 0; i < all.size(); i++) {
      all.get(i).setTimeNanos(T0 + i * MS);
    }
    return Arguments.of(new Case(timeout, key, all, "tcp/" + state, reason));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyTimeout")
  void connectionEndsByPunctuationWhenItsTimeoutHasPassedAndNotBefore(Case c) {
    TopologyHarness t = start();
    for (PacketHeader p : c.packets()) {
      if (p.getTimeNanos() < T0) {
        p.setTimeNanos(T0 + p.getTimeNanos());
      }
      t.send(c.key(), p);
    }
    long last = c.packets().get(c.packets().size() - 1).getTimeNanos();
    long deadline = last + DISTINCT.get(c.timeout()).toNanos();

    t.heartbeat(deadline - SECOND);
    assertThat(t.flows.isEmpty()).as("still tracked one second before its %s timeout", c.timeout()).isTrue();

    t.heartbeat(deadline + SECOND);
    FlowRecord flow = t.flows.readValue();
    assertThat(flow.getFinalState()).isEqualTo(c.finalState());
    assertThat(flow.getEndReason().name()).isEqualTo(c.endReason());
    assertThat(flow.getLastNanos()).isEqualTo(last);
    assertThat(t.flows.isEmpty()).isTrue();
  }

  @ParameterizedTest(name = "data connection {0} s after the expectation timeout: related={1}")
  @CsvSource({"-1, true", "1, false"})
  void ftpExpectationIsHonouredUntilItsTimeoutAndNotAfter(int secondsPastTimeout, boolean related) {
    TopologyHarness t = start();
    FlowKey control = TopologyHarness.tcpKey("10.0.0.5", 40000, "192.0.2.21", 21);
    t.send(control, tcp(T0, false, SYN, 100, 0), tcp(T0 + MS, true, SYN | ACK, 900, 101),
        tcp(T0 + 2 * MS, false, ACK, 101, 901));
    long announced = T0 + 4 * MS;
    // Like the kernel's helper, the engine reads a line only where it knows one starts: after a
    // greeting. 19 * 256 + 137 = port 5001.
    String pasv = "227 Entering Passive Mode (192,0,2,21,19,137)";
    t.send(control, TopologyHarness.ftpOtherLine(T0 + 3 * MS, true, 901, 101, 20),
        TopologyHarness.ftp(announced, true, 921, 101, pasv));
    // The client acknowledges, or the control connection would get the unacknowledged-data timeout
    // and, ending, take its expectation with it (as in the kernel).
    t.send(control, tcp(announced + MS, false, ACK, 101, 921 + pasv.length() + 2));
    long dataStart = announced + DISTINCT.get("ftp.expectation").toNanos() + secondsPastTimeout * SECOND;

    t.heartbeat(dataStart - MS);
    FlowKey data = TopologyHarness.tcpKey("10.0.0.5", 40001, "192.0.2.21", 5001);
    t.send(data, tcp(dataStart, false, SYN, 1, 0));

    List<TestRecord<FlowKey, Verdict>> verdicts = t.verdicts.readRecordsToList();
    assertThat(verdicts.get(verdicts.size() - 1).key()).isEqualTo(data);
    assertThat(verdicts.get(verdicts.size() - 1).value().getRelated()).isEqualTo(related);
  }

  @Test
  void defaultsAreTheKernelsAndTheIssuesDocumentedValues() {
    Timeouts l = Timeouts.linux();
    assertThat(List.of(l.tcpSynSent(), l.tcpSynRecv(), l.tcpEstablished(), l.tcpFinWait(), l.tcpCloseWait(),
        l.tcpLastAck(), l.tcpTimeWait(), l.tcpClose(), l.tcpRetransmit(), l.tcpUnacknowledged(), l.udpUnreplied(),
        l.udpStream(), l.icmp(), l.expectation())).containsExactly(Duration.ofSeconds(120), Duration.ofSeconds(60),
        Duration.ofDays(5), Duration.ofSeconds(120), Duration.ofSeconds(60), Duration.ofSeconds(30),
        Duration.ofSeconds(120), Duration.ofSeconds(10), Duration.ofSeconds(300), Duration.ofSeconds(300),
        Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(30), Duration.ofSeconds(300));
  }
}

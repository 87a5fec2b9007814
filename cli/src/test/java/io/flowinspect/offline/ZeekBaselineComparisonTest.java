package io.flowinspect.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.inspect.engine.Protocols;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * flowinspect's Zeek vocabulary against Zeek: every Zeek test baseline in ../shared that reports
 * {@code history} or {@code conn_state} is compared with what {@link FlowHistory} says for the
 * connections the engine tracks in the same capture (decoded, classified and ended by the real
 * offline path). Each baseline line is matched to a flow by 5-tuple in either orientation (or, when
 * the baseline has no tuple, to the capture's only flow). Disagreements are printed with both
 * values; the design notes on the Zeek vocabulary explain each of them. Where the engine saw every
 * packet Zeek saw, the two must agree exactly: the remaining differences are the engine's
 * (conntrack does not track what Zeek does), not the history's.
 */
class ZeekBaselineComparisonTest {
  /** How a baseline file is read. */
  interface Reader {
    List<ZeekConnLine> read(Path file) throws IOException;
  }

  /**
   * One Zeek test: its baseline, the captures it read (one baseline line per capture when there
   * are several), whether Zeek ran with {@code -C} (checksums ignored; then the engine runs with
   * {@code --checksums off} and the history sees no bad checksum), and whether it loaded the
   * protocol scripts that fill {@code likely_server_ports} ({@code zeek -b} with only the conn
   * scripts registers none). Both as in the test's command line; {@code -C} matters for the four
   * captures with bad checksums (dns-corrupt, pcapng-multi-interface, ssh-dups, retransmit-fast009).
   */
  record Case(String baseline, Reader reader, boolean ignoreChecksums, boolean serverPorts, List<String> captures) {
    static Case of(String baseline, Reader reader, boolean ignoreChecksums, String... captures) {
      return new Case(baseline, reader, ignoreChecksums, true, List.of(captures));
    }

    /** {@code zeek -b} without protocol scripts: no likely server ports. */
    static Case bare(String baseline, Reader reader, boolean ignoreChecksums, String... captures) {
      return new Case(baseline, reader, ignoreChecksums, false, List.of(captures));
    }
  }

  static final List<Case> CASES = List.of(
      Case.bare("scripts.base.protocols.conn.conn_state-RST-behavior/out", ZeekConnLine::historyAndState, true,
          "zeek_tcp_single-rst.pcap", "zeek_tcp_syn-then-rst.pcap", "zeek_tcp_syn-then-ack-then-rst.pcap",
          "zeek_tcp_syn-then-stuff-then-rst.pcap"),
      Case.of("core.tcp.missing-syn/conn.log", ZeekConnLine::connLog, true, "zeek_tcp_missing-syn.pcap"),
      Case.of("core.history-flip/conn.log", ZeekConnLine::connLog, true, "zeek_tcp_missing-syn.pcap"),
      Case.of("core.tcp.flip-without-syn/conn.log", ZeekConnLine::connLog, false,
          "zeek_tcp_http-on-irc-port-missing-syn.pcapng"),
      Case.of("core.tcp.rxmit-history/conn-1.log", ZeekConnLine::connLog, true, "zeek_tcp_retransmit-fast009.pcap"),
      Case.of("core.tcp.rxmit-history/conn-2.log", ZeekConnLine::connLog, true, "zeek_wikipedia.pcap"),
      Case.bare("core.conn-size-flip/conn.log.ctu", ZeekConnLine::connLog, true, "zeek_tcp_ctu-64702-888.pcap"),
      Case.bare("core.conn-size-flip/conn.log.one-sided", ZeekConnLine::connLog, true,
          "zeek_tcp_one-sided-2745.pcap"),
      Case.of("core.udp-corrupt/conn.log", ZeekConnLine::connLog, false, "zeek_dns_dns-corrupt.pcap"),
      Case.of("core.pcapng-pktsrc/conn.log", ZeekConnLine::connLog, true, "zeek_pcapng-multi-interface.pcapng"),
      Case.of("core.q-in-q/conn.log", ZeekConnLine::connLog, false, "zeek_q-in-q.pcap"),
      Case.of("scripts.policy.protocols.conn.vlan-logging/conn.log", ZeekConnLine::connLog, false,
          "zeek_q-in-q.pcap"),
      Case.of("core.tcp.reassembly-known-ports/conn.log", ZeekConnLine::connLog, false, "zeek_http_get.pcap"),
      Case.of("scripts.base.protocols.ftp.ftp-ipv4/conn.log", ZeekConnLine::connLog, false, "zeek_ftp_ipv4.pcap"),
      Case.of("scripts.base.protocols.ftp.ftp-ipv6/conn.log", ZeekConnLine::connLog, false, "zeek_ftp_ipv6.pcap"),
      Case.of("scripts.base.protocols.quic.quicv2-echo-443/conn.log.cut", ZeekConnLine::connLog, false,
          "zeek_quic_quicv2-echo-443.pcap"),
      Case.of("core.udp-broadcast-no-flip/conn.log.cut", ZeekConnLine::connLog, false, "zeek_udp-broadcast.pcap"),
      Case.bare("core.expire-all-timers/conn-all.log", ZeekConnLine::connLog, true,
          "zeek_tcp_retransmit-timeout.pcapng"),
      Case.of("opt.basic/conn.log", ZeekConnLine::connLog, false, "zeek_wikipedia.pcap"),
      Case.of("core.tcp.miss-end-data/conn.log", ZeekConnLine::connLog, false, "zeek_tcp_miss_end_data.pcap"),
      Case.of("core.tcp.tcp-dups/out", file -> ZeekConnLine.events(file, "REMOVE:"), true,
          "zeek_tcp_ssh-dups.pcap"),
      Case.bare("core.connection_flipped/out", file -> ZeekConnLine.events(file, "connection_state_remove"), false,
          "zeek_tcp_handshake-reorder.pcap"));

  /** A comparison of one baseline line. */
  record Outcome(Case source, String capture, ZeekConnLine zeek, String ourState, String ourHistory, String note,
      boolean sawAll) {
    boolean stateCompared() {
      return zeek.connState() != null;
    }

    boolean historyCompared() {
      return zeek.history() != null;
    }

    boolean stateAgrees() {
      return zeek.connState().equals(ourState);
    }

    boolean historyAgrees() {
      return zeek.history().equals(ourHistory);
    }

    @Override
    public String toString() {
      return capture + "\t" + zeek.tuple() + "\tZeek " + zeek.connState() + " " + zeek.history() + "\tflowinspect "
          + ourState + " " + ourHistory + (note.isEmpty() ? "" : "\t" + note) + "\t(" + source.baseline() + ")";
    }
  }

  @Test
  void agreesWithZeekOnConnStateAndHistory() throws Exception {
    Path pcaps = SharedCaptures.dir();
    Path baselines = pcaps.resolve("expected/zeek");
    List<Outcome> outcomes = new ArrayList<>();
    for (Case c : CASES) {
      List<ZeekConnLine> lines = c.reader().read(baselines.resolve(c.baseline()));
      for (int i = 0; i < c.captures().size(); i++) {
        String capture = c.captures().get(i);
        List<ZeekConnLine> mine = c.captures().size() == 1 ? lines : List.of(lines.get(i));
        outcomes.addAll(compare(c, capture, pcaps.resolve(capture), mine));
      }
    }
    outcomes.stream()
        .filter(o -> (o.stateCompared() && !o.stateAgrees()) || (o.historyCompared() && !o.historyAgrees()))
        .forEach(o -> System.out.println("disagreement\t" + o));
    Agreement all = Agreement.of(outcomes);
    Agreement sawAll = Agreement.of(outcomes.stream().filter(Outcome::sawAll).toList());
    System.out.printf("agreement with Zeek: conn_state %s, history %s (%d baseline lines of %d baselines); "
        + "where the engine saw every packet Zeek saw: conn_state %s, history %s%n",
        all.states(), all.histories(), outcomes.size(), CASES.size(), sawAll.states(), sawAll.histories());
    assertThat(all.statesCompared).isEqualTo(99);
    assertThat(all.historiesCompared).isEqualTo(106);
    assertThat(all.statesAgree).isGreaterThanOrEqualTo(MIN_STATES_AGREEING);
    assertThat(all.historiesAgree).isGreaterThanOrEqualTo(MIN_HISTORIES_AGREEING);
    assertThat(sawAll.statesAgree).as("conn_state where the engine saw every packet").isEqualTo(sawAll.statesCompared);
    assertThat(sawAll.historiesAgree).as("history where the engine saw every packet")
        .isEqualTo(sawAll.historiesCompared);
  }

  /** Floors: what the engine achieves today (docs/zeek-vocabulary.md explains every line below them). */
  static final int MIN_STATES_AGREEING = 92;
  static final int MIN_HISTORIES_AGREEING = 92;

  @Test
  void everySharedCaptureGivesWellFormedHistories() throws Exception {
    Path pcaps = SharedCaptures.dir();
    Map<Character, Integer> letters = new TreeMap<>();
    Map<String, Integer> states = new TreeMap<>();
    long flows = 0;
    long opened = 0;
    try (Stream<Path> files = Files.list(pcaps)) {
      for (Path capture : files.filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).sorted().toList()) {
        FlowCollector collector = new FlowCollector();
        OfflineInspection.run(capture, OfflineInspection.Options.defaults(), collector, collector);
        opened += collector.opened;
        for (FlowCollector.Ended f : collector.flows) {
          String history = f.summary().history();
          assertThat(history).as(capture + " " + f.key()).matches("\\^?[SHADFRCGTWIQshadfrcgtwiq^]*");
          assertThat(f.summary().connState()).as(capture + " " + f.key())
              .isIn("S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH");
          assertThat(f.summary().communityId()).startsWith("1:").hasSize(30);
          history.chars().forEach(ch -> letters.merge((char) ch, 1, Integer::sum));
          states.merge(f.summary().connState(), 1, Integer::sum);
          flows++;
        }
      }
    }
    System.out.println("over " + flows + " flows of the shared captures: letters " + letters + ", conn_state " + states);
    assertThat(flows).as("every connection opened ends with a flow record, at the latest at the end of input")
        .isEqualTo(opened).isGreaterThan(800);
  }

  /** Lines compared and agreeing, for conn_state and history. */
  record Agreement(long statesCompared, long statesAgree, long historiesCompared, long historiesAgree) {
    static Agreement of(List<Outcome> outcomes) {
      return new Agreement(
          outcomes.stream().filter(Outcome::stateCompared).count(),
          outcomes.stream().filter(o -> o.stateCompared() && o.stateAgrees()).count(),
          outcomes.stream().filter(Outcome::historyCompared).count(),
          outcomes.stream().filter(o -> o.historyCompared() && o.historyAgrees()).count());
    }

    String states() {
      return statesAgree + "/" + statesCompared;
    }

    String histories() {
      return historiesAgree + "/" + historiesCompared;
    }
  }

  private static List<Outcome> compare(Case c, String name, Path capture, List<ZeekConnLine> lines)
      throws Exception {
    OfflineInspection.Options defaults = OfflineInspection.Options.defaults();
    OfflineInspection.Options options = new OfflineInspection.Options(
        defaults.tracker().withChecksums(!c.ignoreChecksums()), defaults.rules(), defaults.decoder());
    FlowCollector collector = new FlowCollector();
    OfflineInspection.run(capture, options, collector, collector);
    List<FlowCollector.Ended> flows = new ArrayList<>(collector.flows);
    flows.sort(Comparator.comparingLong(f -> f.summary().firstNanos()));
    Set<FlowCollector.Ended> used = new HashSet<>();
    List<Outcome> outcomes = new ArrayList<>();
    for (ZeekConnLine zeek : lines) {
      FlowCollector.Ended flow = match(zeek, flows, used);
      if (flow == null) {
        outcomes.add(new Outcome(c, name, zeek, "-", "-", "no such flow in the engine", false));
        continue;
      }
      used.add(flow);
      int unseen = collector.framesOutside(flow);
      List<String> notes = new ArrayList<>();
      if (flow.summary().history().contains("^")) {
        notes.add("flipped");
      }
      if (unseen > 0) {
        notes.add(unseen + " frames of the tuple in no connection");
      }
      if (collector.dropped > 0) {
        notes.add(collector.dropped + " frames of the capture dropped by the decoder");
      }
      if (!c.serverPorts()) {
        notes.add("zeek -b: no likely server ports; the engine knows them");
      }
      outcomes.add(new Outcome(c, name, zeek, flow.summary().connState(), flow.summary().history(),
          String.join(", ", notes), unseen == 0 && collector.dropped == 0));
    }
    return outcomes;
  }

  private static FlowCollector.Ended match(ZeekConnLine zeek, List<FlowCollector.Ended> flows,
      Set<FlowCollector.Ended> used) {
    List<FlowCollector.Ended> candidates = flows.stream()
        .filter(f -> !used.contains(f))
        .filter(f -> zeek.proto() == null || Protocols.name(f.key().protocol(), f.key().ipv6()).startsWith(zeek.proto()))
        .filter(f -> !zeek.hasTuple() || zeek.sameEndpoints(f.key().lowAddress(), f.key().lowPort(),
            f.key().highAddress(), f.key().highPort()))
        .toList();
    if (zeek.hasTuple()) {
      return candidates.isEmpty() ? null : candidates.get(0);
    }
    return candidates.size() == 1 ? candidates.get(0) : null;
  }
}

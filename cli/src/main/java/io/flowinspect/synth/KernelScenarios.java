package io.flowinspect.synth;

import static io.flowinspect.synth.TcpFlow.ACK;
import static io.flowinspect.synth.TcpFlow.FIN;
import static io.flowinspect.synth.TcpFlow.PSH;
import static io.flowinspect.synth.TcpFlow.RST;
import static io.flowinspect.synth.TcpFlow.SYN;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Edge cases of connection tracking written as captures, so that the kernel (tools/ct-oracle) can
 * say what conntrack does with each packet and the engine can be held to it. The public captures
 * rarely show these: simultaneous open, reopened tuples, reset validation, window overruns,
 * resynchronization after an ignored SYN, challenge ACKs, ICMP errors of every kind, FTP through NAT.
 */
public final class KernelScenarios {
  static final Host CLIENT = Host.of("10.1.0.10", 0x10);
  static final Host SERVER = Host.of("192.0.2.20", 0x20);
  static final Host OTHER_SERVER = Host.of("192.0.2.21", 0x21);
  static final Host ROUTER = Host.of("10.1.0.1", 0x01);
  static final Host CLIENT6 = Host.of("2001:db8:1::10", 0x610);
  static final Host SERVER6 = Host.of("2001:db8:2::20", 0x620);
  static final Host ROUTER6 = Host.of("2001:db8:1::1", 0x601);
  static final Host NAT_PUBLIC = Host.of("203.0.113.20", 0x30);

  private static final long START = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z

  private KernelScenarios() {}

  /** Every scenario by name, in a stable order. */
  public static Map<String, Consumer<Script>> all() {
    Map<String, Consumer<Script>> s = new LinkedHashMap<>();
    s.put("tcp-lifecycle", KernelScenarios::lifecycle);
    s.put("tcp-simultaneous-open", KernelScenarios::simultaneousOpen);
    s.put("tcp-reopen", KernelScenarios::reopen);
    s.put("tcp-reset-validation", KernelScenarios::resetValidation);
    s.put("tcp-window-checks", KernelScenarios::windowChecks);
    s.put("tcp-window-scaling-and-sack", KernelScenarios::scalingAndSack);
    s.put("tcp-resync-and-challenge", KernelScenarios::resyncAndChallenge);
    s.put("tcp-invalid-openings", KernelScenarios::invalidOpenings);
    s.put("udp-flows", KernelScenarios::udpFlows);
    s.put("icmp-queries-and-errors", KernelScenarios::icmp);
    s.put("icmpv6-queries-and-errors", KernelScenarios::icmpv6);
    s.put("ftp-expectations", KernelScenarios::ftp);
    return s;
  }

  /** Writes every scenario as {@code DIR/NAME.pcap}; returns how many. */
  public static int writeAll(Path dir) throws IOException {
    java.nio.file.Files.createDirectories(dir);
    int n = 0;
    for (Map.Entry<String, Consumer<Script>> e : all().entrySet()) {
      try (PcapWriter out = new PcapWriter(dir.resolve(e.getKey() + ".pcap"))) {
        e.getValue().accept(new Script(out, START));
      }
      n++;
    }
    return n;
  }

  /** Handshake, data, keep-alive, retransmission, zero window and probe, orderly close. */
  private static void lifecycle(Script s) {
    TcpFlow t = s.tcp(CLIENT, 40001, SERVER, 80, 1_000, 500_000).handshake();
    int request = t.clientNext();
    t.client(PSH | ACK, 300).server(ACK).server(PSH | ACK, 1400).client(ACK);
    t.clientSegment(PSH | ACK, request, t.serverNext(), new byte[300]); // retransmission of acked data
    t.clientSegment(ACK, t.clientNext() - 1, t.serverNext(), new byte[0]); // keep-alive
    t.server(ACK);
    t.windows(0, 0).server(ACK).windows(64240, 65160);
    t.clientSegment(ACK, t.clientNext(), t.serverNext(), new byte[1]); // zero-window probe
    t.server(ACK);
    t.close();
    t.client(ACK); // retransmitted last ACK in TIME_WAIT
  }

  private static void simultaneousOpen(Script s) {
    TcpFlow t = s.tcp(CLIENT, 40002, SERVER, 5000, 7_000, 9_000);
    t.options(TcpOptions.syn(1460, 7, true)).client(SYN);
    t.options(TcpOptions.syn(1460, 7, true)).server(SYN);
    t.clientSegment(SYN | ACK, 7_000, t.serverNext(), new byte[0]);
    t.serverSegment(SYN | ACK, 9_000, t.clientNext(), new byte[0]);
    t.client(ACK).server(ACK).client(PSH | ACK, 100).server(ACK);
  }

  /** A closed tuple reopened by the client, then by the server, and an aborted one reopened. */
  private static void reopen(Script s) {
    TcpFlow t = s.tcp(CLIENT, 40003, SERVER, 80, 10_000, 20_000).handshake();
    t.client(PSH | ACK, 100).server(ACK).close();
    TcpFlow again = s.tcp(CLIENT, 40003, SERVER, 80, t.clientNext() + 100_000, 300_000).handshake();
    again.client(PSH | ACK, 10).server(ACK).close();
    TcpFlow reversed = s.tcp(SERVER, 80, CLIENT, 40003, 900_000, again.clientNext() + 100_000);
    reversed.options(TcpOptions.syn(1460, 7, true)).client(SYN);
    reversed.options(TcpOptions.syn(1460, 7, true)).server(SYN | ACK).client(ACK);
    TcpFlow aborted = s.tcp(CLIENT, 40004, SERVER, 80, 50_000, 60_000).handshake();
    aborted.client(RST);
    s.tcp(CLIENT, 40004, SERVER, 80, 70_000, 80_000).handshake().client(PSH | ACK, 5).server(ACK);
  }

  /** RSTs below, at and beyond what the peer acknowledged, and a RST answering a SYN. */
  private static void resetValidation(Script s) {
    TcpFlow t = s.tcp(CLIENT, 40005, SERVER, 80, 100, 200_000).handshake();
    t.client(PSH | ACK, 500).server(ACK).server(PSH | ACK, 800).client(ACK);
    t.clientSegment(RST, t.clientNext() - 400, 0, new byte[0]); // below what the server acked
    t.clientSegment(RST, t.clientNext() + 10, 0, new byte[0]); // in window but not exact
    t.server(ACK);
    t.clientSegment(RST, t.clientNext(), 0, new byte[0]);
    t.server(ACK);
    TcpFlow refused = s.tcp(CLIENT, 40006, SERVER, 81, 1_000, 0);
    refused.client(SYN);
    refused.serverSegment(RST | ACK, 0, refused.clientNext(), new byte[0]);
    refused.client(ACK); // after the connection was forgotten
  }

  /** Segments over the receiver's window, ACKs of unseen data, overly old ACKs (no window scaling). */
  private static void windowChecks(Script s) {
    TcpFlow t = s.tcp(CLIENT, 40007, SERVER, 80, 1_000, 2_000_000).handshake(TcpOptions.syn(1460, -1, true));
    t.client(PSH | ACK, 1000).server(ACK);
    t.clientSegment(PSH | ACK, t.clientNext() + 5_000_000, t.serverNext(), new byte[100]);
    t.serverSegment(ACK, t.serverNext(), t.clientNext() + 50_000, new byte[0]);
    t.serverSegment(ACK, t.serverNext(), t.clientNext() - 200_000, new byte[0]);
    t.client(PSH | ACK, 1000).server(ACK);
    t.clientSegment(PSH | ACK, t.clientNext() + 60_000, t.serverNext(), new byte[2000]); // slightly past the window
    t.server(ACK);
    t.close();
  }

  /** Scaled windows let a sender go far beyond the raw window field; SACK edges count as ACKs. */
  private static void scalingAndSack(Script s) {
    TcpFlow scaled = s.tcp(CLIENT, 40008, SERVER, 80, 1_000, 3_000_000);
    scaled.options(TcpOptions.syn(1460, 9, true)).client(SYN);
    scaled.options(TcpOptions.syn(1460, 9, true)).server(SYN | ACK);
    scaled.client(ACK).windows(1000, 1000).server(ACK);
    scaled.clientSegment(PSH | ACK, scaled.clientNext() + 400_000, scaled.serverNext(), new byte[1000]);
    TcpFlow unscaled = s.tcp(CLIENT, 40009, SERVER, 80, 1_000, 3_000_000);
    unscaled.options(TcpOptions.syn(1460, 9, true)).client(SYN);
    unscaled.options(TcpOptions.syn(1460, -1, true)).server(SYN | ACK);
    unscaled.client(ACK).windows(1000, 1000).server(ACK);
    unscaled.clientSegment(PSH | ACK, unscaled.clientNext() + 400_000, unscaled.serverNext(), new byte[1000]);
    TcpFlow sack = s.tcp(CLIENT, 40010, SERVER, 80, 5_000, 6_000_000).handshake();
    int hole = sack.serverNext();
    sack.server(PSH | ACK, 1000).server(PSH | ACK, 1000);
    sack.options(TcpOptions.sack(hole + 1000, hole + 2000)).clientSegment(ACK, sack.clientNext(), hole, new byte[0]);
    sack.options(TcpOptions.sack(hole + 1000, hole + 90_000)).clientSegment(ACK, sack.clientNext(), hole, new byte[0]);
    sack.client(ACK);
  }

  /** An ignored SYN answered by the server resynchronizes; a challenge ACK in LAST_ACK is not the last ACK. */
  private static void resyncAndChallenge(Script s) {
    TcpFlow t = s.tcp(CLIENT, 40011, SERVER, 80, 1_000, 700_000).handshake();
    t.client(PSH | ACK, 10).server(ACK);
    int newIsn = t.clientNext() + 1_000_000;
    t.options(TcpOptions.syn(1460, 7, true)).clientSegment(SYN, newIsn, 0, new byte[0]);
    t.options(TcpOptions.syn(1460, 7, true)).serverSegment(SYN | ACK, 900_000, newIsn + 1, new byte[0]);
    t.clientSegment(ACK, newIsn + 1, 900_001, new byte[0]);
    TcpFlow c = s.tcp(CLIENT, 40012, SERVER, 80, 1_000, 800_000).handshake();
    c.client(FIN | ACK).server(ACK).server(FIN | ACK); // LAST_ACK
    c.options(TcpOptions.syn(1460, 7, true)).clientSegment(SYN, c.clientNext() + 5_000, 0, new byte[0]);
    c.serverSegment(ACK, c.serverNext(), c.clientNext(), new byte[0]); // RFC 5961 challenge ACK
    c.client(ACK);
    TcpFlow half = s.tcp(CLIENT, 40013, SERVER, 80, 1_000, 0);
    half.client(SYN);
    half.serverSegment(ACK, 123_456, 99, new byte[0]); // half-open: an ACK answering a SYN
    half.clientSegment(RST, 99, 0, new byte[0]);
  }

  /** Segments that cannot open a connection, bad flag combinations, and a mid-stream pickup. */
  private static void invalidOpenings(Script s) {
    TcpFlow t = s.tcp(CLIENT, 40014, SERVER, 80, 1_000, 2_000);
    t.serverSegment(SYN | ACK, 2_000, 1_001, new byte[0]); // SYN/ACK with no SYN
    t.clientSegment(FIN | ACK, 1_001, 2_001, new byte[0]); // FIN with no connection
    t.clientSegment(RST, 1_001, 0, new byte[0]); // RST with no connection
    t.clientSegment(SYN | FIN, 1_000, 0, new byte[0]); // impossible flags
    t.clientSegment(0, 1_000, 0, new byte[0]); // no flags
    TcpFlow f = s.tcp(CLIENT, 40015, SERVER, 80, 3_000, 4_000);
    f.client(SYN).client(FIN | ACK); // FIN before the SYN/ACK
    f.server(SYN | ACK).client(ACK);
    TcpFlow p = s.tcp(SERVER, 443, CLIENT, 40016, 77_000, 88_000); // capture starts mid-stream, server first
    p.client(PSH | ACK, 1000).server(ACK).client(PSH | ACK, 1000).server(ACK);
  }

  private static void udpFlows(Script s) {
    s.udp(CLIENT, 53001, SERVER, 53, 40).udp(SERVER, 53, CLIENT, 53001, 120).udp(CLIENT, 53001, SERVER, 53, 40);
    s.udp(CLIENT, 53002, SERVER, 53, 40).udp(OTHER_SERVER, 53, CLIENT, 53002, 120); // answer from the wrong server
    s.udp(CLIENT, 53003, SERVER, 53, 40).udp(SERVER, 5353, CLIENT, 53003, 120); // answer from the wrong port
    s.udp(CLIENT, 40000, SERVER, 40000, 20).udp(SERVER, 40000, CLIENT, 40000, 20); // peers, same port
    s.udp(CLIENT6, 53004, SERVER6, 53, 40).udp(SERVER6, 53, CLIENT6, 53004, 200);
  }

  private static void icmp(Script s) {
    s.icmpEcho(CLIENT, SERVER, false, 7, 1).icmpEcho(SERVER, CLIENT, true, 7, 1).icmpEcho(CLIENT, SERVER, false, 7, 2);
    s.icmpEcho(SERVER, CLIENT, true, 99, 1); // reply with no request
    s.emit(s.frames.icmp(CLIENT, SERVER, 13, 0, (8 << 16) | 1, new byte[12])); // timestamp request
    s.emit(s.frames.icmp(SERVER, CLIENT, 14, 0, (8 << 16) | 1, new byte[12])); // and its reply
    s.icmp(ROUTER, CLIENT, 9, 0); // router advertisement: has no reply, opens nothing
    s.icmp(CLIENT, SERVER, 42, 0); // an unknown type
    TcpFlow t = s.tcp(CLIENT, 40020, SERVER, 25, 1_000, 0);
    t.client(SYN);
    byte[] syn = t.lastFrame();
    s.icmpError(ROUTER, CLIENT, 3, 1, syn); // host unreachable for the SYN: related
    s.icmpError(ROUTER, SERVER, 3, 1, syn); // the same error sent to the wrong host: invalid
    s.udp(CLIENT, 40021, SERVER, 9999, 10);
    s.icmpError(SERVER, CLIENT, 3, 3, udpFrame(s, CLIENT, 40021, SERVER, 9999)); // port unreachable: related
    s.icmpError(ROUTER, CLIENT, 11, 0, udpFrame(s, CLIENT, 40022, SERVER, 9999)); // about nothing: invalid
    byte[] error = s.frames.icmp(ROUTER, CLIENT, 3, 1, 0, new byte[28]);
    s.icmpError(CLIENT, ROUTER, 3, 3, error); // an error about an error
    s.icmpEcho(CLIENT, SERVER, false, 11, 1);
    s.icmpError(ROUTER, CLIENT, 11, 0, s.frames.icmp(CLIENT, SERVER, 8, 0, (11 << 16) | 1, new byte[32])); // ttl
  }

  private static void icmpv6(Script s) {
    s.icmpEcho(CLIENT6, SERVER6, false, 5, 1).icmpEcho(SERVER6, CLIENT6, true, 5, 1);
    s.icmpEcho(SERVER6, CLIENT6, true, 6, 1); // reply with no request
    s.icmp(CLIENT6, ROUTER6, 135, 0); // neighbour solicitation: untracked
    s.icmp(ROUTER6, CLIENT6, 136, 0);
    s.icmp(ROUTER6, CLIENT6, 134, 0); // router advertisement: untracked
    s.icmp(CLIENT6, ROUTER6, 137, 0); // redirect: neither tracked nor untracked
    TcpFlow t = s.tcp(CLIENT6, 40030, SERVER6, 443, 1_000, 5_000).handshake();
    t.client(PSH | ACK, 1400);
    s.icmpError(ROUTER6, CLIENT6, 2, 0, t.lastFrame()); // packet too big: related
    s.udp(CLIENT6, 40031, SERVER6, 7777, 10);
    s.icmpError(SERVER6, CLIENT6, 1, 4, udpFrame(s, CLIENT6, 40031, SERVER6, 7777)); // port unreachable
    s.icmpError(ROUTER6, CLIENT6, 3, 0, udpFrame(s, CLIENT6, 40032, SERVER6, 7777)); // about nothing
  }

  /** Passive and active FTP over IPv4 and IPv6, and a passive reply naming a NAT's public address. */
  private static void ftp(Script s) {
    TcpFlow c = s.tcp(CLIENT, 41000, SERVER, 21, 1_000, 50_000).handshake();
    c.serverText("220 ready").client(ACK).clientText("PASV");
    c.serverText("227 Entering Passive Mode (192,0,2,20,117,48)"); // 117 * 256 + 48 = 30000
    s.tcp(CLIENT, 41001, SERVER, 30000, 9_000, 70_000).handshake().server(PSH | ACK, 500).client(ACK).close();
    c.client(ACK).clientText("PORT 10,1,0,10,160,41"); // 160 * 256 + 41 = 41001
    c.serverText("200 PORT command successful");
    s.tcp(SERVER, 20, CLIENT, 41001, 90_000, 11_000).handshake().client(PSH | ACK, 500).server(ACK).close();
    c.client(ACK).clientText("EPSV");
    c.serverText("229 Entering Extended Passive Mode (|||30001|)");
    s.tcp(CLIENT, 41002, SERVER, 30001, 12_000, 13_000).handshake();
    TcpFlow nat = s.tcp(CLIENT, 41003, SERVER, 21, 2_000, 60_000).handshake();
    nat.serverText("220 ready").client(ACK).clientText("PASV");
    nat.serverText("227 Entering Passive Mode (203,0,113,20,117,50)"); // the NAT's public address
    s.tcp(CLIENT, 41004, NAT_PUBLIC, 30002, 14_000, 15_000).handshake();
    s.tcp(CLIENT, 41005, SERVER, 30002, 16_000, 17_000).handshake(); // the server's own address: not expected
    TcpFlow v6 = s.tcp(CLIENT6, 41010, SERVER6, 21, 3_000, 80_000).handshake();
    v6.serverText("220 ready").client(ACK).clientText("EPRT |2|2001:db8:1::10|41011|");
    v6.serverText("200 EPRT command successful");
    s.tcp(SERVER6, 20, CLIENT6, 41011, 18_000, 19_000).handshake();
    v6.client(ACK).clientText("EPSV");
    v6.serverText("229 Entering Extended Passive Mode (|||30003|)");
    s.tcp(CLIENT6, 41012, SERVER6, 30003, 20_000, 21_000).handshake();
  }

  /** A UDP datagram's frame, built but not written, for an ICMP error to quote. */
  private static byte[] udpFrame(Script s, Host from, int fromPort, Host to, int toPort) {
    return s.frames.udp(from, fromPort, to, toPort, new byte[10]);
  }
}

package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.Packet.ACK;
import static io.flowinspect.inspect.engine.Packet.FIN;
import static io.flowinspect.inspect.engine.Packet.PSH;
import static io.flowinspect.inspect.engine.Packet.SYN;

import java.util.function.Consumer;

/**
 * Connections in a varied set of states, for codec tests: a TCP conversation through data, a
 * retransmission, a zero window and its close; an FTP control connection that announces a data
 * connection; a UDP query and answer; an ICMP echo. Every tracked connection is handed to the
 * visitor, live, after every packet.
 */
final class ConnectionSamples {
  private static final long SECOND = 1_000_000_000L;
  private final Tracking t = new Tracking();
  private final Consumer<Conn> visitor;
  private long now = 1_700_000_000L * SECOND;

  private ConnectionSamples(Consumer<Conn> visitor) {
    this.visitor = visitor;
  }

  static void visit(Consumer<Conn> visitor) {
    ConnectionSamples s = new ConnectionSamples(visitor);
    s.tcpConversationWithDataAndClose();
    s.ftpControlAnnouncingAPassiveDataConnection();
    s.udpQueryAndAnswer();
    s.icmpEcho();
  }

  private void tcpConversationWithDataAndClose() {
    FlowKey key = FlowKey.of(0, Protocols.TCP, IpAddress.parse("10.0.0.1"), 40000, IpAddress.parse("192.0.2.10"), 80);
    boolean serverHigh = key.highAddress().equals(IpAddress.parse("192.0.2.10"));
    int c = 1000;
    int s = 500_000;
    send(key, tcp(!serverHigh, SYN, c++, 0, 0).windowScale(7).sackPermitted());
    send(key, tcp(serverHigh, SYN | ACK, s++, c, 0).windowScale(3).sackPermitted());
    send(key, tcp(!serverHigh, ACK, c, s, 0));
    send(key, tcp(!serverHigh, PSH | ACK, c, s, 300));
    send(key, tcp(!serverHigh, PSH | ACK, c, s, 300)); // the same data again: Zeek counts a retransmission
    c += 300;
    send(key, tcp(serverHigh, PSH | ACK, s, c, 1400));
    s += 1400;
    send(key, tcp(serverHigh, ACK, s, c, 0).window(0));
    send(key, tcp(!serverHigh, FIN | ACK, c++, s, 0));
    send(key, tcp(serverHigh, FIN | ACK, s++, c, 0));
  }

  private void ftpControlAnnouncingAPassiveDataConnection() {
    FlowKey key = FlowKey.of(0, Protocols.TCP, IpAddress.parse("10.0.0.5"), 40000, IpAddress.parse("192.0.2.21"), 21);
    boolean serverHigh = key.highAddress().equals(IpAddress.parse("192.0.2.21"));
    int c = 100;
    int s = 9000;
    send(key, tcp(!serverHigh, SYN, c++, 0, 0));
    send(key, tcp(serverHigh, SYN | ACK, s++, c, 0));
    send(key, tcp(!serverHigh, ACK, c, s, 0));
    Packet pasv = PacketBuilder.at(now += SECOND).fromHigh(serverHigh).tcp(PSH | ACK, s, c)
        .ftp("227 Entering Passive Mode (192,0,2,21,19,137)").build();
    send(key, pasv);
  }

  private void udpQueryAndAnswer() {
    FlowKey key = FlowKey.of(0, Protocols.UDP, IpAddress.parse("10.0.0.7"), 53000, IpAddress.parse("192.0.2.53"), 53);
    boolean resolverHigh = key.highAddress().equals(IpAddress.parse("192.0.2.53"));
    send(key, PacketBuilder.at(now += SECOND).fromHigh(!resolverHigh).payload(40).build());
    send(key, PacketBuilder.at(now += SECOND).fromHigh(resolverHigh).payload(120).build());
    send(key, PacketBuilder.at(now += 3 * SECOND).fromHigh(!resolverHigh).payload(40).build());
  }

  private void icmpEcho() {
    FlowKey key = FlowKey.of(0, Protocols.ICMP, IpAddress.parse("10.0.0.9"), 8 << 24, IpAddress.parse("192.0.2.1"),
        0);
    boolean targetHigh = key.highAddress().equals(IpAddress.parse("192.0.2.1"));
    send(key, PacketBuilder.at(now += SECOND).fromHigh(!targetHigh).icmp(8, 0).payload(56).build());
    send(key, PacketBuilder.at(now += SECOND).fromHigh(targetHigh).icmp(0, 0).payload(56).build());
  }

  private PacketBuilder tcp(boolean fromHigh, int flags, int seq, int ack, int bytes) {
    return PacketBuilder.at(now += SECOND / 1000).fromHigh(fromHigh).tcp(flags, seq, ack).payload(bytes);
  }

  private void send(FlowKey key, PacketBuilder p) {
    send(key, p.build());
  }

  private void send(FlowKey key, Packet p) {
    t.send(key, p);
    t.state.forEachConnection((k, conn) -> visitor.accept(conn));
  }
}

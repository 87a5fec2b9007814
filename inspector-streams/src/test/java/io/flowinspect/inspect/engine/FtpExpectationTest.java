package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.Packet.ACK;
import static io.flowinspect.inspect.engine.Packet.PSH;
import static io.flowinspect.inspect.engine.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FtpExpectationTest {
  private static final long SECOND = 1_000_000_000L;
  private static final IpAddress CLIENT = IpAddress.parse("10.0.0.5");
  private static final IpAddress SERVER = IpAddress.parse("192.0.2.21");
  private final FlowKey control = FlowKey.of(0, Protocols.TCP, CLIENT, 40000, SERVER, 21);
  private final boolean serverHigh = control.highAddress().equals(SERVER);
  private final Tracking t = new Tracking();
  private long now = SECOND;
  private int clientSeq = 100;
  private int serverSeq = 9000;

  @Test
  void passiveModeDataConnectionFirstPacketIsRelatedThenEstablished() {
    openControl();
    serverSays("227 Entering Passive Mode (192,0,2,21,19,137)"); // port 19 * 256 + 137 = 5001
    FlowKey data = FlowKey.of(0, Protocols.TCP, CLIENT, 40001, SERVER, 5001);
    boolean dataServerHigh = data.highAddress().equals(SERVER);

    assertThat(t.send(data, tcp(!dataServerHigh, SYN, 1, 0))).isEqualTo(Classification.RELATED_ORIGINAL);
    assertThat(t.send(data, tcp(dataServerHigh, SYN | ACK, 50, 2))).isEqualTo(Classification.ESTABLISHED_REPLY);
    assertThat(t.send(data, tcp(!dataServerHigh, ACK, 2, 51))).isEqualTo(Classification.ESTABLISHED_ORIGINAL);
  }

  @Test
  void activeModeDataConnectionFromTheServerIsRelated() {
    openControl();
    clientSays("PORT 10,0,0,5,156,65"); // 156 * 256 + 65 = 40001
    FlowKey data = FlowKey.of(0, Protocols.TCP, SERVER, 20, CLIENT, 40001);
    boolean dataServerHigh = data.highAddress().equals(SERVER);

    assertThat(t.send(data, tcp(dataServerHigh, SYN, 1, 0))).isEqualTo(Classification.RELATED_ORIGINAL);
  }

  @Test
  void extendedPassiveModeOverIpv6IsRelated() {
    IpAddress client6 = IpAddress.parse("2001:db8::5");
    IpAddress server6 = IpAddress.parse("2001:db8::21");
    FlowKey control6 = FlowKey.of(0, Protocols.TCP, client6, 40000, server6, 21);
    boolean high = control6.highAddress().equals(server6);
    t.send(control6, tcp(!high, SYN, 100, 0));
    t.send(control6, tcp(high, SYN | ACK, 9000, 101));
    t.send(control6, tcp(!high, ACK, 101, 9001));
    t.send(control6, PacketBuilder.at(now += SECOND).fromHigh(high).tcp(PSH | ACK, 9001, 101).ftpOtherLine(11).build());
    t.send(control6, PacketBuilder.at(now += SECOND).fromHigh(high).tcp(PSH | ACK, 9012, 101)
        .ftp("229 Entering Extended Passive Mode (|||6446|)").build());
    FlowKey data = FlowKey.of(0, Protocols.TCP, client6, 40002, server6, 6446);

    assertThat(t.send(data, tcp(data.lowAddress().equals(server6), SYN, 1, 0)))
        .isEqualTo(Classification.RELATED_ORIGINAL);
  }

  @Test
  void unusedExpectationIsForgottenAfterFiveMinutes() {
    openControl();
    serverSays("227 Entering Passive Mode (192,0,2,21,19,137)");
    now += 301 * SECOND;
    FlowKey data = FlowKey.of(0, Protocols.TCP, CLIENT, 40001, SERVER, 5001);

    assertThat(t.send(data, tcp(data.lowAddress().equals(SERVER), SYN, 1, 0))).isEqualTo(Classification.NEW_ORIGINAL);
  }

  @Test
  void announcementOnAPortThatIsNotFtpIsIgnored() {
    FlowKey web = FlowKey.of(0, Protocols.TCP, CLIENT, 40000, SERVER, 80);
    boolean high = web.highAddress().equals(SERVER);
    t.send(web, tcp(!high, SYN, 100, 0));
    t.send(web, tcp(high, SYN | ACK, 9000, 101));
    t.send(web, tcp(!high, ACK, 101, 9001));
    t.send(web, PacketBuilder.at(now += SECOND).fromHigh(high).tcp(PSH | ACK, 9001, 101).ftpOtherLine(11).build());
    t.send(web, PacketBuilder.at(now += SECOND).fromHigh(high).tcp(PSH | ACK, 9012, 101)
        .ftp("227 Entering Passive Mode (192,0,2,21,19,137)").build());
    FlowKey data = FlowKey.of(0, Protocols.TCP, CLIENT, 40001, SERVER, 5001);

    assertThat(t.send(data, tcp(data.lowAddress().equals(SERVER), SYN, 1, 0))).isEqualTo(Classification.NEW_ORIGINAL);
  }

  @Test
  void dataConnectionInheritsTheControlConnectionsDecision() {
    openControl();
    t.state.get(control).decide(Decision.DENY, "no-ftp");
    serverSays("227 Entering Passive Mode (192,0,2,21,19,137)");
    FlowKey data = FlowKey.of(0, Protocols.TCP, CLIENT, 40001, SERVER, 5001);

    t.send(data, tcp(data.lowAddress().equals(SERVER), SYN, 1, 0));

    assertThat(t.state.get(data).decision()).isEqualTo(Decision.DENY);
    assertThat(t.state.get(data).ruleId()).isEqualTo("no-ftp");
  }

  @Test
  void announcementParsingAcceptsTheFourForms() {
    assertThat(FtpAnnouncement.parse("PORT 10,0,0,5,156,65", Direction.ORIGINAL, false))
        .isEqualTo(new FtpAnnouncement(IpAddress.parse("10.0.0.5"), 40001));
    assertThat(FtpAnnouncement.parse("EPRT |2|2001:db8::5|6275|", Direction.ORIGINAL, true))
        .isEqualTo(new FtpAnnouncement(IpAddress.parse("2001:db8::5"), 6275));
    assertThat(FtpAnnouncement.parse("227 Entering Passive Mode (192,0,2,21,19,137).", Direction.REPLY, false))
        .isEqualTo(new FtpAnnouncement(IpAddress.parse("192.0.2.21"), 5001));
    assertThat(FtpAnnouncement.parse("229 Entering Extended Passive Mode (|||6446|)", Direction.REPLY, true))
        .isEqualTo(new FtpAnnouncement(null, 6446));
    assertThat(FtpAnnouncement.parse("PORT 10,0,0,5,156,65", Direction.REPLY, false)).as("from the server").isNull();
    assertThat(FtpAnnouncement.parse("PORT 10,0,0,300,1,1", Direction.ORIGINAL, false)).isNull();
    assertThat(FtpAnnouncement.parse("EPRT |1|10.0.0.5|6275|", Direction.ORIGINAL, true)).as("family").isNull();
  }

  @Test
  void commandInTheFirstSegmentOfADirectionIsNotReadBecauseNoLineIsKnownToStartThere() {
    t.send(control, tcp(!serverHigh, SYN, clientSeq++, 0));
    t.send(control, tcp(serverHigh, SYN | ACK, serverSeq++, clientSeq));
    t.send(control, tcp(!serverHigh, ACK, clientSeq, serverSeq));
    serverSays("227 Entering Passive Mode (192,0,2,21,19,137)");
    FlowKey data = FlowKey.of(0, Protocols.TCP, CLIENT, 40001, SERVER, 5001);

    assertThat(t.send(data, tcp(data.lowAddress().equals(SERVER), SYN, 1, 0))).isEqualTo(Classification.NEW_ORIGINAL);
  }

  @Test
  void announcementNamingAnAddressThatIsNotTheSendersOpensNothing() {
    openControl();
    serverSays("227 Entering Passive Mode (203,0,113,9,19,137)"); // e.g. a NAT's public address
    FlowKey elsewhere = FlowKey.of(0, Protocols.TCP, CLIENT, 40001, IpAddress.parse("203.0.113.9"), 5001);

    boolean clientHigh = elsewhere.highAddress().equals(CLIENT);
    assertThat(t.send(elsewhere, tcp(clientHigh, SYN, 1, 0)))
        .isEqualTo(Classification.NEW_ORIGINAL);
  }

  /** Handshake, the server's greeting and the client's first command: lines now start in both directions. */
  private void openControl() {
    t.send(control, tcp(!serverHigh, SYN, clientSeq++, 0));
    t.send(control, tcp(serverHigh, SYN | ACK, serverSeq++, clientSeq));
    t.send(control, tcp(!serverHigh, ACK, clientSeq, serverSeq));
    serverSays("220 ready");
    clientSays("USER anonymous");
  }

  private void serverSays(String line) {
    Packet p = PacketBuilder.at(now += SECOND).fromHigh(serverHigh).tcp(PSH | ACK, serverSeq, clientSeq).ftp(line).build();
    serverSeq += p.payloadLength();
    assertThat(t.send(control, p)).isEqualTo(Classification.ESTABLISHED_REPLY);
  }

  private void clientSays(String line) {
    Packet p = PacketBuilder.at(now += SECOND).fromHigh(!serverHigh).tcp(PSH | ACK, clientSeq, serverSeq).ftp(line).build();
    clientSeq += p.payloadLength();
    assertThat(t.send(control, p)).isEqualTo(Classification.ESTABLISHED_ORIGINAL);
  }

  private Packet tcp(boolean fromHigh, int flags, int seq, int ack) {
    return PacketBuilder.at(now += SECOND / 1000).fromHigh(fromHigh).tcp(flags, seq, ack).build();
  }
}

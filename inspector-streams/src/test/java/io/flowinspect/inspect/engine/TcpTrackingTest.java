package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.Packet.ACK;
import static io.flowinspect.inspect.engine.Packet.FIN;
import static io.flowinspect.inspect.engine.Packet.PSH;
import static io.flowinspect.inspect.engine.Packet.RST;
import static io.flowinspect.inspect.engine.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TcpTrackingTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void threeWayHandshakeIsNewThenEstablishedInBothDirections() {
    TcpConversation t = new TcpConversation();

    assertThat(t.client(SYN)).isEqualTo(Classification.NEW_ORIGINAL);
    assertThat(t.tcpState()).isEqualTo(TcpState.SYN_SENT);
    assertThat(t.server(SYN | ACK)).isEqualTo(Classification.ESTABLISHED_REPLY);
    assertThat(t.tcpState()).isEqualTo(TcpState.SYN_RECV);
    assertThat(t.client(ACK)).isEqualTo(Classification.ESTABLISHED_ORIGINAL);
    assertThat(t.tcpState()).isEqualTo(TcpState.ESTABLISHED);
    assertThat(t.conn().assured()).isTrue();
  }

  @Test
  void orderlyCloseGoesThroughFinWaitCloseWaitLastAckToTimeWait() {
    TcpConversation t = established();

    t.client(PSH | ACK, 100);
    t.server(ACK);
    t.client(FIN | ACK);
    assertThat(t.tcpState()).isEqualTo(TcpState.FIN_WAIT);
    t.server(ACK);
    assertThat(t.tcpState()).isEqualTo(TcpState.CLOSE_WAIT);
    t.server(FIN | ACK);
    assertThat(t.tcpState()).isEqualTo(TcpState.LAST_ACK);
    assertThat(t.client(ACK)).isEqualTo(Classification.ESTABLISHED_ORIGINAL);
    assertThat(t.tcpState()).isEqualTo(TcpState.TIME_WAIT);
  }

  @Test
  void connectionCountsPacketsAndIpBytesPerDirection() {
    TcpConversation t = established();

    t.client(PSH | ACK, 100);
    t.server(PSH | ACK, 1000);

    Conn c = t.conn();
    assertThat(c.origPackets()).isEqualTo(3);
    assertThat(c.origBytes()).isEqualTo(40 + 40 + 140);
    assertThat(c.replyPackets()).isEqualTo(2);
    assertThat(c.replyBytes()).isEqualTo(40 + 1040);
  }

  @Test
  void synAckWithoutASynCannotOpenAConnection() {
    TcpConversation t = new TcpConversation();

    Classification c = t.server(SYN | ACK);

    assertThat(c.state()).isEqualTo(CtState.INVALID);
    assertThat(c.reason()).isEqualTo("invalid new");
    assertThat(t.conn()).isNull();
  }

  @Test
  void midStreamSegmentIsPickedUpAsNewAndItsAnswerEstablishesIt() {
    TcpConversation t = new TcpConversation();

    assertThat(t.client(PSH | ACK, 200)).isEqualTo(Classification.NEW_ORIGINAL);
    assertThat(t.tcpState()).isEqualTo(TcpState.ESTABLISHED);
    assertThat(t.server(ACK)).isEqualTo(Classification.ESTABLISHED_REPLY);
    assertThat(t.client(PSH | ACK, 10)).isEqualTo(Classification.ESTABLISHED_ORIGINAL);
  }

  @Test
  void midStreamSegmentIsInvalidWhenPickupIsOff() {
    TcpConversation t = new TcpConversation(TrackerConfig.defaults().withPickup(false));

    Classification c = t.client(PSH | ACK, 200);

    assertThat(c.state()).isEqualTo(CtState.INVALID);
    assertThat(c.reason()).isEqualTo("mid-stream pickup disabled");
  }

  @Test
  void unansweredMidStreamPickupIsHeldForTheUnacknowledgedTimeoutNotFiveDays() {
    TcpConversation t = new TcpConversation();

    t.client(PSH | ACK, 200);

    assertThat(t.conn().expiresNanos() - t.now).isEqualTo(300 * SECOND);
  }

  @Test
  void tcpSynWithoutReplyTimesOutAfterSynSentTimeout() {
    TcpConversation t = new TcpConversation();
    t.client(SYN);

    t.later(119 * SECOND);
    t.clientNext = TcpConversation.CLIENT_ISN;
    assertThat(t.client(SYN)).isEqualTo(Classification.NEW_ORIGINAL); // retransmission, same connection
    assertThat(t.ended).isEmpty();

    t.later(2 * SECOND); // 121 s after the first SYN: a retransmitted SYN does not extend the entry
    t.clientNext = TcpConversation.CLIENT_ISN;
    assertThat(t.client(SYN)).isEqualTo(Classification.NEW_ORIGINAL);
    assertThat(t.ended).containsExactly("TIMEOUT");
  }

  @Test
  void resetAnsweringASynIsEstablishedReplyAndForgetsTheConnection() {
    TcpConversation t = new TcpConversation();
    t.client(SYN);

    assertThat(t.server(RST | ACK)).isEqualTo(Classification.ESTABLISHED_REPLY);
    assertThat(t.conn()).isNull();
    assertThat(t.ended).containsExactly("RESET");
  }

  @Test
  void segmentBeyondTheReceiversWindowIsInvalidAndChangesNothing() {
    TcpConversation t = established();
    int before = t.conn().orig.end;

    Packet p = t.segment(false, PSH | ACK, t.clientNext + 10_000_000, t.serverNext, 100);
    Classification c = t.send(p);

    assertThat(c.state()).isEqualTo(CtState.INVALID);
    assertThat(c.reason()).isEqualTo("SEQ is over upper bound (over the window of the receiver)");
    assertThat(t.conn().orig.end).isEqualTo(before);
  }

  @Test
  void acknowledgementOfDataNeverSentIsInvalid() {
    TcpConversation t = established();

    Classification c = t.send(t.segment(true, ACK, t.serverNext, t.clientNext + 5000, 0));

    assertThat(c.reason()).isEqualTo("ACK is over upper bound (ACKed data not seen yet)");
  }

  @Test
  void retransmissionOfAcknowledgedDataIsEstablishedNotInvalid() {
    TcpConversation t = established();
    int seq = t.clientNext;
    t.client(PSH | ACK, 100);
    t.server(ACK);

    Classification again = t.send(t.segment(false, PSH | ACK, seq, t.serverNext, 100));

    assertThat(again).isEqualTo(Classification.ESTABLISHED_ORIGINAL);
  }

  @Test
  void keepAliveOneByteBelowTheNextSequenceIsNotInvalid() {
    TcpConversation t = established();
    t.client(PSH | ACK, 100);
    t.server(ACK);

    Classification keepAlive = t.send(t.segment(false, ACK, t.clientNext - 1, t.serverNext, 0));
    Classification answer = t.server(ACK);

    assertThat(keepAlive).isEqualTo(Classification.ESTABLISHED_ORIGINAL);
    assertThat(answer).isEqualTo(Classification.ESTABLISHED_REPLY);
  }

  @Test
  void liberalModeAcceptsOutOfWindowSegments() {
    TcpConversation t = established(new TcpConversation(TrackerConfig.defaults().withLiberal(true)));

    Classification c = t.send(t.segment(false, PSH | ACK, t.clientNext + 10_000_000, t.serverNext, 100));

    assertThat(c).isEqualTo(Classification.ESTABLISHED_ORIGINAL);
  }

  @Test
  void synOnATimeWaitTupleReopensItAsANewConnection() {
    TcpConversation t = closedToTimeWait();

    t.clientNext += 100_000;
    Classification c = t.client(SYN);

    assertThat(c).isEqualTo(Classification.NEW_ORIGINAL);
    assertThat(t.ended).containsExactly("CLOSED");
    assertThat(t.tcpState()).isEqualTo(TcpState.SYN_SENT);
    assertThat(t.conn().origPackets()).isEqualTo(1);
  }

  @Test
  void serverSynOnATimeWaitTupleReopensItWithTheServerAsOriginator() {
    TcpConversation t = closedToTimeWait();

    t.serverNext += 100_000;
    Classification c = t.server(SYN);

    assertThat(c).isEqualTo(Classification.NEW_ORIGINAL);
    assertThat(t.conn().origIsHigh()).isTrue();
  }

  @Test
  void simultaneousOpenReachesEstablished() {
    TcpConversation t = new TcpConversation();

    assertThat(t.client(SYN)).isEqualTo(Classification.NEW_ORIGINAL);
    assertThat(t.server(SYN)).isEqualTo(Classification.ESTABLISHED_REPLY);
    assertThat(t.tcpState()).isEqualTo(TcpState.SYN_SENT2);
    assertThat(t.client(SYN | ACK)).isEqualTo(Classification.ESTABLISHED_ORIGINAL);
    assertThat(t.tcpState()).isEqualTo(TcpState.SYN_RECV);
    assertThat(t.server(ACK)).isEqualTo(Classification.ESTABLISHED_REPLY);
    assertThat(t.tcpState()).isEqualTo(TcpState.ESTABLISHED);
  }

  @Test
  void resetBelowWhatThePeerAcknowledgedIsInvalid() {
    TcpConversation t = established();
    t.client(PSH | ACK, 100);
    t.server(ACK);

    Classification c = t.send(t.segment(false, RST, t.clientNext - 50, 0, 0));

    assertThat(c.reason()).isEqualTo("invalid rst");
    assertThat(t.tcpState()).isEqualTo(TcpState.ESTABLISHED);
  }

  @Test
  void resetAtTheAcknowledgedSequenceClosesTheConnection() {
    TcpConversation t = established();

    assertThat(t.client(RST)).isEqualTo(Classification.ESTABLISHED_ORIGINAL);
    assertThat(t.tcpState()).isEqualTo(TcpState.CLOSE);
    assertThat(t.conn().expiresNanos() - t.now).isEqualTo(10 * SECOND);
  }

  @Test
  void windowScaleAppliesOnlyWhenBothSynsOfferIt() {
    TcpConversation both = new TcpConversation();
    both.send(PacketBuilder.at(1).tcp(SYN, 1000, 0).window(1000).windowScale(7).build());
    both.send(PacketBuilder.at(2).fromHigh(true).tcp(SYN | ACK, 500_000, 1001).window(1000).windowScale(7).build());

    TcpConversation one = new TcpConversation();
    one.send(PacketBuilder.at(1).tcp(SYN, 1000, 0).window(1000).windowScale(7).build());
    one.send(PacketBuilder.at(2).fromHigh(true).tcp(SYN | ACK, 500_000, 1001).window(1000).build());

    assertThat(both.conn().orig.scale).isEqualTo(7);
    assertThat(both.conn().reply.scale).isEqualTo(7);
    assertThat(one.conn().orig.scale).isZero();
    assertThat(one.conn().reply.scale).isZero();
  }

  @Test
  void scaledWindowLetsTheSenderGoFarBeyondTheRawWindowField() {
    TcpConversation t = new TcpConversation();
    t.send(PacketBuilder.at(1).tcp(SYN, 1000, 0).window(1000).windowScale(10).build());
    t.send(PacketBuilder.at(2).fromHigh(true).tcp(SYN | ACK, 500_000, 1001).window(1000).windowScale(10).build());
    t.send(PacketBuilder.at(3).tcp(ACK, 1001, 500_001).window(1000).build());
    t.send(PacketBuilder.at(4).fromHigh(true).tcp(ACK, 500_001, 1001).window(1000).build());

    // The server advertised 1000 << 10 bytes (the window of a SYN is never scaled, later ones are);
    // 500 000 bytes ahead is within it.
    Classification c = t.send(PacketBuilder.at(5).tcp(PSH | ACK, 1001 + 500_000, 500_001).payload(1000).build());

    assertThat(c).isEqualTo(Classification.ESTABLISHED_ORIGINAL);
  }

  @Test
  void sackBlockBeyondTheAcknowledgementCountsAsAcknowledged() {
    TcpConversation t = new TcpConversation();
    t.send(PacketBuilder.at(1).tcp(SYN, 1000, 0).sackPermitted().build());
    t.send(PacketBuilder.at(2).fromHigh(true).tcp(SYN | ACK, 500_000, 1001).sackPermitted().build());
    t.send(PacketBuilder.at(3).tcp(ACK, 1001, 500_001).build());
    t.send(PacketBuilder.at(4).fromHigh(true).tcp(PSH | ACK, 500_001, 1001).payload(1000).build());

    // A SACK edge past everything the client sent is an acknowledgement of unseen data.
    Classification c = t.send(PacketBuilder.at(5).tcp(ACK, 1001, 500_001).sack(502_001).build());

    assertThat(c.reason()).isEqualTo("ACK is over upper bound (ACKed data not seen yet)");
  }

  @Test
  void synWithFinIsAnInvalidFlagCombination() {
    TcpConversation t = new TcpConversation();

    Classification c = t.client(SYN | FIN);

    assertThat(c.reason()).isEqualTo("invalid tcp flag combination");
  }

  @Test
  void badChecksumIsInvalidUnlessChecksumsAreIgnored() {
    Packet bad = PacketBuilder.at(1).tcp(SYN, 1000, 0).attributes(Packet.CHECKSUM_BAD).build();

    assertThat(new TcpConversation().send(bad).reason()).isEqualTo("bad checksum");
    assertThat(new TcpConversation(TrackerConfig.defaults().withChecksums(false)).send(bad))
        .isEqualTo(Classification.NEW_ORIGINAL);
  }

  @Test
  void threeIdenticalRetransmissionsShortenTheTimeout() {
    Timeouts l = Timeouts.linux();
    // Unacknowledged data alone would give 600 s here, so 300 s can only come from the retransmissions.
    Timeouts t600 = new Timeouts(l.tcpSynSent(), l.tcpSynRecv(), l.tcpEstablished(), l.tcpFinWait(),
        l.tcpCloseWait(), l.tcpLastAck(), l.tcpTimeWait(), l.tcpClose(), java.time.Duration.ofSeconds(300),
        java.time.Duration.ofSeconds(600), l.udpUnreplied(), l.udpStream(), l.icmp(), l.generic(), l.expectation());
    TcpConversation t = established(new TcpConversation(TrackerConfig.defaults().withTimeouts(t600)));
    int seq = t.clientNext;
    t.client(PSH | ACK, 100);
    for (int i = 0; i < 2; i++) {
      t.send(t.segment(false, PSH | ACK, seq, t.serverNext, 100));
    }
    assertThat(t.conn().expiresNanos() - t.now).isEqualTo(600 * SECOND);

    t.send(t.segment(false, PSH | ACK, seq, t.serverNext, 100));

    assertThat(t.conn().expiresNanos() - t.now).isEqualTo(300 * SECOND);
  }

  @Test
  void establishedAndIdleConnectionExpiresAfterFiveDays() {
    TcpConversation t = established();
    t.client(PSH | ACK, 10);
    t.server(ACK);

    assertThat(t.conn().expiresNanos() - t.now).isEqualTo(5L * 24 * 3600 * SECOND);
  }

  static TcpConversation established() {
    return established(new TcpConversation());
  }

  static TcpConversation established(TcpConversation t) {
    t.client(SYN);
    t.server(SYN | ACK);
    t.client(ACK);
    return t;
  }

  static TcpConversation closedToTimeWait() {
    TcpConversation t = established();
    t.client(FIN | ACK);
    t.server(FIN | ACK);
    t.client(ACK);
    assertThat(t.tcpState()).isEqualTo(TcpState.TIME_WAIT);
    return t;
  }
}

package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.Packet.ACK;
import static io.flowinspect.inspect.engine.Packet.FIN;
import static io.flowinspect.inspect.engine.Packet.PSH;
import static io.flowinspect.inspect.engine.Packet.RST;
import static io.flowinspect.inspect.engine.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Zeek's history letters and conn_state for scripted connections. Expected values are those of
 * Zeek's own baselines where one exists (named in the test), else of Zeek's rules as cited in
 * {@link FlowHistory}.
 */
class FlowHistoryTest {
  private static HistoryScript handshake() {
    return HistoryScript.tcp().client(SYN).server(SYN | ACK).client(ACK);
  }

  @Test
  void fullHandshakeDataAndCloseIsShADadFfAndSF() {
    HistoryScript s = handshake().client(ACK | PSH, 100).server(ACK).server(ACK | PSH, 2000).client(FIN | ACK)
        .server(FIN | ACK).client(ACK);
    assertThat(s.history()).isEqualTo("ShADadFf");
    assertThat(s.connState()).isEqualTo("SF");
    assertThat(s.history.flipped()).isFalse();
  }

  @Test
  void handshakeAndDataWithoutCloseIsS1() {
    // wikipedia.pcap in core.tcp.rxmit-history: "ShADad", S1
    HistoryScript s = handshake().client(ACK | PSH, 100).server(ACK).server(ACK | PSH, 2000);
    assertThat(s.history()).isEqualTo("ShADad");
    assertThat(s.connState()).isEqualTo("S1");
  }

  @Test
  void lettersAreRecordedOncePerSideHoweverManyPackets() {
    HistoryScript s = handshake();
    for (int i = 0; i < 5; i++) {
      s.client(ACK | PSH, 100).server(ACK).server(ACK | PSH, 10).client(ACK);
    }
    assertThat(s.history()).isEqualTo("ShADad");
  }

  @Test
  void synOnlyIsSAndS0() {
    HistoryScript s = HistoryScript.tcp().client(SYN);
    assertThat(s.history()).isEqualTo("S");
    assertThat(s.connState()).isEqualTo("S0");
  }

  @Test
  void retransmittedSynAddsNoLetter() {
    HistoryScript s = HistoryScript.tcp().client(SYN);
    s.clientAt(HistoryScript.CLIENT_ISN, SYN, 0).clientAt(HistoryScript.CLIENT_ISN, SYN, 0);
    assertThat(s.history()).isEqualTo("S");
  }

  @Test
  void synAnsweredByResetIsSrAndREJ() {
    HistoryScript s = HistoryScript.tcp().client(SYN).server(RST | ACK);
    assertThat(s.history()).isEqualTo("Sr");
    assertThat(s.connState()).isEqualTo("REJ");
  }

  @Test
  void synThenResetFromTheOriginatorIsSRAndRSTOS0() {
    // conn_state-RST-behavior, syn-then-rst.pcap: "SR, RSTOS0"
    HistoryScript s = HistoryScript.tcp().client(SYN).client(RST);
    assertThat(s.history()).isEqualTo("SR");
    assertThat(s.connState()).isEqualTo("RSTOS0");
  }

  @Test
  void synAnsweredByAnAckThenResetIsSaRAndRSTOS0() {
    // conn_state-RST-behavior, syn-then-ack-then-rst.pcap: "SaR, RSTOS0"; the ACK before a
    // SYN/ACK does not make the responder active
    HistoryScript s = HistoryScript.tcp().client(SYN).server(ACK).client(RST);
    assertThat(s.history()).isEqualTo("SaR");
    assertThat(s.connState()).isEqualTo("RSTOS0");
  }

  @Test
  void aFinBetweenSynAndResetMakesItOTH() {
    // conn_state-RST-behavior, syn-then-stuff-then-rst.pcap: "SaFR, OTH"
    HistoryScript s = HistoryScript.tcp().client(SYN).server(ACK).client(FIN | ACK).client(RST);
    assertThat(s.history()).isEqualTo("SaFR");
    assertThat(s.connState()).isEqualTo("OTH");
  }

  @Test
  void aLoneResetIsROTH() {
    // conn_state-RST-behavior, single-rst.pcap: "R, OTH"
    HistoryScript s = HistoryScript.tcp().client(RST);
    assertThat(s.history()).isEqualTo("R");
    assertThat(s.connState()).isEqualTo("OTH");
  }

  @Test
  void resetByTheOriginatorAfterTheHandshakeIsRSTO() {
    HistoryScript s = handshake().client(ACK | PSH, 10).client(RST | ACK);
    assertThat(s.history()).isEqualTo("ShADR");
    assertThat(s.connState()).isEqualTo("RSTO");
  }

  @Test
  void resetByTheResponderAfterTheHandshakeIsRSTR() {
    HistoryScript s = handshake().client(ACK | PSH, 10).server(RST | ACK);
    assertThat(s.history()).isEqualTo("ShADr");
    assertThat(s.connState()).isEqualTo("RSTR");
  }

  @Test
  void aResetAtAnotherSequenceNumberIsRecordedAgain() {
    HistoryScript s = handshake().server(RST | ACK);
    s.serverAt(HistoryScript.SERVER_ISN + 1, RST, 0);
    assertThat(s.history()).isEqualTo("ShAr");
    s.serverAt(HistoryScript.SERVER_ISN + 5000, RST, 0);
    assertThat(s.history()).isEqualTo("ShArr");
  }

  @Test
  void closeByOneSideOnlyIsS2OrS3() {
    assertThat(handshake().client(FIN | ACK).connState()).isEqualTo("S2");
    assertThat(handshake().server(FIN | ACK).connState()).isEqualTo("S3");
  }

  @Test
  void synThenFinWithoutAnswerIsSH() {
    HistoryScript s = HistoryScript.tcp().client(SYN).client(FIN);
    assertThat(s.history()).isEqualTo("SF");
    assertThat(s.connState()).isEqualTo("SH");
  }

  @Test
  void aRetransmittedFinAddsNoLetter() {
    HistoryScript s = handshake().client(FIN | ACK);
    s.clientAt(s.clientNext - 1, FIN | ACK, 0);
    assertThat(s.history()).isEqualTo("ShAF");
  }

  @Test
  void midstreamDataBothWaysIsDdAndOTH() {
    HistoryScript s = HistoryScript.tcp().client(ACK | PSH, 100).server(ACK | PSH, 100);
    assertThat(s.history()).isEqualTo("Dd");
    assertThat(s.connState()).isEqualTo("OTH");
    assertThat(s.history.flipped()).isFalse();
  }

  @Test
  void retransmissionsRepeatTOnALogScale() {
    HistoryScript s = handshake().client(ACK | PSH, 100);
    s.clientResends(ACK | PSH, 100);
    assertThat(s.history()).isEqualTo("ShADT");
    for (int i = 2; i < 10; i++) {
      s.clientResends(ACK | PSH, 100);
    }
    assertThat(s.history()).as("9 retransmissions").isEqualTo("ShADT");
    s.clientResends(ACK | PSH, 100);
    assertThat(s.history()).as("10 retransmissions").isEqualTo("ShADTT");
    for (int i = 11; i <= 100; i++) {
      s.clientResends(ACK | PSH, 100);
    }
    assertThat(s.history()).as("100 retransmissions").isEqualTo("ShADTTT");
  }

  @Test
  void dataBelowTheHighestSequenceSeenIsARetransmissionEvenInAnotherSegmentation() {
    HistoryScript s = handshake().client(ACK | PSH, 100).client(ACK | PSH, 100);
    s.clientAt(HistoryScript.CLIENT_ISN + 51, ACK | PSH, 100);
    assertThat(s.history()).isEqualTo("ShADT");
  }

  @Test
  void duplicatedPacketsOfTheCtuTraceGiveZeeksHistory() {
    // core.conn-size-flip, ctu-64702-888.pcap: every packet twice, the server's FIN before its
    // data: "^hAfdtFr" (the first SYN/ACK from port 888 is not flipped; its ACK flips it)
    HistoryScript s = HistoryScript.withPorts(Protocols.TCP, 64702, 888, true);
    int serverIsn = 2_000_000;
    int clientIsn = 3_000_000;
    for (int twice = 0; twice < 2; twice++) {
      s.serverAt(serverIsn, SYN | ACK, 0);
    }
    s.serverNext = serverIsn + 1;
    s.clientNext = clientIsn;
    s.client(ACK).client(ACK);
    s.serverAt(serverIsn + 14, FIN | ACK, 0).serverAt(serverIsn + 14, FIN | ACK, 0);
    s.serverAt(serverIsn + 1, ACK | PSH, 13).serverAt(serverIsn + 1, ACK | PSH, 13);
    s.client(ACK).client(ACK).client(FIN | ACK).clientAt(clientIsn, FIN | ACK, 0);
    s.serverAt(serverIsn + 15, RST, 0).serverAt(serverIsn + 15, RST, 0);
    assertThat(s.history()).isEqualTo("^hAfdtFr");
    assertThat(s.history.flipped()).isTrue();
  }

  @Test
  void zeroWindowsRepeatWOnALogScale() {
    HistoryScript s = handshake();
    for (int i = 0; i < 10; i++) {
      s.window(0).server(ACK);
    }
    assertThat(s.history()).isEqualTo("ShAaww");
  }

  @Test
  void aZeroWindowAfterThePeersFinIsNotRecorded() {
    HistoryScript s = handshake().client(FIN | ACK).window(0).server(ACK);
    assertThat(s.history()).isEqualTo("ShAFa");
  }

  @Test
  void aBadChecksumIsCAndOtherwiseIgnored() {
    HistoryScript s = handshake().badChecksum().client(ACK | PSH, 100).badChecksum().server(FIN | ACK);
    assertThat(s.history()).isEqualTo("ShACc");
    assertThat(s.connState()).isEqualTo("S1");
  }

  @Test
  void synFinIsQAndFinRstIsI() {
    assertThat(HistoryScript.tcp().client(SYN | FIN).history()).isEqualTo("Q");
    assertThat(handshake().server(FIN | RST | ACK).history()).isEqualTo("ShAi");
  }

  @Test
  void finWithDataIsFNotD() {
    assertThat(handshake().client(FIN | ACK | PSH, 10).history()).isEqualTo("ShAF");
  }

  @Test
  void synAckFirstFromALikelyServerPortFlipsAndMarksTheHistory() {
    // core.tcp.missing-syn: "^hADdFaf", SF
    HistoryScript s = HistoryScript.withPorts(Protocols.TCP, 56730, 80, true);
    s.serverNext = HistoryScript.SERVER_ISN;
    s.server(SYN | ACK).client(ACK).client(ACK | PSH, 98).server(ACK, 1448).client(ACK).server(ACK | PSH, 729)
        .client(ACK).client(FIN | ACK).server(ACK).server(FIN | ACK).client(ACK);
    assertThat(s.history()).isEqualTo("^hADdFaf");
    assertThat(s.connState()).isEqualTo("SF");
    assertThat(s.history.flipped()).isTrue();
  }

  @Test
  void synAckFollowedByAnAckFlipsEvenFromAnUnlikelyPort() {
    // core.tcp.flip-without-syn (80 -> 6669, both likely server ports): "^hADadFf", SF
    HistoryScript s = HistoryScript.withPorts(Protocols.TCP, 6669, 80, true);
    s.server(SYN | ACK);
    assertThat(s.history()).isEqualTo("H");
    assertThat(s.history.flipped()).isFalse();
    s.client(ACK).client(ACK | PSH, 136).server(ACK).server(ACK, 1448).client(ACK).client(FIN | ACK).server(FIN | ACK)
        .client(ACK);
    assertThat(s.history()).isEqualTo("^hADadFf");
    assertThat(s.connState()).isEqualTo("SF");
    assertThat(s.history.flipped()).isTrue();
  }

  @Test
  void aLoneSynAckAnsweredOnlyByItsOwnSideFlipsToo() {
    // core.conn-size-flip, one-sided-2745.pcap: only the server's packets, "^haf"
    HistoryScript s = HistoryScript.withPorts(Protocols.TCP, 2745, 1433, true);
    s.server(SYN | ACK).server(ACK).server(FIN | ACK);
    assertThat(s.history()).isEqualTo("^haf");
    assertThat(s.connState()).isEqualTo("SHR");
  }

  @Test
  void synAckAnsweredByASynIsAReversedHandshake() {
    // core.connection_flipped (handshake-reorder.pcap, no likely server ports): "Hs^ADadFf"
    HistoryScript s = HistoryScript.tcp().server(SYN | ACK).client(SYN).client(ACK).client(ACK | PSH, 100)
        .server(ACK).server(ACK | PSH, 100).client(FIN | ACK).server(FIN | ACK);
    assertThat(s.history()).isEqualTo("Hs^ADadFf");
    assertThat(s.history.flipped()).isTrue();
    assertThat(s.connState()).isEqualTo("SF");
  }

  @Test
  void aSynFromALikelyServerPortIsNotFlipped() {
    HistoryScript s = HistoryScript.withPorts(Protocols.TCP, 40000, 443, true).server(SYN);
    assertThat(s.history()).isEqualTo("S");
    assertThat(s.history.flipped()).isFalse();
  }

  @Test
  void midstreamFromTheLowerOfTwoLikelyServerPortsIsFlipped() {
    HistoryScript s = HistoryScript.withPorts(Protocols.TCP, 443, 80, true).server(ACK | PSH, 10);
    assertThat(s.history()).isEqualTo("^d");
    assertThat(s.history.flipped()).isTrue();
  }

  @Test
  void dataAckedButNeverSeenIsAContentGap() {
    HistoryScript s = handshake().client(ACK | PSH, 100).clientLoses(100).client(ACK | PSH, 100).server(ACK);
    assertThat(s.history()).isEqualTo("ShADaG");
  }

  @Test
  void aLostSegmentRetransmittedBeforeItsAckIsNoGap() {
    HistoryScript s = handshake().client(ACK | PSH, 100).clientLoses(100).client(ACK | PSH, 100);
    s.clientAt(HistoryScript.CLIENT_ISN + 101, ACK | PSH, 100).server(ACK);
    assertThat(s.history()).isEqualTo("ShADTa");
  }

  @Test
  void udpBothWaysIsDdAndSF() {
    HistoryScript s = HistoryScript.udp().client(0, 30).server(0, 90).client(0, 30);
    assertThat(s.history()).isEqualTo("Dd");
    assertThat(s.connState()).isEqualTo("SF");
  }

  @Test
  void udpOneWayIsDAndS0() {
    HistoryScript s = HistoryScript.udp().client(0, 30).client(0, 30);
    assertThat(s.history()).isEqualTo("D");
    assertThat(s.connState()).isEqualTo("S0");
  }

  @Test
  void udpWithOnlyBadChecksumsIsCcAndOTH() {
    // core.udp-corrupt: "Cc", OTH
    HistoryScript s = HistoryScript.udp().badChecksum().client(0, 30).badChecksum().server(0, 30);
    assertThat(s.history()).isEqualTo("Cc");
    assertThat(s.connState()).isEqualTo("OTH");
  }

  @Test
  void udpFromALikelyServerPortIsFlipped() {
    HistoryScript s = HistoryScript.withPorts(Protocols.UDP, 40000, 53, true).server(0, 90);
    assertThat(s.history()).isEqualTo("^d");
    assertThat(s.connState()).isEqualTo("SHR");
    assertThat(s.history.flipped()).isTrue();
  }

  @Test
  void udpToTheBroadcastAddressIsNeverFlipped() {
    // core.udp-broadcast-no-flip: "D"
    HistoryScript s = HistoryScript.withAddresses(Protocols.UDP, IpAddress.parse("255.255.255.255"), 7437,
        IpAddress.parse("192.168.1.1"), 53, true).server(0, 40);
    assertThat(s.history()).isEqualTo("D");
    assertThat(s.history.flipped()).isFalse();
  }

  @Test
  void icmpHasNoLettersAndIsOTH() {
    HistoryScript s = HistoryScript.withPorts(Protocols.ICMP, 0, 0, false).client(0, 56).server(0, 56);
    assertThat(s.history()).isEmpty();
    assertThat(s.connState()).isEqualTo("OTH");
  }

  @Test
  void logScaleStopsAtTheNextPowerOfTen() {
    assertThat(HistoryLetters.isPowerOfTen(1)).isTrue();
    assertThat(HistoryLetters.isPowerOfTen(10)).isTrue();
    assertThat(HistoryLetters.isPowerOfTen(1_000_000_000)).isTrue();
    assertThat(HistoryLetters.isPowerOfTen(11)).isFalse();
    assertThat(HistoryLetters.isPowerOfTen(Integer.MAX_VALUE)).isFalse();
  }
}

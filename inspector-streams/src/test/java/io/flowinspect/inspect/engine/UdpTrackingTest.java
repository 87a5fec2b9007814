package io.flowinspect.inspect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UdpTrackingTest {
  private static final long SECOND = 1_000_000_000L;
  private static final IpAddress CLIENT = IpAddress.parse("10.0.0.5");
  private static final IpAddress RESOLVER = IpAddress.parse("192.0.2.53");
  private static final IpAddress OTHER_RESOLVER = IpAddress.parse("192.0.2.54");
  private final FlowKey dns = FlowKey.of(0, Protocols.UDP, CLIENT, 53000, RESOLVER, 53);
  private final Tracking t = new Tracking();

  @Test
  void queryIsNewAndItsAnswerEstablished() {
    assertThat(t.send(dns, udp(0, false))).isEqualTo(Classification.NEW_ORIGINAL);
    assertThat(t.send(dns, udp(SECOND / 100, true))).isEqualTo(Classification.ESTABLISHED_REPLY);
    assertThat(t.send(dns, udp(SECOND / 50, false))).isEqualTo(Classification.ESTABLISHED_ORIGINAL);
  }

  @Test
  void answerFromAServerThatWasNotAskedIsANewConnectionNotAReply() {
    t.send(dns, udp(0, false));
    FlowKey spoofed = FlowKey.of(0, Protocols.UDP, OTHER_RESOLVER, 53, CLIENT, 53000);
    boolean resolverIsHigh = spoofed.highAddress().equals(OTHER_RESOLVER);

    Classification c = t.send(spoofed, udp(SECOND / 100, resolverIsHigh));

    assertThat(c).isEqualTo(Classification.NEW_ORIGINAL);
    assertThat(t.state.get(dns).seenReply()).isFalse();
  }

  @Test
  void answerFromTheRightServerButAnotherPortIsANewConnection() {
    t.send(dns, udp(0, false));
    FlowKey otherPort = FlowKey.of(0, Protocols.UDP, CLIENT, 53000, RESOLVER, 5353);

    assertThat(t.send(otherPort, udp(SECOND / 100, true))).isEqualTo(Classification.NEW_ORIGINAL);
  }

  @Test
  void unansweredQueryExpiresAfterThirtySeconds() {
    t.send(dns, udp(0, false));

    assertThat(t.send(dns, udp(29 * SECOND, false))).isEqualTo(Classification.NEW_ORIGINAL);
    assertThat(t.ended).isEmpty();
    assertThat(t.send(dns, udp(60 * SECOND, false))).isEqualTo(Classification.NEW_ORIGINAL);
    assertThat(t.ended).containsExactly("TIMEOUT");
  }

  @Test
  void flowStillActiveTwoSecondsAfterItsReplyBecomesAnAssuredStream() {
    t.send(dns, udp(0, false));
    t.send(dns, udp(SECOND / 10, true));
    t.send(dns, udp(SECOND, false));
    assertThat(t.state.get(dns).assured()).isFalse();
    assertThat(t.state.get(dns).expiresNanos()).isEqualTo(31 * SECOND);

    t.send(dns, udp(3 * SECOND, true));

    assertThat(t.state.get(dns).assured()).isTrue();
    assertThat(t.state.get(dns).expiresNanos()).isEqualTo(123 * SECOND);
  }

  @Test
  void holePunchingPeersWhicheverSendsFirstIsTheOriginator() {
    IpAddress a = IpAddress.parse("198.51.100.7");
    IpAddress b = IpAddress.parse("203.0.113.9");
    FlowKey key = FlowKey.of(0, Protocols.UDP, a, 40001, b, 40002);
    boolean bIsHigh = key.highAddress().equals(b);

    assertThat(t.send(key, udp(0, bIsHigh))).isEqualTo(Classification.NEW_ORIGINAL);
    assertThat(t.send(key, udp(1000, !bIsHigh))).isEqualTo(Classification.ESTABLISHED_REPLY);
    assertThat(t.state.get(key).origIsHigh()).isEqualTo(bIsHigh);
  }

  @Test
  void malformedLengthAndBadChecksumAreInvalid() {
    assertThat(t.send(dns, PacketBuilder.at(0).attributes(Packet.MALFORMED).build()).reason())
        .isEqualTo("truncated/malformed packet");
    assertThat(t.send(dns, PacketBuilder.at(0).attributes(Packet.CHECKSUM_BAD).build()).reason())
        .isEqualTo("bad checksum");
    assertThat(t.state.get(dns)).isNull();
  }

  private static Packet udp(long time, boolean fromHigh) {
    return PacketBuilder.at(time).fromHigh(fromHigh).payload(40).build();
  }
}

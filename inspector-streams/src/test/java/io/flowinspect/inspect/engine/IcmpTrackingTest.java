package io.flowinspect.inspect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IcmpTrackingTest {
  private static final IpAddress HOST = IpAddress.parse("10.0.0.5");
  private static final IpAddress TARGET = IpAddress.parse("192.0.2.1");
  /** Echo: both "ports" hold (request type << 24) | (code << 16) | identifier. */
  private static final int ECHO_ID_7 = (8 << 24) | 7;
  private final FlowKey ping = FlowKey.of(0, Protocols.ICMP, HOST, ECHO_ID_7, TARGET, ECHO_ID_7);
  private final Tracking t = new Tracking();

  @Test
  void echoRequestIsNewAndItsReplyEstablished() {
    assertThat(t.send(ping, icmp(0, false, 8))).isEqualTo(Classification.NEW_ORIGINAL);
    assertThat(t.send(ping, icmp(1, true, 0))).isEqualTo(Classification.ESTABLISHED_REPLY);
    assertThat(t.send(ping, icmp(2, false, 8))).isEqualTo(Classification.ESTABLISHED_ORIGINAL);
  }

  @Test
  void echoReplyWithoutARequestIsInvalid() {
    Classification c = t.send(ping, icmp(0, true, 0));

    assertThat(c.state()).isEqualTo(CtState.INVALID);
    assertThat(t.state.get(ping)).isNull();
  }

  @Test
  void unansweredRequestsStayNewUntilTheTimeout() {
    assertThat(t.send(ping, icmp(0, false, 8))).isEqualTo(Classification.NEW_ORIGINAL);
    assertThat(t.send(ping, icmp(1_000_000_000L, false, 8))).isEqualTo(Classification.NEW_ORIGINAL);
    assertThat(t.state.get(ping).expiresNanos()).isEqualTo(31_000_000_000L);
  }

  @Test
  void errorAboutATrackedUdpFlowIsRelatedInTheReplyDirection() {
    FlowKey udp = FlowKey.of(0, Protocols.UDP, HOST, 5000, TARGET, 53);
    boolean hostIsHigh = udp.highAddress().equals(HOST);
    t.send(udp, PacketBuilder.at(0).fromHigh(hostIsHigh).build());

    Classification c = t.send(udp, PacketBuilder.at(1).fromHigh(!hostIsHigh).icmp(3, 3)
        .icmpError(hostIsHigh, true, false).build());

    assertThat(c).isEqualTo(Classification.RELATED_REPLY);
    assertThat(t.state.get(udp).seenReply()).as("an error is not a reply").isFalse();
  }

  @Test
  void timeExceededForAnEchoIsRelated() {
    t.send(ping, icmp(0, false, 8));

    Classification c = t.send(ping, PacketBuilder.at(1).fromHigh(true).icmp(11, 0).icmpError(false, true, false).build());

    assertThat(c).isEqualTo(Classification.RELATED_REPLY);
  }

  @Test
  void errorAboutNoConnectionIsInvalid() {
    FlowKey udp = FlowKey.of(0, Protocols.UDP, HOST, 5000, TARGET, 53);

    Classification c = t.send(udp, PacketBuilder.at(1).icmp(3, 3).icmpError(false, true, false).build());

    assertThat(c.reason()).isEqualTo("icmp error for no connection");
  }

  @Test
  void errorNotAddressedToTheQuotedPacketsSenderIsInvalid() {
    FlowKey udp = FlowKey.of(0, Protocols.UDP, HOST, 5000, TARGET, 53);
    t.send(udp, PacketBuilder.at(0).build());

    Classification c = t.send(udp, PacketBuilder.at(1).fromHigh(true).icmp(3, 3).icmpError(false, true, true).build());

    assertThat(c.state()).isEqualTo(CtState.INVALID);
  }

  @Test
  void errorAboutAnErrorIsInvalid() {
    Classification c = t.send(ping, PacketBuilder.at(1).icmp(3, 1).icmpError(false, false, false).build());

    assertThat(c.state()).isEqualTo(CtState.INVALID);
  }

  @Test
  void neighbourDiscoveryIsUntracked() {
    FlowKey nd = FlowKey.of(0, Protocols.ICMPV6, IpAddress.parse("fe80::1"), 135 << 24, IpAddress.parse("ff02::1:ff00:2"),
        135 << 24);

    Classification c = t.send(nd, PacketBuilder.at(0).icmp(135, 0).build());

    assertThat(c.state()).isEqualTo(CtState.UNTRACKED);
    assertThat(t.state.size()).isZero();
  }

  @Test
  void icmpTypesWithoutAReplyCannotOpenAConnection() {
    FlowKey advert = FlowKey.of(0, Protocols.ICMP, HOST, 9 << 24, TARGET, 9 << 24);

    assertThat(t.send(advert, PacketBuilder.at(0).icmp(9, 0).build()).state()).isEqualTo(CtState.INVALID);
  }

  private static Packet icmp(long time, boolean fromHigh, int type) {
    return PacketBuilder.at(time).fromHigh(fromHigh).icmp(type, 0).payload(56).build();
  }
}

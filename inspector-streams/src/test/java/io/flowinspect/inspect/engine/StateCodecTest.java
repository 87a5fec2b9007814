package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.Packet.ACK;
import static io.flowinspect.inspect.engine.Packet.PSH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StateCodecTest {
  @Test
  void flowKeyRoundTripsAndSortsLikeItsBytes() {
    FlowKey v4 = FlowKey.of(3, 6, IpAddress.parse("10.0.0.1"), 1234, IpAddress.parse("10.0.0.2"), 80);
    FlowKey v6 = FlowKey.of(0, 17, IpAddress.parse("2001:db8::1"), 53, IpAddress.parse("2001:db8::2"), 5353);

    assertThat(StateCodec.decodeKey(StateCodec.encode(v4))).isEqualTo(v4);
    assertThat(StateCodec.decodeKey(StateCodec.encode(v6))).isEqualTo(v6);
    assertThat(StateCodec.encode(v4)).hasSize(22);
  }

  @Test
  void aKeyIsComparedWithItsBytesFieldByFieldAndOnlyItsOwnBytesMatch() {
    FlowKey v4 = FlowKey.of(3, 6, IpAddress.parse("10.0.0.1"), 1234, IpAddress.parse("10.0.0.2"), 80);
    FlowKey v6 = FlowKey.of(0, 17, IpAddress.parse("2001:db8::1"), 53, IpAddress.parse("2001:db8::2"), 5353);
    FlowKey[] others = {
        FlowKey.of(4, 6, IpAddress.parse("10.0.0.1"), 1234, IpAddress.parse("10.0.0.2"), 80), // zone
        FlowKey.of(3, 17, IpAddress.parse("10.0.0.1"), 1234, IpAddress.parse("10.0.0.2"), 80), // protocol
        FlowKey.of(3, 6, IpAddress.parse("10.0.0.1"), 1235, IpAddress.parse("10.0.0.2"), 80), // a port
        FlowKey.of(3, 6, IpAddress.parse("10.0.0.1"), 1234, IpAddress.parse("10.0.0.3"), 80), // an address
        FlowKey.of(3, 6, IpAddress.parse("10.0.0.1"), 1234, IpAddress.parse("10.0.0.2"), 81),
        FlowKey.of(0, 17, IpAddress.parse("2001:db8::1"), 53, IpAddress.parse("2001:db8::3"), 5353),
        FlowKey.of(0, 17, IpAddress.parse("2001:db9::1"), 53, IpAddress.parse("2001:db8::2"), 5353),
        FlowKey.of(0, 17, IpAddress.parse("::10.0.0.1"), 1234, IpAddress.parse("::10.0.0.2"), 80), // family
    };
    // Stored inside a larger array, as packed memory holds them.
    byte[] bytes4 = StateCodec.encode(v4);
    byte[] bytes6 = StateCodec.encode(v6);
    byte[] chunk = new byte[100];
    System.arraycopy(bytes4, 0, chunk, 7, bytes4.length);
    System.arraycopy(bytes6, 0, chunk, 40, bytes6.length);

    assertThat(StateCodec.keyEquals(v4, chunk, 7, bytes4.length)).isTrue();
    assertThat(StateCodec.keyEquals(v6, chunk, 40, bytes6.length)).isTrue();
    assertThat(StateCodec.decodeKey(chunk, 40, bytes6.length)).isEqualTo(v6);
    for (FlowKey other : others) {
      assertThat(StateCodec.keyEquals(other, chunk, 7, bytes4.length)).as(other.toString()).isFalse();
      assertThat(StateCodec.keyEquals(other, chunk, 40, bytes6.length)).as(other.toString()).isFalse();
    }
  }

  @Test
  void aConnectionIsDecodedWhereItLiesAndTheReusedEncoderWritesWhatEncodeWrites() {
    TcpConversation t = TcpTrackingTest.established();
    t.client(PSH | ACK, 100);
    byte[] encoded = StateCodec.encode(t.conn());
    byte[] chunk = new byte[encoded.length + 20];
    System.arraycopy(encoded, 0, chunk, 11, encoded.length);
    ConnEncoder encoder = StateCodec.encoder();
    Conn longer = TcpTrackingTest.established().conn();
    longer.decide(Decision.DENY, "a rule whose id is spelled out in full, longer than the connection above");
    encoder.encode(longer); // leaves more bytes in the reused array than the next encoding writes

    Conn copy = StateCodec.decodeConn(chunk, 11, encoded.length);
    int length = encoder.encode(copy);

    assertThat(java.util.Arrays.copyOf(encoder.array(), length)).isEqualTo(encoded);
    assertThatThrownBy(() -> StateCodec.decodeConn(chunk, 11, encoded.length - 3)).hasMessageContaining("truncated");
  }

  @Test
  void tcpConnectionStateRoundTripsExactly() {
    TcpConversation t = TcpTrackingTest.established();
    t.client(PSH | ACK, 100);
    Conn original = t.conn();
    original.decide(Decision.DENY, "no-telnet");

    Conn copy = StateCodec.decodeConn(StateCodec.encode(original));

    assertThat(StateCodec.encode(copy)).isEqualTo(StateCodec.encode(original));
    assertThat(copy.tcpState()).isEqualTo(TcpState.ESTABLISHED);
    assertThat(copy.orig.end).isEqualTo(original.orig.end);
    assertThat(copy.reply.maxWindow).isEqualTo(original.reply.maxWindow);
    assertThat(copy.decision()).isEqualTo(Decision.DENY);
    assertThat(copy.ruleId()).isEqualTo("no-telnet");
    assertThat(copy.expiresNanos()).isEqualTo(original.expiresNanos());
  }

  @Test
  void connectionReplayedFromItsEncodingTracksTheSameAsTheOriginal() {
    TcpConversation live = TcpTrackingTest.established();
    TcpConversation restored = TcpTrackingTest.established();
    restored.state.put(restored.key, StateCodec.decodeConn(StateCodec.encode(restored.conn())));

    for (TcpConversation t : new TcpConversation[] {live, restored}) {
      t.client(PSH | ACK, 500);
      t.server(ACK);
    }

    assertThat(StateCodec.encode(restored.conn())).isEqualTo(StateCodec.encode(live.conn()));
  }

  @Test
  void unknownFormatVersionIsRefused() {
    byte[] bytes = StateCodec.encode(TcpTrackingTest.established().conn());
    bytes[0] = 99;

    assertThatThrownBy(() -> StateCodec.decodeConn(bytes)).hasMessageContaining("format 99");
  }

  @Test
  void typicalTcpConnectionTakesAtMostSixtyFourBytes() {
    TcpConversation t = TcpTrackingTest.established();
    for (int i = 0; i < 3; i++) {
      t.client(PSH | ACK, 300);
      t.server(PSH | ACK, 1400);
      t.client(ACK);
    }
    t.client(Packet.FIN | ACK);

    assertThat(StateCodec.encode(t.conn())).hasSizeLessThanOrEqualTo(64);
  }

  @Test
  void busyTcpConnectionGrowsOnlyByItsCounters() {
    TcpConversation t = TcpTrackingTest.established();
    for (int i = 0; i < 1000; i++) {
      t.client(PSH | ACK, 700);
      t.server(PSH | ACK, 1400);
      t.client(ACK);
    }

    // Three thousand packets and two megabytes: the four counters take ten bytes instead of four, and
    // the history's octet counts two more.
    assertThat(StateCodec.encode(t.conn())).hasSizeLessThanOrEqualTo(76);
  }

  @Test
  void udpFlowTakesAtMostFortyBytes() {
    Tracking u = new Tracking();
    FlowKey k = FlowKey.of(0, Protocols.UDP, IpAddress.parse("10.0.0.1"), 5000, IpAddress.parse("192.0.2.53"), 53);
    u.send(k, PacketBuilder.at(1_700_000_000_000_000_000L).payload(40).build());
    u.send(k, PacketBuilder.at(1_700_000_000_010_000_000L).fromHigh(true).payload(400).build());

    assertThat(StateCodec.encode(u.state.get(k))).hasSizeLessThanOrEqualTo(40);
  }

  @Test
  void ruleIdsOfTheUsersOwnRulesSurviveTheOneByteCode() {
    Conn c = TcpTrackingTest.established().conn();
    c.decide(Decision.ALLOW, "ssh-to-bastion");

    assertThat(StateCodec.decodeConn(StateCodec.encode(c)).ruleId()).isEqualTo("ssh-to-bastion");
  }

  /** Written by the previous release (format 1) for the conversation of the 64-byte test above. */
  private static final String FORMAT_ONE = "010403b6c1dc99afef026282cc3a018aa61d09ec0904882200240000076edeeb07f0f5030000"
      + "07b189e0eb07f0f50301c08620010001f0f5030000";

  @Test
  void connectionStoredInFormatOneReadsBackWithEverythingButTheHistory() {
    TcpConversation t = TcpTrackingTest.established();
    for (int i = 0; i < 3; i++) {
      t.client(PSH | ACK, 300);
      t.server(PSH | ACK, 1400);
      t.client(ACK);
    }
    t.client(Packet.FIN | ACK);
    Conn now = t.conn();

    Conn old = StateCodec.decodeConn(java.util.HexFormat.of().parseHex(FORMAT_ONE));

    now.history = new FlowHistory(); // format 1 had none: it starts afresh at the next packet
    assertThat(StateCodec.encode(old)).isEqualTo(StateCodec.encode(now));
    assertThat(old.history().history()).isEmpty();
  }
}

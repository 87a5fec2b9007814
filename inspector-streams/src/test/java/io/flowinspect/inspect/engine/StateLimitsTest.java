package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.Packet.ACK;
import static io.flowinspect.inspect.engine.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StateLimitsTest {
  private static final long SECOND = 1_000_000_000L;
  private static final IpAddress SERVER = IpAddress.parse("192.0.2.80");

  @Test
  void atTheLimitTheOldestUnansweredConnectionIsEvictedFirst() {
    Tracking t = new Tracking(TrackerConfig.defaults().withLimits(StateLimits.of(3)));
    FlowKey a = syn(t, 1, 1);
    FlowKey b = handshake(t, 2, 2);
    FlowKey c = syn(t, 3, 3);

    FlowKey d = syn(t, 4, 4);

    assertThat(t.endedKeys).containsExactly(a);
    assertThat(t.ended).containsExactly("EVICTED");
    assertThat(t.state.get(b)).isNotNull();
    assertThat(t.state.get(c)).isNotNull();
    assertThat(t.state.get(d)).isNotNull();
    assertThat(t.tracker.connections()).isEqualTo(3);
  }

  @Test
  void anAnsweredConnectionIsNeverEvictedWhileUnansweredOnesRemain() {
    Tracking t = new Tracking(TrackerConfig.defaults().withLimits(StateLimits.of(3)));
    FlowKey answered = handshake(t, 1, 1); // the oldest of all
    FlowKey unanswered = syn(t, 2, 2);
    handshake(t, 3, 3);

    syn(t, 4, 4);

    assertThat(t.endedKeys).containsExactly(unanswered);
    assertThat(t.state.get(answered)).isNotNull();
  }

  @Test
  void withOnlyAnsweredConnectionsANewOneIsNotTrackedAndPressureIsReported() {
    Tracking t = new Tracking(TrackerConfig.defaults().withLimits(StateLimits.of(2)));
    handshake(t, 1, 1);
    handshake(t, 2, 2);
    FlowKey refused = FlowKey.of(0, Protocols.TCP, client(3), 40003, SERVER, 80);

    Classification c = t.send(refused, at(3).tcp(SYN, 1, 0).fromHigh(fromClientHigh(refused)).build());

    assertThat(c.state()).isEqualTo(CtState.INVALID);
    assertThat(c.reason()).isEqualTo("connection table full");
    assertThat(t.state.get(refused)).isNull();
    assertThat(t.pressure).last().asString().contains("refused");
  }

  @Test
  void aConnectionLeavesTheEvictionQueueWithItsFirstReply() {
    Tracking t = new Tracking(TrackerConfig.defaults().withLimits(StateLimits.of(10)));
    handshake(t, 1, 1);
    FlowKey unanswered = syn(t, 2, 2);
    handshake(t, 3, 3);

    assertThat(t.state.pollOldest()).isEqualTo(unanswered);
    assertThat(t.state.pollOldest()).as("answered connections are not waiting to be evicted").isNull();
  }

  @Test
  void pastTheAdaptiveStartNewConnectionsGetShorterTimeouts() {
    Tracking t = new Tracking(TrackerConfig.defaults().withLimits(StateLimits.of(10)));
    for (int i = 1; i <= 7; i++) {
      syn(t, i, i); // the seventh takes the table past 0.6 × 10
    }

    FlowKey eighth = syn(t, 8, 8);

    long timeout = t.state.get(eighth).expiresNanos() - 8 * SECOND;
    // With 7 tracked: (12 - 7) / (12 - 6) of 120 s, in 1/64 steps: floor(0.833 × 64) / 64 = 53/64.
    assertThat(timeout).isEqualTo(120 * SECOND * 53 / 64);
    assertThat(t.pressure).containsExactly("7 scale=0.828125 evicted=0");
  }

  @Test
  void endingConnectionsLiftsThePressure() {
    Tracking t = new Tracking(TrackerConfig.defaults().withLimits(StateLimits.of(10)));
    for (int i = 1; i <= 8; i++) {
      syn(t, i, i);
    }
    t.tracker.expire(200 * SECOND, Integer.MAX_VALUE); // every unanswered SYN has timed out

    FlowKey fresh = syn(t, 9, 201);

    assertThat(t.tracker.connections()).isEqualTo(1);
    assertThat(t.state.get(fresh).expiresNanos() - 201 * SECOND).isEqualTo(120 * SECOND);
  }

  private static FlowKey syn(Tracking t, int client, long second) {
    FlowKey k = FlowKey.of(0, Protocols.TCP, client(client), 40000 + client, SERVER, 80);
    t.send(k, at(second).tcp(SYN, 1000, 0).fromHigh(fromClientHigh(k)).build());
    return k;
  }

  private static FlowKey handshake(Tracking t, int client, long second) {
    FlowKey k = syn(t, client, second);
    boolean clientHigh = fromClientHigh(k);
    t.send(k, PacketBuilder.at(second * SECOND + 1000).fromHigh(!clientHigh).tcp(SYN | ACK, 9000, 1001).build());
    t.send(k, PacketBuilder.at(second * SECOND + 2000).fromHigh(clientHigh).tcp(ACK, 1001, 9001).build());
    return k;
  }

  private static PacketBuilder at(long second) {
    return PacketBuilder.at(second * SECOND);
  }

  private static IpAddress client(int n) {
    return IpAddress.parse("10.0.0." + n);
  }

  private static boolean fromClientHigh(FlowKey k) {
    return !k.highAddress().equals(SERVER);
  }
}

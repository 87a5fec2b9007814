package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.Packet.ACK;
import static io.flowinspect.inspect.engine.Packet.FIN;
import static io.flowinspect.inspect.engine.Packet.PSH;
import static io.flowinspect.inspect.engine.Packet.RST;
import static io.flowinspect.inspect.engine.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link InPlaceSegment} against the full engine: two trackers see the same packets, one over
 * decoded connections, one over connections held in {@link FixedConnLayout} whose established
 * segments are inspected where they lie. After every packet both must have classified it alike,
 * ended the same connections, and hold the same connection, byte for byte; the tests also say
 * which packets the fast path takes and which it leaves to the full engine.
 */
class InPlaceSegmentTest {
  private static final IpAddress CLIENT = IpAddress.parse("10.0.0.1");
  private static final IpAddress SERVER = IpAddress.parse("192.0.2.10");

  /** The same packets through both tables. */
  private static final class Twin {
    final FlowKey key;
    final InMemoryState decoded = new InMemoryState();
    final FixedLayoutTable fixed = new FixedLayoutTable();
    final List<String> endedDecoded = new ArrayList<>();
    final List<String> endedFixed = new ArrayList<>();
    final ConnectionTracker reference;
    final ConnectionTracker tracker;
    long now = 1_000_000_000L;
    Classification last;
    int clientNext = 1000;
    int serverNext = 500_000;

    Twin(int serverPort) {
      key = FlowKey.of(0, Protocols.TCP, CLIENT, 40000, SERVER, serverPort);
      InMemoryState rest = new InMemoryState();
      reference = new ConnectionTracker(TrackerConfig.defaults(), TrackerState.inMemory(decoded), ends(endedDecoded));
      tracker = new ConnectionTracker(TrackerConfig.defaults(), new TrackerState(fixed, rest, rest, rest, rest),
          ends(endedFixed));
    }

    private static TrackerListener ends(List<String> ended) {
      return new TrackerListener() {
        @Override
        public void ended(FlowKey k, Conn conn, EndReason reason, long nowNanos) {
          ended.add(reason.name());
        }
      };
    }

    /** Sends {@code p} through both; returns whether the fast path took it. */
    boolean send(Packet p) {
      long before = fixed.inPlace;
      Classification expected = reference.process(key, p);
      assertThat(tracker.process(key, p)).isEqualTo(expected);
      last = expected;
      assertThat(endedFixed).isEqualTo(endedDecoded);
      Conn want = decoded.get(key);
      Conn got = fixed.get(key);
      assertThat(got == null ? null : StateCodec.encode(got)).isEqualTo(want == null ? null : StateCodec.encode(want));
      return fixed.inPlace > before;
    }

    PacketBuilder segment(boolean fromServer, int flags, int bytes) {
      now += 1_000_000L;
      int seq = fromServer ? serverNext : clientNext;
      int ack = fromServer ? clientNext : serverNext;
      int advance = bytes + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
      if (fromServer) {
        serverNext += advance;
      } else {
        clientNext += advance;
      }
      return PacketBuilder.at(now).fromHigh(fromServer).tcp(flags, seq, (flags & ACK) != 0 ? ack : 0).payload(bytes)
          .window(29200);
    }

    boolean client(int flags, int bytes) {
      return send(segment(false, flags, bytes).build());
    }

    boolean server(int flags, int bytes) {
      return send(segment(true, flags, bytes).build());
    }

    /** Handshake, then data and an ACK each way: every letter a steady connection will have. */
    Twin established() {
      send(segment(false, SYN, 0).windowScale(7).sackPermitted().build());
      send(segment(true, SYN | ACK, 0).windowScale(7).sackPermitted().build());
      client(ACK, 0);
      client(ACK | PSH, 200);
      server(ACK, 0);
      server(ACK | PSH, 1400);
      client(ACK, 0);
      return this;
    }
  }

  @Test
  void dataAndAcksOfAnEstablishedConnectionAreInspectedInPlaceAsTheFullEngineWould() {
    Twin t = new Twin(80).established();
    long before = t.fixed.inPlace;
    for (int i = 0; i < 20; i++) {
      assertThat(t.server(ACK | PSH, 1400)).as("server data %d", i).isTrue();
      assertThat(t.client(ACK, 0)).as("client ACK %d", i).isTrue();
    }
    assertThat(t.client(ACK | PSH, 300)).isTrue();
    assertThat(t.fixed.inPlace - before).isEqualTo(41);
  }

  @Test
  void aSidesFirstDataOrAckGoesTheFullWayBecauseZeekAddsALetter() {
    Twin t = new Twin(80);
    t.send(t.segment(false, SYN, 0).build());
    t.send(t.segment(true, SYN | ACK, 0).build());
    assertThat(t.client(ACK, 0)).as("first ACK ('A')").isFalse();
    assertThat(t.client(ACK | PSH, 100)).as("first client data ('D')").isFalse();
    assertThat(t.client(ACK | PSH, 100)).as("more client data").isTrue();
    assertThat(t.server(ACK, 0)).as("first server ACK ('a')").isFalse();
    assertThat(t.server(ACK | PSH, 100)).as("first server data ('d')").isFalse();
  }

  @Test
  void retransmittedDataGoesTheFullWaySoThatZeekCountsIt() {
    Twin t = new Twin(80).established();
    Packet data = t.segment(true, ACK | PSH, 1400).build();
    assertThat(t.send(data)).isTrue();
    Packet again = PacketBuilder.at(t.now + 1).fromHigh(true).tcp(ACK | PSH, data.seq(), data.ack()).payload(1400)
        .window(29200).build();
    assertThat(t.send(again)).isFalse();
    assertThat(t.fixed.get(t.key).history().history()).endsWith("t"); // the responder's first retransmission
  }

  @Test
  void repeatedAcksAreCountedAsTheKernelCountsThemUntilTheRetransmissionTimeoutApplies() {
    Twin t = new Twin(80).established();
    Packet dupAck = t.segment(false, ACK, 0).build();
    for (int i = 0; i < 5; i++) {
      Packet same = PacketBuilder.at(t.now + i).fromHigh(false).tcp(ACK, dupAck.seq(), dupAck.ack()).window(29200)
          .build();
      t.send(same);
    }
    assertThat(t.fixed.get(t.key).expiresNanos - t.now).as("retransmission timeout (300 s) after 3 repeats")
        .isLessThanOrEqualTo(300_000_000_000L + 5);
  }

  @Test
  void zeroWindowsControlFlagsAndOutOfWindowSegmentsGoTheFullWay() {
    Twin t = new Twin(80).established();
    Packet zero = PacketBuilder.at(t.now + 1).fromHigh(true).tcp(ACK, t.serverNext, t.clientNext).window(0).build();
    assertThat(t.send(zero)).as("zero window ('W')").isFalse();
    Packet far = PacketBuilder.at(t.now + 2).fromHigh(false).tcp(ACK | PSH, t.clientNext + 100_000_000, t.serverNext)
        .payload(100).window(29200).build();
    assertThat(t.send(far)).as("beyond the window").isFalse();
    assertThat(t.last.state()).isEqualTo(CtState.INVALID);
    assertThat(t.client(ACK | FIN, 0)).as("FIN").isFalse();
    assertThat(t.server(ACK | RST, 0)).as("RST").isFalse();
  }

  @Test
  void aSegmentAfterTheConnectionExpiredGoesTheFullWayWhichEndsIt() {
    Twin t = new Twin(80).established();
    t.now += 6L * 24 * 3600 * 1_000_000_000L;
    assertThat(t.client(ACK | PSH, 10)).isFalse();
    assertThat(t.endedFixed).containsExactly("TIMEOUT");
  }

  @Test
  void dataOnAnFtpControlConnectionGoesTheFullWayForTheHelper() {
    Twin t = new Twin(21).established();
    assertThat(t.client(ACK | PSH, 20)).isFalse();
    assertThat(t.client(ACK, 0)).as("an ACK carries no line").isTrue();
  }

  @Test
  void anAckOfDataNeverSeenGoesTheFullWaySoThatZeekLogsTheGap() {
    Twin t = new Twin(80).established();
    t.serverNext += 5000; // the server's next segment is lost on the way to the sensor
    assertThat(t.server(ACK | PSH, 1000)).isTrue();
    assertThat(t.client(ACK, 0)).as("acknowledges the missed octets").isFalse();
    assertThat(t.fixed.get(t.key).history().history()).contains("g");
  }

  /**
   * Random conversations: data and ACKs each way, lost, repeated and reordered segments, SACK
   * edges, zero windows, time jumps and, near the end, a FIN or RST: a few thousand packets.
   */
  @Test
  void randomConversationsLeaveTheSameStateEitherWay() {
    long taken = 0;
    long sent = 0;
    for (int seed = 0; seed < 40; seed++) {
      Random r = new Random(seed);
      Twin t = new Twin(r.nextInt(4) == 0 ? 21 : 443).established();
      List<Packet> history = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        boolean fromServer = r.nextBoolean();
        int choice = r.nextInt(100);
        Packet p;
        if (choice < 4 && !history.isEmpty()) {
          Packet old = history.get(r.nextInt(history.size())); // repeated or reordered
          p = PacketBuilder.at(t.now += 1000).fromHigh(old.fromHigh()).tcp(old.tcpFlags(), old.seq(), old.ack())
              .payload(old.payloadLength()).window(old.window()).build();
        } else if (choice < 6) {
          if (fromServer) {
            t.serverNext += r.nextInt(3000); // lost
          } else {
            t.clientNext += r.nextInt(3000);
          }
          continue;
        } else if (choice < 7) {
          t.now += (long) r.nextInt(r.nextInt(20) == 0 ? 400 : 60) * 1_000_000_000L; // now and then past a timeout
          continue;
        } else if (choice < 9) {
          p = t.segment(fromServer, ACK, 0).window(0).build();
        } else if (choice < 11) {
          int next = fromServer ? t.clientNext : t.serverNext; // a hole below the peer's last segment
          p = PacketBuilder.at(t.now += 1000).fromHigh(fromServer).tcp(ACK, fromServer ? t.serverNext : t.clientNext,
              next - 1 - r.nextInt(2000)).sack(next).window(29200).build();
        } else if (choice < 12 && i >= 140) { // a close ends what the fast path may take: near the end only
          p = t.segment(fromServer, ACK | (r.nextBoolean() ? FIN : RST), 0).build();
        } else {
          p = t.segment(fromServer, ACK | (r.nextBoolean() ? PSH : 0), r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(1460))
              .build();
        }
        history.add(p);
        sent++;
        if (t.send(p)) {
          taken++;
        }
      }
    }
    assertThat(taken).as("packets taken in place, of %d", sent).isGreaterThan(sent / 3);
  }
}

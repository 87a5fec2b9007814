package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.Packet.ACK;
import static io.flowinspect.inspect.engine.Packet.FIN;
import static io.flowinspect.inspect.engine.Packet.PSH;
import static io.flowinspect.inspect.engine.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Decoding into a connection decoded before ({@link StateCodec#decodeConn(byte[], int, int, Conn)})
 * must leave nothing of the old one behind: every field of the connection and of the objects it
 * holds, compared by reflection (so that a field added later without a reset fails here), equals
 * what a fresh decode gives, for every pair of a varied set of stored connections.
 */
class StateCodecReuseTest {
  private static final long SECOND = 1_000_000_000L;
  private final Tracking t = new Tracking();
  private final List<byte[]> stored = new ArrayList<>();
  private long now = 1_700_000_000L * SECOND;

  @Test
  void aConnectionDecodedIntoAnotherHoldsExactlyWhatAFreshDecodeHolds() {
    tcpConversationWithDataAndClose();
    ftpControlAnnouncingAPassiveDataConnection();
    udpQueryAndAnswer();
    icmpEcho();
    assertThat(stored).hasSizeGreaterThan(20);

    int compared = 0;
    for (byte[] before : stored) {
      for (byte[] after : stored) {
        Conn reused = StateCodec.decodeConn(before, 0, before.length, null);
        Conn into = StateCodec.decodeConn(after, 0, after.length, reused);
        assertThat(into).isSameAs(reused);
        assertSameState(StateCodec.decodeConn(after), into, "conn");
        compared++;
      }
    }
    assertThat(compared).isEqualTo(stored.size() * stored.size());
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

  /** Sends a packet and keeps what every tracked connection looks like after it. */
  private void send(FlowKey key, Packet p) {
    t.send(key, p);
    t.state.forEachConnection((k, conn) -> stored.add(StateCodec.encode(conn)));
  }

  /** Equal field by field, through the engine's own objects; a letters array only as far as it is used. */
  private static void assertSameState(Object expected, Object actual, String path) {
    if (expected == null || actual == null) {
      assertThat(actual).as(path).isEqualTo(expected);
      return;
    }
    assertThat(actual.getClass()).as(path).isEqualTo(expected.getClass());
    Class<?> type = expected.getClass();
    if (type == HistoryLetters.class) {
      assertThat(actual.toString()).as(path).isEqualTo(expected.toString());
      return;
    }
    if (!type.getPackageName().equals(Conn.class.getPackageName()) || type.isEnum() || type.isRecord()) {
      if (type.isArray()) {
        assertThat(java.util.Arrays.deepEquals(new Object[] {expected}, new Object[] {actual})).as(path).isTrue();
      } else {
        assertThat(Objects.equals(expected, actual)).as(path + ": " + expected + " / " + actual).isTrue();
      }
      return;
    }
    for (Field f : type.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      f.setAccessible(true);
      try {
        Object e = f.get(expected);
        Object a = f.get(actual);
        if (f.getType().isPrimitive()) {
          assertThat(a).as(path + "." + f.getName()).isEqualTo(e);
        } else {
          assertSameState(e, a, path + "." + f.getName());
        }
      } catch (IllegalAccessException ex) {
        throw new AssertionError(ex);
      }
    }
  }
}

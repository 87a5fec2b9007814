package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.Packet.ACK;
import static io.flowinspect.inspect.engine.Packet.FIN;
import static io.flowinspect.inspect.engine.Packet.RST;
import static io.flowinspect.inspect.engine.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cell of the kernel's TCP state table, driven through the whole tracker: a script brings a
 * connection (client = original side) to a state, then one in-window segment of each kind arrives
 * from each side. Outcomes: the next state; {@code =} unchanged and not invalid (the kernel's
 * IGNORE, or a retransmission); {@code invalid}; {@code reopen} (the old connection ends and the
 * segment opens a new one); {@code forget} (a reset ends a connection that never saw a reply).
 */
class TcpStateTableTest {
  private static final String[] KINDS = {"syn", "synack", "fin", "ack", "rst", "none"};
  private static final int[] FLAGS = {SYN, SYN | ACK, FIN | ACK, ACK, RST | ACK, 0};

  //                 state        syn          synack       fin          ack          rst          none
  private static final String[][] ORIGINAL = {
      {"SYN_SENT", "SYN_SENT", "invalid", "invalid", "invalid", "forget", "invalid"},
      {"SYN_RECV", "=", "SYN_RECV", "FIN_WAIT", "ESTABLISHED", "CLOSE", "invalid"},
      {"ESTABLISHED", "=", "invalid", "FIN_WAIT", "ESTABLISHED", "CLOSE", "invalid"},
      {"FIN_WAIT", "=", "invalid", "LAST_ACK", "CLOSE_WAIT", "CLOSE", "invalid"},
      {"CLOSE_WAIT", "=", "invalid", "LAST_ACK", "CLOSE_WAIT", "CLOSE", "invalid"},
      {"LAST_ACK", "=", "invalid", "LAST_ACK", "TIME_WAIT", "CLOSE", "invalid"},
      {"TIME_WAIT", "reopen", "invalid", "TIME_WAIT", "TIME_WAIT", "CLOSE", "invalid"},
      {"CLOSE", "reopen", "invalid", "CLOSE", "CLOSE", "CLOSE", "invalid"},
      {"SYN_SENT2", "SYN_SENT2", "SYN_RECV", "invalid", "invalid", "CLOSE", "invalid"},
  };

  private static final String[][] REPLY = {
      {"SYN_SENT", "SYN_SENT2", "SYN_RECV", "invalid", "=", "forget", "invalid"},
      {"SYN_RECV", "invalid", "=", "FIN_WAIT", "SYN_RECV", "CLOSE", "invalid"},
      {"ESTABLISHED", "invalid", "=", "FIN_WAIT", "ESTABLISHED", "CLOSE", "invalid"},
      {"FIN_WAIT", "invalid", "=", "LAST_ACK", "CLOSE_WAIT", "CLOSE", "invalid"},
      {"CLOSE_WAIT", "invalid", "=", "LAST_ACK", "CLOSE_WAIT", "CLOSE", "invalid"},
      {"LAST_ACK", "invalid", "=", "LAST_ACK", "TIME_WAIT", "CLOSE", "invalid"},
      {"TIME_WAIT", "reopen", "=", "TIME_WAIT", "TIME_WAIT", "CLOSE", "invalid"},
      {"CLOSE", "invalid", "=", "CLOSE", "CLOSE", "CLOSE", "invalid"},
      {"SYN_SENT2", "SYN_SENT2", "SYN_RECV", "invalid", "=", "CLOSE", "invalid"},
  };

  static Stream<Arguments> cells() {
    List<Arguments> all = new ArrayList<>();
    for (String[] row : ORIGINAL) {
      for (int k = 0; k < KINDS.length; k++) {
        all.add(Arguments.of(TcpState.valueOf(row[0]), "original", k, row[k + 1]));
      }
    }
    for (String[] row : REPLY) {
      for (int k = 0; k < KINDS.length; k++) {
        all.add(Arguments.of(TcpState.valueOf(row[0]), "reply", k, row[k + 1]));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{1} {2} in {0} -> {3}")
  @MethodSource("cells")
  void segmentInStateGivesTheKernelsOutcome(TcpState state, String direction, int kind, String expected) {
    TcpConversation t = new TcpConversation();
    setUp(state).accept(t);
    assertThat(t.tcpState()).as("set-up").isEqualTo(state);
    boolean fromServer = direction.equals("reply");

    int flags = FLAGS[kind];
    if (flags == (RST | ACK) && !fromServer && state == TcpState.SYN_SENT) {
      flags = RST; // a client that has heard nothing yet has nothing to acknowledge
    }
    Classification c = fromServer ? t.server(flags) : t.client(flags);

    String what = direction + " " + KINDS[kind] + " in " + state;
    switch (expected) {
      case "invalid" -> {
        assertThat(c.state()).as(what + " (" + c.reason() + ")").isEqualTo(CtState.INVALID);
        assertThat(t.tcpState()).as(what + " changes nothing").isEqualTo(state);
      }
      case "=" -> {
        assertThat(c.state()).as(what + " (" + c.reason() + ")").isNotEqualTo(CtState.INVALID);
        assertThat(t.tcpState()).as(what).isEqualTo(state);
      }
      case "reopen" -> {
        assertThat(c).as(what).isEqualTo(Classification.NEW_ORIGINAL);
        assertThat(t.ended).as(what).containsExactly("CLOSED");
        assertThat(t.tcpState()).as(what).isEqualTo(TcpState.SYN_SENT);
        assertThat(t.conn().origIsHigh()).as(what + ": the SYN's sender opens the new connection").isEqualTo(fromServer);
      }
      case "forget" -> {
        assertThat(c.state()).as(what + " (" + c.reason() + ")").isNotEqualTo(CtState.INVALID);
        assertThat(t.conn()).as(what).isNull();
        assertThat(t.ended).as(what).containsExactly("RESET");
      }
      default -> {
        assertThat(c.state()).as(what + " (" + c.reason() + ")").isNotEqualTo(CtState.INVALID);
        assertThat(t.tcpState()).as(what).isEqualTo(TcpState.valueOf(expected));
      }
    }
  }

  private static Consumer<TcpConversation> setUp(TcpState state) {
    return switch (state) {
      case SYN_SENT -> t -> t.client(SYN);
      case SYN_RECV -> t -> {
        t.client(SYN);
        t.server(SYN | ACK);
      };
      case ESTABLISHED -> t -> {
        setUp(TcpState.SYN_RECV).accept(t);
        t.client(ACK);
      };
      case FIN_WAIT -> t -> {
        setUp(TcpState.ESTABLISHED).accept(t);
        t.client(FIN | ACK);
      };
      case CLOSE_WAIT -> t -> {
        setUp(TcpState.FIN_WAIT).accept(t);
        t.server(ACK);
      };
      case LAST_ACK -> t -> {
        setUp(TcpState.CLOSE_WAIT).accept(t);
        t.server(FIN | ACK);
      };
      case TIME_WAIT -> t -> {
        setUp(TcpState.LAST_ACK).accept(t);
        t.client(ACK);
      };
      case CLOSE -> t -> {
        setUp(TcpState.ESTABLISHED).accept(t);
        t.client(RST);
      };
      case SYN_SENT2 -> t -> {
        t.client(SYN);
        t.server(SYN);
      };
      case NONE -> t -> { };
    };
  }
}

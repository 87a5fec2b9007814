package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.SameState.assertSameState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Packed memory's form of a connection ({@link FixedConnLayout}) must hold exactly what the
 * connection held (it replaces the decoded connection between two packets), convert to the stored
 * form byte for byte as the connection itself would, and decode into a reused connection leaving
 * nothing of the old one behind. Checked on every state of a varied set of live connections, and on
 * each of them again with a rule of the user's and a DENY decision.
 */
class FixedConnLayoutTest {
  @Test
  void aConnectionInTheFixedLayoutDecodesToExactlyTheConnectionThatWasEncoded() {
    List<byte[]> encoded = new ArrayList<>();
    ConnectionSamples.visit(conn -> {
      encoded.add(checkedRoundTrip(conn));
      Conn denied = FixedConnLayout.decode(encoded.get(encoded.size() - 1), 0, encoded.get(encoded.size() - 1).length,
          null);
      denied.decide(Decision.DENY, "block-legacy-" + encoded.size());
      encoded.add(checkedRoundTrip(denied));
    });
    assertThat(encoded).hasSizeGreaterThan(40);
  }

  @Test
  void theFixedLayoutConvertsToAndFromTheStoredFormWithoutChangingAByte() {
    ConnectionSamples.visit(conn -> {
      byte[] stored = StateCodec.encode(conn);
      assertThat(FixedConnLayout.toStored(FixedConnLayout.encode(conn))).isEqualTo(stored);
      byte[] fromStored = FixedConnLayout.fromStored(stored);
      assertSameState(StateCodec.decodeConn(stored), FixedConnLayout.decode(fromStored, 0, fromStored.length, null),
          "conn");
      assertThat(FixedConnLayout.toStored(fromStored)).isEqualTo(stored);
    });
    assertThat(FixedConnLayout.toStored(null)).isNull();
  }

  @Test
  void aConnectionDecodedIntoAnotherHoldsExactlyWhatAFreshDecodeHolds() {
    List<byte[]> encoded = new ArrayList<>();
    ConnectionSamples.visit(conn -> encoded.add(FixedConnLayout.encode(conn)));
    for (byte[] before : encoded) {
      for (byte[] after : encoded) {
        Conn reused = FixedConnLayout.decode(before, 0, before.length, null);
        Conn into = FixedConnLayout.decode(after, 0, after.length, reused);
        assertThat(into).isSameAs(reused);
        assertSameState(FixedConnLayout.decode(after, 0, after.length, null), into, "conn");
      }
    }
  }

  @Test
  void theReusedEncoderWritesWhatAFreshEncodeWrites() {
    ConnEncoder encoder = FixedConnLayout.encoder();
    ConnectionSamples.visit(conn -> {
      int length = encoder.encode(conn);
      assertThat(java.util.Arrays.copyOf(encoder.array(), length)).isEqualTo(FixedConnLayout.encode(conn));
    });
  }

  @Test
  void aSliceShorterThanItsLayoutIsRefused() {
    List<byte[]> encoded = new ArrayList<>();
    ConnectionSamples.visit(conn -> encoded.add(FixedConnLayout.encode(conn)));
    byte[] tcp = encoded.get(0);
    assertThatThrownBy(() -> FixedConnLayout.decode(tcp, 0, 100, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorter than its layout");
  }

  @Test
  void byteSevenSaysWhichOfTheLettersDdAaTheHistoryHolds() {
    int[] seen = new int[1];
    ConnectionSamples.visit(conn -> {
      String history = conn.history().history();
      int expected = (history.contains("D") ? 1 : 0) | (history.contains("d") ? 2 : 0)
          | (history.contains("A") ? 4 : 0) | (history.contains("a") ? 8 : 0);
      assertThat(FixedConnLayout.encode(conn)[FixedConnLayout.LETTERS_SEEN]).as(history).isEqualTo((byte) expected);
      seen[0] |= expected;
    });
    assertThat(seen[0]).as("every letter among the samples").isEqualTo(15);
  }

  /**
   * An in-place segment moves a side's highest sequence number without reading the tail: the
   * positions of that side's last SYN, FIN and RST, kept in the tail, must not move with it.
   */
  @Test
  void theRareZeekPositionsDoNotDependOnTheSidesHighestSequenceNumber() {
    ConnectionSamples.visit(live -> {
      byte[] copy = FixedConnLayout.encode(live);
      Conn conn = FixedConnLayout.decode(copy, 0, copy.length, null); // the samples' own connection goes on
      ZeekEndpoint side = conn.history.orig;
      side.lastFinAt = 1234;
      side.lastRstAt = 0;
      byte[] bytes = FixedConnLayout.encode(conn);
      java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN)
          .putInt(FixedConnLayout.ZEEK_SEQUENCES + 4, side.last + 5000); // the originator's highest, moved
      ZeekEndpoint decoded = FixedConnLayout.decode(bytes, 0, bytes.length, null).history.orig;
      assertThat(decoded.last).isEqualTo(side.last + 5000);
      assertThat(decoded.lastFinAt).isEqualTo(1234);
      assertThat(decoded.lastRstAt).isZero();
    });
  }

  /** Encodes {@code conn}, checks that the bytes decode to all of it (fresh and from within a larger array), returns them. */
  private static byte[] checkedRoundTrip(Conn conn) {
    byte[] bytes = FixedConnLayout.encode(conn);
    assertSameState(conn, FixedConnLayout.decode(bytes, 0, bytes.length, null), "conn");
    byte[] within = new byte[bytes.length + 11];
    System.arraycopy(bytes, 0, within, 7, bytes.length);
    assertSameState(conn, FixedConnLayout.decode(within, 7, bytes.length, null), "conn");
    return bytes;
  }
}

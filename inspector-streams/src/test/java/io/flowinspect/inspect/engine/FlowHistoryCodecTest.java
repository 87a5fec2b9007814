package io.flowinspect.inspect.engine;

import static io.flowinspect.inspect.engine.Packet.ACK;
import static io.flowinspect.inspect.engine.Packet.FIN;
import static io.flowinspect.inspect.engine.Packet.PSH;
import static io.flowinspect.inspect.engine.Packet.RST;
import static io.flowinspect.inspect.engine.Packet.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The stored form of a history: small for ordinary connections, and nothing lost. */
class FlowHistoryCodecTest {
  static byte[] encode(FlowHistory h) {
    return h.toBytes();
  }

  static FlowHistory decode(byte[] data) {
    return FlowHistory.fromBytes(data);
  }

  @Test
  void aUdpQueryAndAnswerTakesThreeBytes() {
    HistoryScript s = HistoryScript.udp().client(0, 30).server(0, 90);
    // flags, states, and "Dd" as one of the well-known histories
    assertThat(encode(s.history)).hasSize(3);
  }

  @Test
  void aTcpConnectionShADadFfTakesNineBytesBesideTheTcpTrackersState() {
    HistoryScript s = HistoryScript.tcp().client(SYN).server(SYN | ACK).client(ACK).client(ACK | PSH, 100)
        .server(ACK).server(ACK | PSH, 5000).client(FIN | ACK).server(FIN | ACK).client(ACK);
    assertThat(s.history()).isEqualTo("ShADadFf");
    FlowHistory h = s.history;
    Bytes stored = new Bytes(32);
    // In the state store the sequence numbers are written against the TCP tracker's window ends,
    // which here are the same numbers.
    FlowHistoryCodec.write(h, stored, h.orig.last, h.resp.last);

    // flags, states, one well-known-history byte, previous states; per side a zero difference and a
    // varint of the octets it sent (102: 1 byte, 5002: 2 bytes)
    assertThat(stored.toArray()).hasSize(4 + (1 + 1) + (1 + 2));
    FlowHistory read = FlowHistoryCodec.read(Bytes.reading(stored.toArray()), h.orig.last, h.resp.last);
    assertThat(encode(read)).isEqualTo(encode(h));
  }

  @Test
  void aHistorySurvivesBeingStoredAfterEveryPacket() {
    // The streams path stores the connection after each packet: a history read back must go on
    // exactly as the one kept in memory.
    UnaryOperator<HistoryScript> conversation = s -> s.client(SYN).server(SYN | ACK).client(ACK).client(ACK | PSH, 100)
        .clientLoses(50).client(ACK | PSH, 100).server(ACK).clientResends(ACK | PSH, 100).window(0).server(ACK)
        .badChecksum().client(ACK).serverAt(HistoryScript.SERVER_ISN + 7, RST, 0).client(FIN | ACK)
        .clientAt(HistoryScript.CLIENT_ISN + 100, FIN | ACK, 0).server(RST | ACK);
    HistoryScript inMemory = conversation.apply(HistoryScript.tcp());
    HistoryScript stored = conversation.apply(HistoryScript.tcp().storedAfterEveryPacket());
    assertThat(stored.history()).isEqualTo(inMemory.history());
    assertThat(stored.connState()).isEqualTo(inMemory.connState());
    assertThat(encode(decode(encode(inMemory.history)))).isEqualTo(encode(inMemory.history));
  }

  @Test
  void flipsAndPortFactsSurvive() {
    FlowHistory fresh = FlowHistory.forConnection(FlowKey.of(0, Protocols.TCP, HistoryScript.CLIENT, 56730,
        HistoryScript.SERVER, 80), true);
    FlowHistory read = decode(encode(fresh));
    read.observe(PacketBuilder.at(1).fromHigh(true).tcp(SYN | ACK, 5, 9).build(), Protocols.TCP, true, false);
    assertThat(read.flipped()).isTrue();
    assertThat(read.history()).isEqualTo("^h");
    assertThat(decode(encode(read)).flipped()).isTrue();
  }

  @Test
  void everyLetterAndLongHistoriesSurvive() {
    HistoryLetters letters = new HistoryLetters();
    String all = "SHADFRshadfrCcTtWwGgIiQq^" + "Ff".repeat(20);
    letters.replaceWith(all);
    Bytes bytes = new Bytes(16);
    letters.writeTo(bytes);
    HistoryLetters read = lettersFrom(bytes.toArray());
    assertThat(read.toString()).isEqualTo(all);
  }

  @Test
  void everyWellKnownHistoryTakesOneByteAndItsNearNeighboursAreSpelledOut() {
    for (int i = 0; i < HistoryLetters.WELL_KNOWN.size(); i++) {
      String known = HistoryLetters.WELL_KNOWN.get(i);
      assertThat(stored(known)).as(known).containsExactly((byte) (0x80 + i));
      for (String near : List.of(known + "S", known.substring(1), known.toLowerCase(), "S" + known)) {
        if (!near.isEmpty() && !HistoryLetters.WELL_KNOWN.contains(near)) { // an empty history is one byte too
          byte[] bytes = stored(near);
          assertThat(bytes.length).as(near).isGreaterThan(1);
          assertThat(lettersFrom(bytes).toString()).isEqualTo(near);
        }
      }
      assertThat(lettersFrom(stored(known)).toString()).isEqualTo(known);
    }
  }

  private static byte[] stored(String history) {
    HistoryLetters letters = new HistoryLetters();
    letters.replaceWith(history);
    Bytes bytes = new Bytes(4);
    letters.writeTo(bytes);
    return bytes.toArray();
  }

  @Test
  void varintsOfEveryLengthReadBackWhereverTheyEnd() {
    long[] values = {0, 1, 63, 64, 127, 128, 129, 16_383, 16_384, 1L << 21, 1L << 35, Long.MAX_VALUE, -1, Long.MIN_VALUE};
    for (long v : values) {
      Bytes b = new Bytes(2);
      b.varLong(v);
      byte[] alone = b.toArray();
      assertThat(Bytes.reading(alone).varLong()).as("%d alone", v).isEqualTo(v);
      Bytes two = new Bytes(2);
      two.varLong(v);
      two.varLong(v);
      Bytes reading = Bytes.reading(two.toArray());
      assertThat(reading.varLong()).as("%d first", v).isEqualTo(v);
      assertThat(reading.varLong()).as("%d second", v).isEqualTo(v);
    }
  }

  @Test
  void truncatedInputIsRefused() {
    byte[] whole = encode(HistoryScript.tcp().client(SYN).server(SYN | ACK).history);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 1);
    assertThatThrownBy(() -> decode(cut)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
  }

  /** The letters stored in {@code bytes}, read as a decoder reads them (into a history's own letters). */
  private static HistoryLetters lettersFrom(byte[] bytes) {
    HistoryLetters letters = new HistoryLetters();
    letters.readInto(Bytes.reading(bytes));
    return letters;
  }
}

package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.inspect.engine.Decision;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.inspect.output.VerdictEvent;
import io.flowinspect.inspect.policy.FlowDirection;
import io.flowinspect.schemas.Topics;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The inspector's hand-written output bytes are exactly what the topics' serdes write for the generated classes. */
class OutputWireTest {
  private static final String[] TEXT = {"", "allow-dns", "default", "ESTABLISHED", "règle-é", "日本語のルール",
      "a-rule-id-longer-than-sixty-three-characters-so-its-length-takes-two-bytes", "\u0000nul", "x".repeat(200),
      "y".repeat(63), "z".repeat(64), "é".repeat(32), "ends in é", "\uD83D\uDE00 emoji", "emoji \uD83D\uDE00",
      "\u007f\u0080\uffff"};
  private final Topics topics = Topics.defaults();
  private final Random random = new Random(7);

  @Test
  void keysOfBothFamiliesEncodeAsTheKeySerdeWouldTheirAvroRecord() {
    for (int i = 0; i < 2_000; i++) {
      FlowKey key = FlowKey.of(random.nextInt(), random.nextInt(256), address(i % 2 == 0), port(),
          address(i % 2 == 0), port());

      byte[] written = OutputWire.keySerializer().serialize("t", key);

      assertThat(written).isEqualTo(topics.verdicts().keySerde().serializer().serialize("t", AvroMapping.flowKey(key)));
    }
  }

  @Test
  void verdictsEncodeAsTheVerdictSerdeWouldTheirAvroRecord() {
    for (int i = 0; i < 2_000; i++) {
      boolean ipv6 = random.nextBoolean();
      VerdictEvent v = new VerdictEvent(random.nextLong(), pick(Decision.values()), text(), text(),
          random.nextInt(256), address(ipv6), port(), address(ipv6), port(), pick(FlowDirection.values()), text(),
          random.nextBoolean(), text());

      byte[] written = OutputWire.verdictSerializer().serialize("t", v);

      assertThat(written).isEqualTo(topics.verdicts().valueSerde().serializer().serialize("t", AvroMapping.verdict(v)));
      assertThat(topics.verdicts().valueSerde().deserializer().deserialize("t", written))
          .isEqualTo(AvroMapping.verdict(v));
    }
  }

  @Test
  void aLoneSurrogateIsWrittenAsTheSerdeWritesIt() {
    VerdictEvent v = new VerdictEvent(1L, Decision.DENY, "lone \uD800 high", "\uDC00 lone low", 17,
        address(false), port(), address(false), port(), FlowDirection.INBOUND, "NEW", true, "x\uDBFF");

    assertThat(OutputWire.verdictSerializer().serialize("t", v))
        .isEqualTo(topics.verdicts().valueSerde().serializer().serialize("t", AvroMapping.verdict(v)));
  }

  @Test
  void aTombstoneStaysNull() {
    assertThat(OutputWire.verdictSerializer().serialize("t", null)).isNull();
    assertThat(OutputWire.keySerializer().serialize("t", null)).isNull();
  }

  private IpAddress address(boolean ipv6) {
    return ipv6 ? new IpAddress(true, random.nextLong(), random.nextLong())
        : new IpAddress(false, 0, random.nextInt() & 0xffff_ffffL);
  }

  private int port() {
    return random.nextInt(65_536);
  }

  private String text() {
    return TEXT[random.nextInt(TEXT.length)];
  }

  private <E> E pick(E[] values) {
    return values[random.nextInt(values.length)];
  }
}

package io.flowinspect.offline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void timesAndDurationsArePlainDecimalsThatReadBackAsTheSameDouble() {
    double ts = 1_795_678_983.435576;
    double duration = 0.000022;

    String json = new Json().field("ts", ts).field("duration", duration).field("whole", 2.0).toString();

    assertThat(json).isEqualTo("{\"ts\":1795678983.435576,\"duration\":0.000022,\"whole\":2}");
    assertThat(Double.parseDouble("1795678983.435576")).isEqualTo(ts);
  }

  @Test
  void whatJsonCannotHoldBecomesNullAndStringsAreEscaped() {
    String json = new Json().field("nan", Double.NaN).field("rule", (String) null).field("msg", "a \"b\"\n\u0001")
        .field("related", true).toString();

    assertThat(json).isEqualTo("{\"nan\":null,\"rule\":null,\"msg\":\"a \\\"b\\\"\\n\\u0001\",\"related\":true}");
  }
}

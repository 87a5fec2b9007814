package io.flowinspect.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerJvmTest {
  @Test
  void withoutTheVariableTheBrokerGetsTheFastStartFlagsOnly() {
    assertThat(BrokerJvm.flags(Map.of())).isEqualTo(BrokerJvm.FAST_START_FLAGS);
    assertThat(BrokerJvm.flags(Map.of(BrokerJvm.EXTRA_FLAGS_VARIABLE, "  "))).isEqualTo(BrokerJvm.FAST_START_FLAGS);
  }

  @Test
  void extraFlagsComeAfterTheFastStartOnesSoThatTheyWin() {
    var flags = BrokerJvm.flags(Map.of(BrokerJvm.EXTRA_FLAGS_VARIABLE, "  -Xmn256m   -Xlog:gc:file=gc.log "));

    assertThat(flags).containsExactly("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmn256m",
        "-Xlog:gc:file=gc.log");
  }
}

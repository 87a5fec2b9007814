package io.flowinspect.capture.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LiveOptionsTest {
  @Test
  void ofTakesWholeFramesUnfilteredNotPromiscuousIntoA64MiBBuffer() {
    assertThat(LiveOptions.of("eth1"))
        .isEqualTo(new LiveOptions("eth1", null, 262_144, false, 64 * 1024 * 1024, Duration.ofMillis(100), false));
  }

  @Test
  void withersChangeOneComponentOfACopy() {
    LiveOptions base = LiveOptions.of("eth1");
    LiveOptions changed = base.withFilter("tcp").withSnapLength(256).withPromiscuous(true)
        .withBufferSizeBytes(1 << 20).withReadTimeout(Duration.ofMillis(10)).withImmediate(true);

    assertThat(changed).isEqualTo(new LiveOptions("eth1", "tcp", 256, true, 1 << 20, Duration.ofMillis(10), true));
    assertThat(base).isEqualTo(LiveOptions.of("eth1"));
  }

  @Test
  void rejectsWhatLibpcapCannotTake() {
    LiveOptions base = LiveOptions.of("eth1");
    assertThatThrownBy(() -> LiveOptions.of(" ")).hasMessage("interfaceName is blank");
    assertThatThrownBy(() -> LiveOptions.of(null)).hasMessage("interfaceName");
    assertThatThrownBy(() -> base.withSnapLength(0)).hasMessage("snapLength <= 0: 0");
    assertThatThrownBy(() -> base.withBufferSizeBytes(-1)).hasMessage("bufferSizeBytes <= 0: -1");
    assertThatThrownBy(() -> base.withReadTimeout(null)).hasMessage("readTimeout");
    assertThatThrownBy(() -> base.withReadTimeout(Duration.ZERO))
        .hasMessage("readTimeout out of range [1 ms, 2^31 ms): PT0S");
    assertThatThrownBy(() -> base.withReadTimeout(Duration.ofNanos(999_999)))
        .hasMessageStartingWith("readTimeout out of range");
    assertThatThrownBy(() -> base.withReadTimeout(Duration.ofDays(30)))
        .hasMessageStartingWith("readTimeout out of range");
  }
}

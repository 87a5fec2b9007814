package io.flowinspect.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecoderOptionsTest {
  @Test
  void defaultsAreZoneZeroChecksumsOnFtpOn21AndLinesOf128() {
    DecoderOptions d = DecoderOptions.defaults();
    assertThat(d.zone()).isZero();
    assertThat(d.verifyChecksums()).isTrue();
    assertThat(d.ftpPorts()).containsExactly(21);
    assertThat(d.maxFtpLine()).isEqualTo(128);
    assertThat(d).isEqualTo(new DecoderOptions(0, true, new int[] {21}, 128));
    assertThat(d.hashCode()).isEqualTo(new DecoderOptions(0, true, new int[] {21}, 128).hashCode());
  }

  @Test
  void invalidValuesAreRejectedWithTheirValue() {
    assertThatThrownBy(() -> new DecoderOptions(-1, true, new int[0], 1)).hasMessage("zone < 0: -1");
    assertThatThrownBy(() -> new DecoderOptions(0, true, new int[] {70000}, 1)).hasMessage("ftp port out of range: 70000");
    assertThatThrownBy(() -> new DecoderOptions(0, true, new int[0], 0)).hasMessage("maxFtpLine <= 0: 0");
    assertThatThrownBy(() -> new DecoderOptions(0, true, null, 1)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void portsAreCopiedInAndOut() {
    int[] ports = {21};
    DecoderOptions d = new DecoderOptions(0, true, ports, 128);
    ports[0] = 2121;
    d.ftpPorts()[0] = 990;
    assertThat(d.ftpPorts()).containsExactly(21);
  }
}

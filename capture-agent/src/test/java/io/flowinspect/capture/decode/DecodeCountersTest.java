package io.flowinspect.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DecodeCountersTest {
  @Test
  void countersAddUpAndNameTheirReasons() {
    FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
    DecodedPacket out = new DecodedPacket();
    byte[] udp = Frames.ethernet(PacketBuilder.udp("10.0.0.1", 1, "10.0.0.2", 2).build());
    byte[] arp = Frames.ethernet(Frames.ETHERTYPE_ARP, new byte[28]);
    byte[] badHeader = Frames.ethernet(PacketBuilder.udp("10.0.0.1", 1, "10.0.0.2", 2).badIpChecksum().build());
    for (byte[] frame : new byte[][] {udp, udp, arp, badHeader, arp}) {
      decoder.decode(LinkTypes.ETHERNET, frame, frame.length, frame.length, 0, out);
    }
    DecodeCounters c = decoder.counters();
    assertThat(c.seen()).isEqualTo(5);
    assertThat(c.decoded()).isEqualTo(2);
    assertThat(c.skipped()).isEqualTo(3);
    assertThat(c.skipped(SkipReason.NON_IP)).isEqualTo(2);
    assertThat(c.skippedByReason()).isEqualTo(Map.of(SkipReason.NON_IP, 2L, SkipReason.IPV4_BAD_CHECKSUM, 1L));
    assertThat(c).hasToString("seen=5 decoded=2 skipped=3 (non-ip=2, ipv4-bad-checksum=1)");
  }

  @Test
  void snapshotDoesNotMoveWithTheDecoder() {
    FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
    DecodeCounters before = decoder.counters();
    decoder.decode(LinkTypes.ETHERNET, new byte[0], 0, 0, 0, new DecodedPacket());
    assertThat(before.seen()).isZero();
    assertThat(before).hasToString("seen=0 decoded=0 skipped=0");
    assertThat(decoder.counters().skipped(SkipReason.TRUNCATED_LINK)).isEqualTo(1);
  }

  @Test
  void labelsAreDistinctLowerCaseWords() {
    assertThat(java.util.Arrays.stream(SkipReason.values()).map(SkipReason::label))
        .doesNotHaveDuplicates()
        .allMatch(label -> label.matches("[a-z0-9]+(-[a-z0-9]+)*"));
  }
}

package io.flowinspect.capture.decode;

import static io.flowinspect.capture.decode.PacketBuilder.ACK;
import static io.flowinspect.capture.decode.PacketBuilder.PSH;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketFlags;
import io.flowinspect.schemas.PacketHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PacketRecordsTest {
  private static byte[] bytes(ByteBuffer buffer) {
    byte[] b = new byte[buffer.remaining()];
    buffer.duplicate().get(b);
    return b;
  }

  @Test
  void keyHoldsZoneProtocolAndOrderedEndpointsWithAddressesOfTheirFamilysLength() {
    byte[] ip = PacketBuilder.tcp("10.0.0.9", 80, "10.0.0.1", 5555).flags(ACK).build();
    DecodedPacket p = Decoding.decode(new DecoderOptions(3, true, new int[] {21}, 128), LinkTypes.ETHERNET, Frames.ethernet(ip));
    FlowKey key = PacketRecords.key(p);
    assertThat(key.getZone()).isEqualTo(3);
    assertThat(key.getProtocol()).isEqualTo(6);
    assertThat(bytes(key.getLowAddress())).containsExactly(10, 0, 0, 1);
    assertThat(key.getLowPort()).isEqualTo(5555);
    assertThat(bytes(key.getHighAddress())).containsExactly(10, 0, 0, 9);
    assertThat(key.getHighPort()).isEqualTo(80);
    byte[] v6 = PacketBuilder.udp("2001:db8::1", 1, "2001:db8::2", 2).build();
    assertThat(PacketRecords.key(Decoding.decode(v6)).getLowAddress().remaining()).isEqualTo(16);
  }

  @Test
  void headerCarriesEveryDecodedField() {
    byte[] ip = PacketBuilder.tcp("10.0.0.9", 40000, "10.0.0.1", 21).flags(PSH | ACK).seq(11).ack(22).window(333)
        .tcpOptions(2, 4, 0x05, 0xb4).payload("PORT 1,2,3,4,5,6\r\n").build();
    DecodedPacket p = Decoding.decode(ip);
    PacketHeader h = PacketRecords.header(p);
    assertThat(h.getTimeNanos()).isEqualTo(Decoding.TIME);
    assertThat(h.getFlags()).isEqualTo(PacketFlags.FROM_HIGH | PacketFlags.PAYLOAD_ENDS_LINE);
    assertThat(h.getLength()).isEqualTo(ip.length);
    assertThat(h.getPayloadLength()).isEqualTo(18);
    assertThat(h.getTcpFlags()).isEqualTo(PSH | ACK);
    assertThat(h.getSeq()).isEqualTo(11);
    assertThat(h.getAck()).isEqualTo(22);
    assertThat(h.getWindow()).isEqualTo(333);
    assertThat(h.getTcpOptions()).isEqualTo(1460 << PacketFlags.MSS_SHIFT);
    assertThat(h.getIcmpType()).isEqualTo(-1);
    assertThat(h.getErrorSource()).isNull();
    assertThat(new String(bytes(h.getFtpLine()), StandardCharsets.US_ASCII)).isEqualTo("PORT 1,2,3,4,5,6");
  }

  @Test
  void icmpErrorHeaderCarriesTheErrorSource() {
    byte[] quoted = Arrays.copyOf(PacketBuilder.udp("10.0.0.2", 1, "10.0.0.3", 53).build(), 28);
    DecodedPacket p = Decoding.decode(PacketBuilder.icmp("10.0.0.254", "10.0.0.2", 3, 3).payload(quoted).build());
    PacketHeader h = PacketRecords.header(p);
    assertThat(bytes(h.getErrorSource())).containsExactly(10, 0, 0, (byte) 254);
    assertThat(h.getIcmpType()).isEqualTo(3);
    assertThat(h.getIcmpCode()).isEqualTo(3);
    assertThat(h.getFlags() & PacketFlags.ICMP_ERROR).isNotZero();
  }

  @Test
  void recordsAreCopiesThatTheNextDecodeLeavesAlone() {
    FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
    DecodedPacket p = new DecodedPacket();
    byte[] first = Frames.ethernet(PacketBuilder.udp("10.0.0.1", 1, "10.0.0.2", 2).build());
    byte[] second = Frames.ethernet(PacketBuilder.udp("10.7.7.7", 7, "10.8.8.8", 8).build());
    decoder.decode(LinkTypes.ETHERNET, first, first.length, first.length, 1, p);
    FlowKey key = PacketRecords.key(p);
    decoder.decode(LinkTypes.ETHERNET, second, second.length, second.length, 2, p);
    assertThat(bytes(key.getLowAddress())).containsExactly(10, 0, 0, 1);
    assertThat(key.getHighPort()).isEqualTo(2);
  }
}

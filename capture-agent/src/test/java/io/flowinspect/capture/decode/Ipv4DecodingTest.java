package io.flowinspect.capture.decode;

import static io.flowinspect.capture.decode.Decoding.decode;
import static io.flowinspect.capture.decode.Decoding.decodeCaptured;
import static io.flowinspect.capture.decode.Decoding.skipReason;
import static io.flowinspect.capture.decode.PacketBuilder.ACK;
import static io.flowinspect.capture.decode.PacketBuilder.PSH;
import static io.flowinspect.capture.decode.PacketBuilder.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.schemas.PacketFlags;
import org.junit.jupiter.api.Test;

class Ipv4DecodingTest {
  private static PacketBuilder segment() {
    return PacketBuilder.tcp("10.1.2.3", 40000, "10.9.8.7", 443).flags(PSH | ACK).payload("hello, world");
  }

  @Test
  void addressesProtocolAndLengthsAreRead() {
    DecodedPacket p = decode(segment().build());
    assertThat(p.ipVersion()).isEqualTo(4);
    assertThat(p.addressLength()).isEqualTo(4);
    assertThat(Decoding.hexAddress(p.srcAddress(), 4)).isEqualTo("10.1.2.3");
    assertThat(Decoding.hexAddress(p.dstAddress(), 4)).isEqualTo("10.9.8.7");
    assertThat(p.protocol()).isEqualTo(6);
    assertThat(p.keyProtocol()).isEqualTo(6);
    assertThat(p.length()).isEqualTo(20 + 20 + 12);
    assertThat(p.payloadLength()).isEqualTo(12);
    assertThat(p.timeNanos()).isEqualTo(Decoding.TIME);
    assertThat(p.flags() & (PacketFlags.CHECKSUM_BAD | PacketFlags.CHECKSUM_UNVERIFIED)).isZero();
  }

  @Test
  void headerWithBadChecksumIsSkippedAsTheKernelDropsIt() {
    assertThat(skipReason(segment().badIpChecksum().build())).isEqualTo(SkipReason.IPV4_BAD_CHECKSUM);
    assertThat(SkipReason.IPV4_BAD_CHECKSUM.label()).isEqualTo("ipv4-bad-checksum");
  }

  @Test
  void headerLengthBelowFiveWordsIsSkippedAsTheKernelDropsIt() {
    assertThat(skipReason(segment().headerLength(16).build())).isEqualTo(SkipReason.IPV4_BAD_HEADER_LENGTH);
  }

  @Test
  void optionsAreAllowedAndSkippedOver() {
    // Router alert (RFC 2113), then end of list.
    DecodedPacket p = decode(segment().ipv4Options(0x94, 0x04, 0x00, 0x00).build());
    assertThat(p.dstPort()).isEqualTo(443);
    assertThat(p.payloadLength()).isEqualTo(12);
    assertThat(p.flags() & PacketFlags.CHECKSUM_BAD).isZero();
  }

  @Test
  void optionsCutByTheSnapLengthAreATruncatedIpHeader() {
    byte[] frame = Frames.ethernet(segment().ipv4Options(1, 1, 1, 0).build());
    assertThat(skipReason(LinkTypes.ETHERNET, frame, 14 + 22, frame.length)).isEqualTo(SkipReason.TRUNCATED_IP);
    assertThat(skipReason(LinkTypes.ETHERNET, frame, 14 + 19, frame.length)).isEqualTo(SkipReason.TRUNCATED_IP);
  }

  @Test
  void totalLengthBeyondTheFrameIsSkippedAsTheKernelDropsIt() {
    byte[] ip = segment().build();
    assertThat(skipReason(segment().totalLength(ip.length + 1).build())).isEqualTo(SkipReason.IPV4_BAD_TOTAL_LENGTH);
  }

  @Test
  void totalLengthBelowTheHeaderLengthIsSkipped() {
    assertThat(skipReason(segment().totalLength(19).build())).isEqualTo(SkipReason.IPV4_BAD_TOTAL_LENGTH);
  }

  @Test
  void ethernetPaddingIsNotPartOfThePacket() {
    byte[] ip = PacketBuilder.udp("10.0.0.1", 1, "10.0.0.2", 2).payload("ab").build();
    byte[] frame = Frames.padded(Frames.ethernet(ip), 60);
    DecodedPacket p = decode(LinkTypes.ETHERNET, frame);
    assertThat(p.length()).isEqualTo(30);
    assertThat(p.payloadLength()).isEqualTo(2);
    assertThat(p.flags() & (PacketFlags.CHECKSUM_BAD | PacketFlags.TRANSPORT_MALFORMED)).isZero();
  }

  @Test
  void nonFirstFragmentIsSkipped() {
    assertThat(skipReason(segment().fragment(1480, true, 7).build())).isEqualTo(SkipReason.FRAGMENT);
    assertThat(skipReason(segment().fragment(8, false, 7).build())).isEqualTo(SkipReason.FRAGMENT);
  }

  @Test
  void firstFragmentIsDecodedButItsChecksumCannotBeVerified() {
    DecodedPacket p = decode(segment().fragment(0, true, 4242).build());
    assertThat(p.flags() & PacketFlags.FIRST_FRAGMENT).isNotZero();
    assertThat(p.flags() & PacketFlags.CHECKSUM_UNVERIFIED).isNotZero();
    assertThat(p.flags() & PacketFlags.CHECKSUM_BAD).isZero();
    assertThat(p.dstPort()).isEqualTo(443);
    assertThat(p.describeInfo()).isEqualTo("frag(id=4242,off=0,MF) PA len=12");
  }

  @Test
  void firstFragmentEndingInsideTheTcpHeaderIsSkippedAsAFragment() {
    byte[] whole = PacketBuilder.tcp("10.1.2.3", 40000, "10.9.8.7", 443).flags(SYN).build();
    byte[] cut = PacketBuilder.raw("10.1.2.3", "10.9.8.7", 6, java.util.Arrays.copyOfRange(whole, 20, 28))
        .fragment(0, true, 9).build();
    assertThat(skipReason(cut)).isEqualTo(SkipReason.FRAGMENT);
  }

  @Test
  void headerOnlyCaptureIsDecodedWithAnUnverifiedChecksum() {
    byte[] frame = Frames.ethernet(segment().build());
    DecodedPacket p = decodeCaptured(frame, 14 + 20 + 20);
    assertThat(p.payloadLength()).isEqualTo(12);
    assertThat(p.length()).isEqualTo(52);
    assertThat(p.flags() & PacketFlags.CHECKSUM_UNVERIFIED).isNotZero();
    assertThat(p.flags() & PacketFlags.CHECKSUM_BAD).isZero();
  }

  @Test
  void transportHeaderCutByTheSnapLengthIsSkipped() {
    byte[] frame = Frames.ethernet(segment().build());
    assertThat(skipReason(LinkTypes.ETHERNET, frame, 14 + 20 + 19, frame.length))
        .isEqualTo(SkipReason.TRUNCATED_TRANSPORT);
  }

  @Test
  void ipHeaderCutByTheSnapLengthIsATruncatedIp() {
    byte[] frame = Frames.ethernet(segment().build());
    assertThat(skipReason(LinkTypes.ETHERNET, frame, 14 + 19, frame.length)).isEqualTo(SkipReason.TRUNCATED_IP);
  }

  @Test
  void packetLongerThanTheCaptureButWithinTheWireIsNotABadLength() {
    byte[] frame = Frames.ethernet(segment().build());
    assertThat(skipReason(LinkTypes.ETHERNET, frame, 60, frame.length)).isNull();
    assertThat(skipReason(LinkTypes.ETHERNET, frame, 60, 60)).isEqualTo(SkipReason.IPV4_BAD_TOTAL_LENGTH);
  }
}

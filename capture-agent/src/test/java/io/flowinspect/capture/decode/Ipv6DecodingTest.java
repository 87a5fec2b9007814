package io.flowinspect.capture.decode;

import static io.flowinspect.capture.decode.Decoding.decode;
import static io.flowinspect.capture.decode.Decoding.skipReason;
import static io.flowinspect.capture.decode.PacketBuilder.ACK;
import static io.flowinspect.capture.decode.PacketBuilder.PSH;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.schemas.PacketFlags;
import org.junit.jupiter.api.Test;

class Ipv6DecodingTest {
  private static PacketBuilder segment() {
    return PacketBuilder.tcp("2001:db8::10", 43210, "2001:db8:1::5", 80).flags(PSH | ACK).payload("GET / HTTP/1.0\r\n\r\n");
  }

  @Test
  void fixedHeaderFieldsAreRead() {
    DecodedPacket p = decode(segment().build());
    assertThat(p.ipVersion()).isEqualTo(6);
    assertThat(p.addressLength()).isEqualTo(16);
    assertThat(p.describeTuple()).isEqualTo("[2001:db8::10]:43210 > [2001:db8:1::5]:80");
    assertThat(p.length()).isEqualTo(40 + 20 + 18);
    assertThat(p.payloadLength()).isEqualTo(18);
    assertThat(p.flags() & (PacketFlags.CHECKSUM_BAD | PacketFlags.CHECKSUM_UNVERIFIED)).isZero();
  }

  @Test
  void extensionHeadersAreWalkedToTheTransportHeader() {
    byte[] ip = segment()
        .ipv6Extension(0, 0)
        .ipv6Extension(43, 2)
        .ipv6Extension(60, 1)
        .authenticationHeader(4)
        .build();
    DecodedPacket p = decode(ip);
    assertThat(p.protocol()).isEqualTo(6);
    assertThat(p.dstPort()).isEqualTo(80);
    assertThat(p.payloadLength()).isEqualTo(18);
    assertThat(p.length()).isEqualTo(ip.length);
    assertThat(p.flags() & PacketFlags.CHECKSUM_BAD).as("checksum length excludes the extension headers").isZero();
  }

  @Test
  void nonFirstFragmentIsSkipped() {
    assertThat(skipReason(segment().fragment(1448, true, 77).build())).isEqualTo(SkipReason.FRAGMENT);
    assertThat(skipReason(segment().ipv6Extension(60, 0).fragment(8, false, 77).build())).isEqualTo(SkipReason.FRAGMENT);
  }

  @Test
  void firstFragmentIsDecodedButItsChecksumCannotBeVerified() {
    DecodedPacket p = decode(segment().fragment(0, true, -1).build());
    assertThat(p.flags() & PacketFlags.FIRST_FRAGMENT).isNotZero();
    assertThat(p.flags() & PacketFlags.CHECKSUM_UNVERIFIED).isNotZero();
    assertThat(p.describeInfo()).isEqualTo("frag(id=4294967295,off=0,MF) PA len=18");
  }

  @Test
  void atomicFragmentIsJustUnwrapped() {
    DecodedPacket p = decode(segment().fragment(0, false, 4660).build());
    assertThat(p.flags() & (PacketFlags.FIRST_FRAGMENT | PacketFlags.CHECKSUM_UNVERIFIED | PacketFlags.CHECKSUM_BAD))
        .isZero();
    assertThat(p.describeInfo()).isEqualTo("frag(id=4660,off=0) PA len=18");
  }

  @Test
  void payloadLengthBeyondTheFrameIsSkippedAsTheKernelDropsIt() {
    byte[] ip = segment().build();
    assertThat(skipReason(segment().totalLength(ip.length - 40 + 1).build()))
        .isEqualTo(SkipReason.IPV6_BAD_PAYLOAD_LENGTH);
  }

  @Test
  void packetShorterThanTheFixedHeaderIsTruncated() {
    byte[] ip = java.util.Arrays.copyOf(segment().build(), 39);
    assertThat(skipReason(LinkTypes.IPV6, ip)).isEqualTo(SkipReason.TRUNCATED_IP);
  }

  @Test
  void noNextHeaderIsTrackedGenericallyWithoutPorts() {
    DecodedPacket p = decode(PacketBuilder.raw("2001:db8::1", "2001:db8::2", 59, new byte[0]).build());
    assertThat(p.protocol()).isEqualTo(59);
    assertThat(p.lowPort()).isZero();
    assertThat(p.highPort()).isZero();
    assertThat(p.flags() & PacketFlags.TRANSPORT_MALFORMED).isZero();
    assertThat(p.protocolName()).isEqualTo("proto59");
  }

  @Test
  void otherUpperLayerProtocolsAreTrackedGenerically() {
    DecodedPacket p = decode(PacketBuilder.raw("2001:db8::2", "2001:db8::1", 47, new byte[] {0, 0, 0x08, 0}).build());
    assertThat(p.protocolName()).isEqualTo("gre");
    assertThat(p.payloadLength()).isEqualTo(4);
    assertThat(p.fromHigh()).isTrue();
    assertThat(p.describeTuple()).isEqualTo("2001:db8::2 > 2001:db8::1");
  }

  @Test
  void hopByHopHeaderOverrunningThePayloadIsSkippedAsTheKernelDropsIt() {
    byte[] ip = segment().ipv6ExtensionClaiming(0, 200, 8).build();
    assertThat(skipReason(ip)).isEqualTo(SkipReason.IPV6_BAD_EXTENSION_HEADER);
  }

  @Test
  void laterExtensionHeaderOverrunningThePayloadLeavesAMalformedPacketAsConntrackFindsNoTransport() {
    // What ct-oracle showed on kernel 6.18: INVALID, protocol udp, no ports.
    byte[] ip = PacketBuilder.udp("2001:db8::1", 3200, "2001:db8::2", 4200).payload("q")
        .ipv6ExtensionClaiming(60, 3, 8).build();
    DecodedPacket p = decode(ip);
    assertThat(p.flags() & PacketFlags.TRANSPORT_MALFORMED).isNotZero();
    assertThat(p.protocolName()).isEqualTo("udp");
    assertThat(p.describeTuple()).isEqualTo("2001:db8::1 > 2001:db8::2");
  }

  @Test
  void extensionHeaderCutByTheSnapLengthIsATruncatedIp() {
    byte[] frame = Frames.ethernet(segment().ipv6Extension(60, 0).ipv6Extension(43, 0).build());
    assertThat(skipReason(LinkTypes.ETHERNET, frame, 14 + 40 + 8 + 1, frame.length)).isEqualTo(SkipReason.TRUNCATED_IP);
  }
}

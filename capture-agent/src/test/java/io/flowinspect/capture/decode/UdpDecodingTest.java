package io.flowinspect.capture.decode;

import static io.flowinspect.capture.decode.Decoding.decode;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.schemas.PacketFlags;
import org.junit.jupiter.api.Test;

class UdpDecodingTest {
  private static final int BAD_OR_MALFORMED = PacketFlags.CHECKSUM_BAD | PacketFlags.TRANSPORT_MALFORMED;

  @Test
  void portsAndPayloadLengthAreRead() {
    DecodedPacket p = decode(PacketBuilder.udp("192.168.1.100", 12345, "9.9.9.9", 53).payload(new byte[29]).build());
    assertThat(p.describeTuple()).isEqualTo("192.168.1.100:12345 > 9.9.9.9:53");
    assertThat(p.describeInfo()).isEqualTo("len=29");
    assertThat(p.payloadLength()).isEqualTo(29);
    assertThat(p.flags() & BAD_OR_MALFORMED).isZero();
  }

  @Test
  void requestAndResponseShareOneKey() {
    DecodedPacket query = decode(PacketBuilder.udp("192.168.1.100", 12345, "9.9.9.9", 53).build());
    DecodedPacket answer = decode(PacketBuilder.udp("9.9.9.9", 53, "192.168.1.100", 12345).build());
    assertThat(PacketRecords.key(query)).isEqualTo(PacketRecords.key(answer));
    assertThat(query.fromHigh()).isTrue();
    assertThat(answer.fromHigh()).isFalse();
  }

  @Test
  void lengthFieldBeyondTheIpPayloadIsMalformedAsForTheKernel() {
    DecodedPacket p = decode(PacketBuilder.udp("10.0.0.1", 1000, "10.0.0.2", 2000).payload("abc").udpLength(12).build());
    assertThat(p.flags() & PacketFlags.TRANSPORT_MALFORMED).isNotZero();
    assertThat(p.payloadLength()).isEqualTo(3);
    assertThat(p.dstPort()).isEqualTo(2000);
  }

  @Test
  void lengthFieldBelowTheHeaderIsMalformed() {
    DecodedPacket p = decode(PacketBuilder.udp("127.0.0.1", 13000, "127.0.0.1", 45603).payload("abc").udpLength(5).build());
    assertThat(p.flags() & PacketFlags.TRANSPORT_MALFORMED).isNotZero();
    assertThat(p.payloadLength()).isZero();
  }

  @Test
  void datagramShorterThanTheHeaderIsMalformed() {
    DecodedPacket p = decode(PacketBuilder.raw("1.1.1.1", "2.2.2.2", 17, new byte[] {(byte) 0x81, 0x58, 0, 53, 0}).build());
    assertThat(p.flags() & PacketFlags.TRANSPORT_MALFORMED).isNotZero();
    assertThat(p.describeTuple()).isEqualTo("1.1.1.1:33112 > 2.2.2.2:53");
  }

  @Test
  void shorterLengthFieldIsValidAndTheChecksumCoversTheWholeIpPayloadAsInTheKernel() {
    // ct-oracle on kernel 6.18: this datagram is NEW; the same one summed over 12 bytes is INVALID.
    DecodedPacket p = decode(PacketBuilder.udp("10.0.1.1", 5000, "10.0.1.2", 6000).payload("abcdefghijkl").udpLength(12).build());
    assertThat(p.flags() & BAD_OR_MALFORMED).isZero();
    assertThat(p.payloadLength()).isEqualTo(4);
  }

  @Test
  void checksumOverTheLengthFieldOnlyIsBadWhenMoreBytesFollow() {
    byte[] ip = PacketBuilder.udp("10.0.1.1", 5001, "10.0.1.2", 6001).payload("abcdefghijkl").udpLength(12).zeroChecksum().build();
    byte[] udp = java.util.Arrays.copyOfRange(ip, 20, 32);
    long sum = PacketBuilder.sum(udp) + PacketBuilder.sum(PacketBuilder.address("10.0.1.1"))
        + PacketBuilder.sum(PacketBuilder.address("10.0.1.2")) + 17 + 12;
    PacketBuilder.put16(ip, 26, ~PacketBuilder.fold(sum) & 0xffff);
    assertThat(decode(ip).flags() & PacketFlags.CHECKSUM_BAD).isNotZero();
  }

  @Test
  void zeroChecksumOverIpv4MeansNoChecksum() {
    DecodedPacket p = decode(PacketBuilder.udp("10.0.3.1", 7000, "10.0.3.2", 8000).payload("zz").zeroChecksum().build());
    assertThat(p.flags() & (PacketFlags.CHECKSUM_BAD | PacketFlags.CHECKSUM_UNVERIFIED)).isZero();
  }

  @Test
  void zeroChecksumOverIpv6IsAcceptedAsTheKernelDoes() {
    // RFC 8200 §8.1 forbids it, but nf_conntrack's udp_error returns early on a zero checksum for
    // both families: ct-oracle on kernel 6.18 classified such a datagram NEW and its answer ESTABLISHED.
    DecodedPacket p = decode(PacketBuilder.udp("2001:db8::1", 1000, "2001:db8::2", 2000).payload("hello").zeroChecksum().build());
    assertThat(p.flags() & (PacketFlags.CHECKSUM_BAD | PacketFlags.CHECKSUM_UNVERIFIED)).isZero();
  }

  @Test
  void wrongChecksumIsFlaggedBadOverBothFamilies() {
    assertThat(decode(PacketBuilder.udp("10.0.0.1", 1, "10.0.0.2", 2).payload("x").badChecksum().build()).flags()
        & PacketFlags.CHECKSUM_BAD).isNotZero();
    assertThat(decode(PacketBuilder.udp("2001:db8::1", 1, "2001:db8::2", 2).payload("x").badChecksum().build()).flags()
        & PacketFlags.CHECKSUM_BAD).isNotZero();
    assertThat(decode(PacketBuilder.udp("2001:db8::1", 1, "2001:db8::2", 2).payload("x").build()).flags()
        & PacketFlags.CHECKSUM_BAD).isZero();
  }

  @Test
  void ipv6ChecksumUsesTheHeaderDestinationEvenBehindARoutingHeader() {
    // The kernel sums the pseudo-header with ipv6_hdr->daddr, not a routing header's final address.
    DecodedPacket p = decode(PacketBuilder.udp("2001:db8::1", 53, "2001:db8::2", 53).payload("abc").ipv6Extension(43, 2).build());
    assertThat(p.flags() & BAD_OR_MALFORMED).isZero();
  }

  @Test
  void firstFragmentLengthFieldMayExceedTheFragment() {
    DecodedPacket p = decode(PacketBuilder.udp("10.0.0.1", 123, "10.0.0.2", 137).payload(new byte[40]).udpLength(2000)
        .fragment(0, true, 242).build());
    assertThat(p.flags() & PacketFlags.TRANSPORT_MALFORMED).isZero();
    assertThat(p.flags() & PacketFlags.FIRST_FRAGMENT).isNotZero();
    assertThat(p.payloadLength()).isEqualTo(40);
  }
}

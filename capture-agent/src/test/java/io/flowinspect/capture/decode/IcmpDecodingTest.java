package io.flowinspect.capture.decode;

import static io.flowinspect.capture.decode.Decoding.decode;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.schemas.PacketFlags;
import org.junit.jupiter.api.Test;

class IcmpDecodingTest {
  private static DecodedPacket icmp(String src, String dst, int type, int code, int id, int seq) {
    return decode(PacketBuilder.icmp(src, dst, type, code).icmpQuery(id, seq).payload("abcdefgh").build());
  }

  @Test
  void echoRequestAndReplyShareAKey() {
    DecodedPacket request = icmp("192.168.0.89", "192.168.0.1", 8, 0, 512, 2304);
    DecodedPacket reply = icmp("192.168.0.1", "192.168.0.89", 0, 0, 512, 2304);
    assertThat(PacketRecords.key(request)).isEqualTo(PacketRecords.key(reply));
    assertThat(request.fromHigh()).isTrue();
    assertThat(reply.fromHigh()).isFalse();
    assertThat(request.describeInfo()).isEqualTo("type=8/0 id=512 seq=2304");
    assertThat(reply.describeTuple()).isEqualTo("192.168.0.1 > 192.168.0.89");
  }

  @Test
  void replyToAHostPingingItselfComesFromTheHighSideAsTheKernelTellsItByType() {
    DecodedPacket request = icmp("192.0.2.1", "192.0.2.1", 8, 0, 8, 1);
    DecodedPacket reply = icmp("192.0.2.1", "192.0.2.1", 0, 0, 8, 1);
    assertThat(PacketRecords.key(request)).isEqualTo(PacketRecords.key(reply));
    assertThat(request.fromHigh()).isFalse();
    assertThat(reply.fromHigh()).isTrue();
  }

  @Test
  void queryPortPacksRequestTypeCodeAndIdentifier() {
    DecodedPacket reply = icmp("10.0.0.2", "10.0.0.1", 0, 0, 0x1234, 1);
    assertThat(reply.lowPort()).isEqualTo(8 << 24 | 0x1234);
    assertThat(reply.highPort()).isEqualTo(reply.lowPort());
    assertThat(reply.keyProtocol()).isEqualTo(1);
  }

  @Test
  void echoReplyWithAnotherCodeThanItsRequestHasAnotherKeyAsInTheKernel() {
    // ct-oracle: an echo request with code 9 answered with code 0 leaves the reply INVALID.
    DecodedPacket request = icmp("10.0.2.1", "10.0.2.2", 8, 9, 77, 1);
    DecodedPacket reply = icmp("10.0.2.2", "10.0.2.1", 0, 0, 77, 1);
    assertThat(PacketRecords.key(request)).isNotEqualTo(PacketRecords.key(reply));
  }

  @Test
  void timestampInformationAndAddressMaskRepliesMapToTheirRequests() {
    int[][] pairs = {{13, 14}, {15, 16}, {17, 18}};
    for (int[] pair : pairs) {
      DecodedPacket request = icmp("10.0.0.1", "10.0.0.2", pair[0], 0, 5, 1);
      DecodedPacket reply = icmp("10.0.0.2", "10.0.0.1", pair[1], 0, 5, 1);
      assertThat(PacketRecords.key(reply)).as("type %d", pair[1]).isEqualTo(PacketRecords.key(request));
      assertThat(reply.lowPort() >>> 24).isEqualTo(pair[0]);
    }
  }

  @Test
  void icmpv6EchoAndNodeInformationRepliesShareTheirRequestKeys() {
    int[][] pairs = {{128, 129}, {139, 140}};
    for (int[] pair : pairs) {
      DecodedPacket request = icmp("2001:db8::1", "2001:db8::2", pair[0], 0, 99, 1);
      DecodedPacket reply = icmp("2001:db8::2", "2001:db8::1", pair[1], 0, 99, 1);
      assertThat(PacketRecords.key(reply)).isEqualTo(PacketRecords.key(request));
      assertThat(reply.lowPort()).isEqualTo(pair[0] << 24 | 99);
      assertThat(reply.keyProtocol()).isEqualTo(58);
    }
  }

  @Test
  void messagesWithoutRepliesAreKeyedByTypeAndCode() {
    DecodedPacket solicitation = icmp("fe80::1", "ff02::1:ff00:1", 135, 0, 0, 0);
    assertThat(solicitation.lowPort()).isEqualTo(135 << 24);
    assertThat(solicitation.describeInfo()).isEqualTo("type=135/0");
    DecodedPacket report = icmp("fe80::1", "ff02::16", 143, 0, 0, 0);
    assertThat(report.highPort()).isEqualTo(143 << 24);
    DecodedPacket advertisement = icmp("10.0.0.1", "224.0.0.1", 9, 16, 7, 7);
    assertThat(advertisement.lowPort()).isEqualTo(9 << 24 | 16 << 16);
    assertThat(advertisement.flags() & PacketFlags.ICMP_ERROR).isZero();
  }

  @Test
  void payloadLengthExcludesTheIcmpHeader() {
    assertThat(icmp("10.0.0.1", "10.0.0.2", 8, 0, 1, 1).payloadLength()).isEqualTo(8);
  }

  @Test
  void messageShorterThanEightBytesIsMalformed() {
    DecodedPacket p = decode(PacketBuilder.raw("10.0.0.1", "10.0.0.2", 1, new byte[] {8, 0, 0, 0}).build());
    assertThat(p.flags() & PacketFlags.TRANSPORT_MALFORMED).isNotZero();
    assertThat(p.icmpType()).isEqualTo(8);
  }

  @Test
  void wrongIcmpChecksumIsFlaggedBad() {
    DecodedPacket p = decode(PacketBuilder.icmp("10.0.0.1", "10.0.0.2", 8, 0).icmpQuery(1, 1).badChecksum().build());
    assertThat(p.flags() & PacketFlags.CHECKSUM_BAD).isNotZero();
  }

  @Test
  void icmpv6ChecksumCoversThePseudoHeader() {
    byte[] ip = PacketBuilder.icmp("2001:db8::1", "2001:db8::2", 128, 0).icmpQuery(1, 1).build();
    assertThat(decode(ip).flags() & PacketFlags.CHECKSUM_BAD).isZero();
    ip[8 + 15] ^= 1; // another source address, same ICMPv6 bytes
    assertThat(decode(ip).flags() & PacketFlags.CHECKSUM_BAD).isNotZero();
  }

  @Test
  void icmpProtocolNumbersOfTheOtherFamilyAreTrackedGenerically() {
    DecodedPacket p = decode(PacketBuilder.raw("2001:db8::1", "2001:db8::2", 1, new byte[8]).build());
    assertThat(p.icmpType()).isEqualTo(-1);
    assertThat(p.lowPort()).isZero();
  }
}

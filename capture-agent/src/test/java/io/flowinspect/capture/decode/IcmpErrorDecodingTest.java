package io.flowinspect.capture.decode;

import static io.flowinspect.capture.decode.Decoding.decode;
import static io.flowinspect.capture.decode.Decoding.skipReason;
import static io.flowinspect.capture.decode.PacketBuilder.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.schemas.PacketFlags;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IcmpErrorDecodingTest {
  private static final byte[] DNS_QUERY =
      PacketBuilder.udp("10.0.0.2", 30000, "10.0.0.9", 53).payload(new byte[20]).build();
  private static final byte[] SYN_PACKET =
      PacketBuilder.tcp("10.0.0.1", 1111, "10.0.0.2", 80).flags(SYN).seq(0xdeadbeefL).build();

  private static byte[] error(String router, String to, int type, int code, byte[] quoted) {
    return PacketBuilder.icmp(router, to, type, code).payload(quoted).build();
  }

  @Test
  void portUnreachableIsKeyedByTheQuotedDatagram() {
    DecodedPacket error = decode(error("10.0.0.9", "10.0.0.2", 3, 3, Arrays.copyOf(DNS_QUERY, 28)));
    DecodedPacket query = decode(DNS_QUERY);
    assertThat(PacketRecords.key(error)).isEqualTo(PacketRecords.key(query));
    assertThat(error.keyProtocol()).isEqualTo(17);
    assertThat(error.protocol()).isEqualTo(1);
    assertThat(error.protocolName()).isEqualTo("icmp");
    assertThat(error.flags() & PacketFlags.ICMP_ERROR).isNotZero();
    assertThat(error.flags() & (PacketFlags.INNER_NOT_TRACKABLE | PacketFlags.ERROR_DESTINATION_MISMATCH)).isZero();
    assertThat(error.describeInfo()).isEqualTo("type=3/3 inner=(udp 10.0.0.2:30000 > 10.0.0.9:53)");
    assertThat(error.describeTuple()).isEqualTo("10.0.0.9 > 10.0.0.2");
  }

  @Test
  void errorTravelsBackTowardsTheQuotedSenderLikeAReply() {
    // The query is sent by the low endpoint (10.0.0.2 < 10.0.0.9), so the error comes from high.
    DecodedPacket error = decode(error("10.0.0.9", "10.0.0.2", 3, 3, Arrays.copyOf(DNS_QUERY, 28)));
    assertThat(error.flags() & PacketFlags.INNER_FROM_HIGH).isZero();
    assertThat(error.fromHigh()).isTrue();
    byte[] fromHigh = PacketBuilder.udp("10.0.0.9", 53, "10.0.0.2", 30000).build();
    DecodedPacket back = decode(error("10.0.0.77", "10.0.0.9", 3, 1, Arrays.copyOf(fromHigh, 28)));
    assertThat(back.flags() & PacketFlags.INNER_FROM_HIGH).isNotZero();
    assertThat(back.fromHigh()).isFalse();
  }

  @Test
  void errorSourceIsTheRouterThatSentIt() {
    DecodedPacket error = decode(error("192.168.100.1", "10.0.0.2", 11, 0, Arrays.copyOf(DNS_QUERY, 28)));
    assertThat(error.errorSource()).containsExactly(PacketBuilder.address("192.168.100.1"));
    assertThat(decode(DNS_QUERY).errorSource()).isNull();
  }

  @Test
  void errorNotSentToTheQuotedSourceIsFlaggedAsTheKernelRejectsIt() {
    DecodedPacket error = decode(error("10.0.0.9", "10.0.0.77", 11, 0, Arrays.copyOf(SYN_PACKET, 28)));
    assertThat(error.flags() & PacketFlags.ERROR_DESTINATION_MISMATCH).isNotZero();
  }

  @Test
  void quotedTcpSequenceNumberIsReported() {
    DecodedPacket error = decode(error("10.0.0.9", "10.0.0.1", 3, 3, Arrays.copyOf(SYN_PACKET, 28)));
    assertThat(Integer.toUnsignedLong(error.seq())).isEqualTo(0xdeadbeefL);
    assertThat(error.tcpFlags()).isZero();
    assertThat(PacketRecords.key(error)).isEqualTo(PacketRecords.key(decode(SYN_PACKET)));
  }

  @Test
  void fourQuotedTransportBytesAreEnoughAsForTheKernel() {
    // ct-oracle: RELATED with only the ports of the TCP header quoted.
    DecodedPacket error = decode(error("10.0.0.9", "10.0.0.1", 3, 3, Arrays.copyOf(SYN_PACKET, 24)));
    assertThat(error.flags() & PacketFlags.INNER_NOT_TRACKABLE).isZero();
    assertThat(error.lowPort()).isEqualTo(1111);
    assertThat(error.highPort()).isEqualTo(80);
    assertThat(error.seq()).isZero();
  }

  @Test
  void quotedPacketTooShortForItsPortsIsNotTrackable() {
    DecodedPacket error = decode(error("10.0.0.9", "10.0.0.1", 3, 3, Arrays.copyOf(SYN_PACKET, 23)));
    assertThat(error.flags() & (PacketFlags.ICMP_ERROR | PacketFlags.INNER_NOT_TRACKABLE))
        .isEqualTo(PacketFlags.ICMP_ERROR | PacketFlags.INNER_NOT_TRACKABLE);
    assertThat(error.describeInfo()).isEqualTo("type=3/3 inner=(tcp 10.0.0.1 > 10.0.0.2)");
  }

  @Test
  void errorWithoutAQuotedHeaderIsNotTrackableAndKeyedByItself() {
    DecodedPacket error = decode(error("10.0.0.1", "10.0.0.2", 3, 0, new byte[0]));
    assertThat(error.flags() & PacketFlags.INNER_NOT_TRACKABLE).isNotZero();
    assertThat(error.keyProtocol()).isEqualTo(1);
    assertThat(error.lowPort()).isEqualTo(3 << 24);
    assertThat(error.fromHigh()).isFalse();
    assertThat(error.errorSource()).containsExactly(PacketBuilder.address("10.0.0.1"));
    assertThat(error.describeInfo()).isEqualTo("type=3/0");
  }

  @Test
  void errorAboutAnErrorIsNotTrackable() {
    byte[] inner = error("10.0.0.2", "10.0.0.1", 3, 3, Arrays.copyOf(SYN_PACKET, 28));
    DecodedPacket error = decode(error("10.0.0.9", "10.0.0.2", 11, 0, Arrays.copyOf(inner, 28)));
    assertThat(error.flags() & PacketFlags.INNER_NOT_TRACKABLE).isNotZero();
    assertThat(error.keyProtocol()).isEqualTo(1);
    assertThat(error.lowPort()).isEqualTo(3 << 24 | 3 << 16);
  }

  @Test
  void errorAboutAnEchoRequestHasTheEchoKey() {
    byte[] echo = PacketBuilder.icmp("192.168.100.138", "4.2.2.1", 8, 0).icmpQuery(1280, 14336).payload(new byte[32]).build();
    DecodedPacket error = decode(error("192.168.100.1", "192.168.100.138", 11, 0, Arrays.copyOf(echo, 28)));
    assertThat(PacketRecords.key(error)).isEqualTo(PacketRecords.key(decode(echo)));
    assertThat(error.flags() & PacketFlags.INNER_NOT_TRACKABLE).isZero();
    assertThat(error.describeInfo()).isEqualTo("type=11/0 inner=(icmp 192.168.100.138 > 4.2.2.1)");
  }

  @Test
  void errorAboutAMessageWithoutRepliesIsNotTrackable() {
    byte[] advertisement = PacketBuilder.icmp("10.0.0.1", "224.0.0.1", 9, 0).build();
    DecodedPacket error = decode(error("10.0.0.5", "10.0.0.1", 3, 1, Arrays.copyOf(advertisement, 28)));
    assertThat(error.flags() & PacketFlags.INNER_NOT_TRACKABLE).isNotZero();
  }

  @Test
  void quotedNonFirstFragmentIsNotTrackable() {
    byte[] fragment = PacketBuilder.udp("10.0.0.2", 30000, "10.0.0.9", 53).payload(new byte[20]).fragment(8, false, 3).build();
    DecodedPacket error = decode(error("10.0.0.9", "10.0.0.2", 3, 3, Arrays.copyOf(fragment, 28)));
    assertThat(error.flags() & PacketFlags.INNER_NOT_TRACKABLE).isNotZero();
    assertThat(error.lowPort()).isZero();
  }

  @Test
  void quotedHeaderCutByTheSnapLengthIsSkipped() {
    byte[] frame = Frames.ethernet(error("10.0.0.9", "10.0.0.2", 3, 3, Arrays.copyOf(DNS_QUERY, 28)));
    assertThat(Decoding.skipReason(LinkTypes.ETHERNET, frame, 14 + 20 + 8 + 22, frame.length))
        .isEqualTo(SkipReason.TRUNCATED_TRANSPORT);
    assertThat(Decoding.skipReason(LinkTypes.ETHERNET, frame, 14 + 20 + 8 + 10, frame.length))
        .isEqualTo(SkipReason.TRUNCATED_TRANSPORT);
  }

  @Test
  void icmpv6ErrorQuotingExtensionHeadersIsKeyedByTheUpperLayer() {
    byte[] datagram = PacketBuilder.udp("fe80::beef", 30000, "fe80::dead", 13000).payload("x").ipv6Extension(0, 0).build();
    DecodedPacket error = decode(error("fe80::dead", "fe80::beef", 1, 0, datagram));
    assertThat(PacketRecords.key(error)).isEqualTo(PacketRecords.key(decode(datagram)));
    assertThat(error.describeInfo()).isEqualTo("type=1/0 inner=(udp [fe80::beef]:30000 > [fe80::dead]:13000)");
  }

  @Test
  void everyIcmpv6TypeBelow128IsAnErrorAsForTheKernel() {
    // ct-oracle: an unassigned type 100 quoting a tracked datagram is RELATED.
    byte[] datagram = PacketBuilder.udp("2001:db8::1", 3000, "2001:db8::2", 4000).payload("abc").build();
    DecodedPacket error = decode(error("2001:db8::9", "2001:db8::1", 100, 0, datagram));
    assertThat(error.flags() & PacketFlags.ICMP_ERROR).isNotZero();
    assertThat(PacketRecords.key(error)).isEqualTo(PacketRecords.key(decode(datagram)));
  }

  @Test
  void icmpv6PacketTooBigQuotingIpv4IsNotTrackable() {
    byte[] datagram = Arrays.copyOf(DNS_QUERY, 48);
    DecodedPacket error = decode(error("2001:db8::9", "2001:db8::1", 2, 0, datagram));
    assertThat(error.flags() & PacketFlags.INNER_NOT_TRACKABLE).isNotZero();
    assertThat(error.keyProtocol()).isEqualTo(58);
  }

  @Test
  void errorsNeverFailOnAnyQuotedLength() {
    byte[] quoted = PacketBuilder.tcp("2001:db8::1", 1, "2001:db8::2", 2).flags(SYN).ipv6Extension(60, 1).build();
    for (int length = 0; length <= quoted.length; length++) {
      byte[] ip = error("2001:db8::2", "2001:db8::1", 1, 4, Arrays.copyOf(quoted, length));
      assertThat(skipReason(ip)).as("quoted %d bytes", length).isNull();
    }
  }
}

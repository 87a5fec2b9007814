package io.flowinspect.capture.decode;

import static io.flowinspect.capture.decode.Decoding.decode;
import static io.flowinspect.capture.decode.PacketBuilder.ACK;
import static io.flowinspect.capture.decode.PacketBuilder.CWR;
import static io.flowinspect.capture.decode.PacketBuilder.ECE;
import static io.flowinspect.capture.decode.PacketBuilder.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.schemas.PacketFlags;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TcpDecodingTest {
  private static PacketBuilder syn() {
    return PacketBuilder.tcp("10.99.1.2", 41450, "10.99.2.2", 8080).flags(SYN).seq(0xfffffff0L).window(64240);
  }

  private static PacketBuilder synAck() {
    return PacketBuilder.tcp("10.99.2.2", 8080, "10.99.1.2", 41450).flags(SYN | ACK).seq(7).ack(0xfffffff1L);
  }

  @Test
  void headerFieldsAreRead() {
    DecodedPacket p = decode(syn().flags(SYN | ECE | CWR).build());
    assertThat(p.tcpFlags()).isEqualTo(SYN | ECE | CWR);
    assertThat(Integer.toUnsignedLong(p.seq())).isEqualTo(0xfffffff0L);
    assertThat(p.window()).isEqualTo(64240);
    assertThat(p.icmpType()).isEqualTo(-1);
    DecodedPacket reply = decode(synAck().build());
    assertThat(Integer.toUnsignedLong(reply.ack())).isEqualTo(0xfffffff1L);
    assertThat(reply.describeInfo()).isEqualTo("SA");
  }

  @Test
  void bothDirectionsShareOneKey() {
    DecodedPacket forward = decode(syn().build());
    DecodedPacket back = decode(synAck().build());
    assertThat(PacketRecords.key(forward)).isEqualTo(PacketRecords.key(back));
    assertThat(forward.fromHigh()).isNotEqualTo(back.fromHigh());
    // 10.99.1.2 < 10.99.2.2, so the client is the low endpoint.
    assertThat(forward.fromHigh()).isFalse();
    assertThat(forward.lowPort()).isEqualTo(41450);
    assertThat(forward.highPort()).isEqualTo(8080);
  }

  @Test
  void endpointsAreOrderedByAddressBytesUnsignedThenPort() {
    DecodedPacket p = decode(PacketBuilder.tcp("200.0.0.1", 1, "10.0.0.1", 2).flags(SYN).build());
    assertThat(Decoding.hexAddress(p.lowAddress(), 4)).isEqualTo("10.0.0.1");
    assertThat(p.fromHigh()).isTrue();
    DecodedPacket samePair = decode(PacketBuilder.tcp("10.0.0.1", 9000, "10.0.0.1", 80).flags(SYN).build());
    assertThat(samePair.lowPort()).isEqualTo(80);
    assertThat(samePair.fromHigh()).isTrue();
  }

  @Test
  void identicalEndpointsAreNotFromHigh() {
    DecodedPacket p = decode(PacketBuilder.tcp("127.0.0.1", 7, "127.0.0.1", 7).flags(SYN).build());
    assertThat(p.fromHigh()).isFalse();
  }

  @Test
  void payloadLengthIsWhatFollowsTheDataOffset() {
    DecodedPacket p = decode(syn().flags(ACK).tcpOptions(1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2).payload(new byte[100]).build());
    assertThat(p.payloadLength()).isEqualTo(100);
    assertThat(p.length()).isEqualTo(20 + 32 + 100);
  }

  @Test
  void synOptionsAreRead() {
    DecodedPacket p = decode(syn()
        .tcpOptions(2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0, 1, 3, 3, 7)
        .build());
    int options = p.tcpOptions();
    assertThat(options >>> PacketFlags.MSS_SHIFT).isEqualTo(1460);
    assertThat(options & PacketFlags.WSCALE_MASK).isEqualTo(7);
    assertThat(options & PacketFlags.OPT_WSCALE).isNotZero();
    assertThat(options & PacketFlags.OPT_SACK_PERMITTED).isNotZero();
    assertThat(options & PacketFlags.OPT_SACK).isZero();
    assertThat(p.hasTimestamps()).isTrue();
    assertThat(p.tsValue()).isEqualTo(9);
  }

  @Test
  void windowScaleAboveFourteenIsStoredAsFourteenAsTheKernelUsesIt() {
    DecodedPacket p = decode(syn().tcpOptions(3, 3, 255).build());
    assertThat(p.tcpOptions() & PacketFlags.WSCALE_MASK).isEqualTo(14);
    assertThat(p.tcpOptions() & PacketFlags.OPT_WSCALE).isNotZero();
  }

  @Test
  void missingWindowScaleIsNotPresent() {
    DecodedPacket p = decode(syn().tcpOptions(2, 4, 0x05, 0xb4).build());
    assertThat(p.tcpOptions() & (PacketFlags.OPT_WSCALE | PacketFlags.WSCALE_MASK)).isZero();
  }

  @Test
  void sackEdgeIsTheHighestRightEdgeInSequenceSpace() {
    // Right edges 0xffffff00 and 0x00000010: the second is later, the sequence space having wrapped.
    DecodedPacket p = decode(synAck().flags(ACK).tcpOptions(
        1, 1, 5, 18,
        0xff, 0xff, 0xfe, 0x00, 0xff, 0xff, 0xff, 0x00,
        0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x10).build());
    assertThat(p.tcpOptions() & PacketFlags.OPT_SACK).isNotZero();
    assertThat(p.sackEdge()).isEqualTo(0x10);
  }

  @Test
  void onlyTheFirstWellFormedSackOptionCountsAsInTheKernel() {
    DecodedPacket p = decode(synAck().flags(ACK).tcpOptions(
        5, 10, 0, 0, 0, 1, 0, 0, 0, 2,
        5, 10, 0, 0, 0, 1, 0, 0, 0, 99).build());
    assertThat(p.sackEdge()).isEqualTo(2);
  }

  @Test
  void sackOptionOfABadLengthIsIgnored() {
    DecodedPacket p = decode(synAck().flags(ACK).tcpOptions(5, 6, 0, 0, 0, 1).build());
    assertThat(p.tcpOptions() & PacketFlags.OPT_SACK).isZero();
  }

  @Test
  void optionParsingStopsAtEndOfList() {
    DecodedPacket p = decode(syn().tcpOptions(2, 4, 0x05, 0xb4, 0, 3, 3, 7).build());
    assertThat(p.tcpOptions() >>> PacketFlags.MSS_SHIFT).isEqualTo(1460);
    assertThat(p.tcpOptions() & PacketFlags.OPT_WSCALE).isZero();
  }

  @Test
  void optionWithALengthBelowTwoEndsParsing() {
    DecodedPacket p = decode(syn().tcpOptions(4, 1, 3, 3, 7).build());
    assertThat(p.tcpOptions()).isZero();
  }

  @Test
  void optionRunningPastTheHeaderEndsParsing() {
    DecodedPacket p = decode(syn().tcpOptions(4, 2, 2, 8, 0x05, 0xb4).build());
    assertThat(p.tcpOptions() & PacketFlags.OPT_SACK_PERMITTED).isNotZero();
    assertThat(p.tcpOptions() >>> PacketFlags.MSS_SHIFT).isZero();
  }

  @Test
  void optionOfTheWrongSizeIsIgnoredAndParsingGoesOn() {
    DecodedPacket p = decode(syn().tcpOptions(3, 4, 7, 0, 2, 4, 0x05, 0xb4).build());
    assertThat(p.tcpOptions() & PacketFlags.OPT_WSCALE).isZero();
    assertThat(p.tcpOptions() >>> PacketFlags.MSS_SHIFT).isEqualTo(1460);
  }

  @Test
  void dataOffsetBelowFiveWordsIsMalformedButKeyed() {
    DecodedPacket p = decode(syn().dataOffsetWords(4).build());
    assertThat(p.flags() & PacketFlags.TRANSPORT_MALFORMED).isNotZero();
    assertThat(p.describeTuple()).isEqualTo("10.99.1.2:41450 > 10.99.2.2:8080");
  }

  @Test
  void dataOffsetBeyondTheSegmentIsMalformed() {
    DecodedPacket p = decode(syn().dataOffsetWords(15).build());
    assertThat(p.flags() & PacketFlags.TRANSPORT_MALFORMED).isNotZero();
    assertThat(p.dstPort()).isEqualTo(8080);
  }

  @Test
  void segmentShorterThanTheFixedHeaderIsMalformedWithPortsWhenFourBytesExist() {
    byte[] whole = syn().build();
    byte[] six = PacketBuilder.raw("10.99.1.2", "10.99.2.2", 6, Arrays.copyOfRange(whole, 20, 26)).build();
    DecodedPacket p = decode(six);
    assertThat(p.flags() & PacketFlags.TRANSPORT_MALFORMED).isNotZero();
    assertThat(p.describeTuple()).isEqualTo("10.99.1.2:41450 > 10.99.2.2:8080");
    byte[] three = PacketBuilder.raw("10.99.1.2", "10.99.2.2", 6, Arrays.copyOfRange(whole, 20, 23)).build();
    DecodedPacket q = decode(three);
    assertThat(q.flags() & PacketFlags.TRANSPORT_MALFORMED).isNotZero();
    assertThat(q.describeTuple()).isEqualTo("10.99.1.2 > 10.99.2.2");
    assertThat(q.lowPort()).isZero();
  }

  @Test
  void correctChecksumIsNotFlagged() {
    assertThat(decode(syn().payload("x").build()).flags() & PacketFlags.CHECKSUM_BAD).isZero();
  }

  @Test
  void wrongChecksumIsFlaggedBad() {
    DecodedPacket p = decode(syn().payload("x").badChecksum().build());
    assertThat(p.flags() & PacketFlags.CHECKSUM_BAD).isNotZero();
    assertThat(p.flags() & PacketFlags.CHECKSUM_UNVERIFIED).isZero();
  }

  @Test
  void checksumsAreLeftAloneWhenVerificationIsOff() {
    DecoderOptions off = new DecoderOptions(0, false, new int[] {21}, 128);
    DecodedPacket p = Decoding.decode(off, LinkTypes.ETHERNET, Frames.ethernet(syn().badChecksum().build()));
    assertThat(p.flags() & (PacketFlags.CHECKSUM_BAD | PacketFlags.CHECKSUM_UNVERIFIED)).isZero();
  }

  @Test
  void zoneComesFromTheOptions() {
    DecoderOptions zone7 = new DecoderOptions(7, true, new int[] {21}, 128);
    assertThat(Decoding.decode(zone7, LinkTypes.ETHERNET, Frames.ethernet(syn().build())).zone()).isEqualTo(7);
  }
}

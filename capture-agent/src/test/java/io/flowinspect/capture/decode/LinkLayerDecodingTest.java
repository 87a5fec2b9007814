package io.flowinspect.capture.decode;

import static io.flowinspect.capture.decode.Decoding.decode;
import static io.flowinspect.capture.decode.Decoding.skipReason;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkLayerDecodingTest {
  private static final byte[] V4 = PacketBuilder.udp("192.0.2.1", 5353, "192.0.2.2", 53).payload("q").build();
  private static final byte[] V6 = PacketBuilder.udp("2001:db8::1", 5353, "2001:db8::2", 53).payload("q").build();

  @Test
  void ethernetCarriesIpv4AndIpv6() {
    assertThat(decode(LinkTypes.ETHERNET, Frames.ethernet(V4)).describeTuple()).isEqualTo("192.0.2.1:5353 > 192.0.2.2:53");
    assertThat(decode(LinkTypes.ETHERNET, Frames.ethernet(V6)).describeTuple())
        .isEqualTo("[2001:db8::1]:5353 > [2001:db8::2]:53");
  }

  @Test
  void vlanTaggedFrameIsDecodedBehindItsTag() {
    byte[] frame = Frames.tagged(Frames.ETHERTYPE_IPV4, V4, 0x8100);
    assertThat(decode(LinkTypes.ETHERNET, frame).dstPort()).isEqualTo(53);
  }

  @Test
  void qinqFrameIsDecodedBehindBothTags() {
    byte[] frame = Frames.tagged(Frames.ETHERTYPE_IPV6, V6, 0x88a8, 0x8100);
    assertThat(decode(LinkTypes.ETHERNET, frame).ipVersion()).isEqualTo(6);
  }

  @Test
  void anyNumberOfStackedTagsIsFollowed() {
    byte[] frame = Frames.tagged(Frames.ETHERTYPE_IPV4, V4, 0x9100, 0x88a8, 0x8100, 0x8100);
    assertThat(decode(LinkTypes.ETHERNET, frame).srcPort()).isEqualTo(5353);
  }

  @Test
  void tagCutByTheCaptureIsATruncatedLink() {
    byte[] frame = Frames.tagged(Frames.ETHERTYPE_IPV4, V4, 0x8100, 0x8100);
    assertThat(skipReason(LinkTypes.ETHERNET, frame, 16, frame.length)).isEqualTo(SkipReason.TRUNCATED_LINK);
  }

  @Test
  void arpMplsAndLlcAreSkippedAsNotIp() {
    byte[] arp = Frames.ethernet(Frames.ETHERTYPE_ARP, new byte[28]);
    byte[] mpls = Frames.ethernet(Frames.ETHERTYPE_MPLS, V4);
    byte[] llc = Frames.ethernet(0x0026, new byte[38]); // an 802.3 length field, then LLC
    for (byte[] frame : new byte[][] {arp, mpls, llc}) {
      SkipReason reason = skipReason(LinkTypes.ETHERNET, frame);
      assertThat(reason).isEqualTo(SkipReason.NON_IP);
      assertThat(reason.notIp()).isTrue();
      assertThat(reason.label()).isEqualTo("non-ip");
    }
  }

  @Test
  void frameShorterThanItsLinkHeaderIsATruncatedLink() {
    assertThat(skipReason(LinkTypes.ETHERNET, new byte[13])).isEqualTo(SkipReason.TRUNCATED_LINK);
    assertThat(skipReason(LinkTypes.LINUX_SLL, new byte[15])).isEqualTo(SkipReason.TRUNCATED_LINK);
    assertThat(skipReason(LinkTypes.LINUX_SLL2, new byte[19])).isEqualTo(SkipReason.TRUNCATED_LINK);
    assertThat(skipReason(LinkTypes.NULL, new byte[3])).isEqualTo(SkipReason.TRUNCATED_LINK);
    assertThat(SkipReason.TRUNCATED_LINK.notIp()).isFalse();
  }

  @Test
  void linuxCookedCapturesCarryIp() {
    assertThat(decode(LinkTypes.LINUX_SLL, Frames.sll(Frames.ETHERTYPE_IPV4, V4)).dstPort()).isEqualTo(53);
    assertThat(decode(LinkTypes.LINUX_SLL2, Frames.sll2(Frames.ETHERTYPE_IPV6, V6)).ipVersion()).isEqualTo(6);
    assertThat(decode(LinkTypes.LINUX_SLL, Frames.sll(0x8100, vlanPayload(Frames.ETHERTYPE_IPV4, V4))).srcPort())
        .isEqualTo(5353);
    assertThat(skipReason(LinkTypes.LINUX_SLL, Frames.sll(Frames.ETHERTYPE_ARP, new byte[28]))).isEqualTo(SkipReason.NON_IP);
    assertThat(skipReason(LinkTypes.LINUX_SLL2, Frames.sll2(0x0004, new byte[28]))).isEqualTo(SkipReason.NON_IP);
  }

  @Test
  void bsdLoopbackFamilyIsReadInEitherByteOrder() {
    assertThat(decode(LinkTypes.NULL, Frames.bsdLoopback(2, true, V4)).ipVersion()).isEqualTo(4);
    assertThat(decode(LinkTypes.NULL, Frames.bsdLoopback(2, false, V4)).ipVersion()).isEqualTo(4);
    assertThat(decode(LinkTypes.LOOP, Frames.bsdLoopback(2, false, V4)).ipVersion()).isEqualTo(4);
    for (int family : new int[] {24, 28, 30}) {
      assertThat(decode(LinkTypes.NULL, Frames.bsdLoopback(family, true, V6)).ipVersion()).isEqualTo(6);
      assertThat(decode(LinkTypes.LOOP, Frames.bsdLoopback(family, false, V6)).ipVersion()).isEqualTo(6);
    }
    assertThat(skipReason(LinkTypes.NULL, Frames.bsdLoopback(7, true, V4))).isEqualTo(SkipReason.NON_IP);
  }

  @Test
  void rawLinkTypesTakeTheVersionFromThePacket() {
    for (int linkType : new int[] {LinkTypes.RAW, LinkTypes.RAW_OPENBSD, LinkTypes.LINKTYPE_RAW}) {
      assertThat(decode(linkType, V4).ipVersion()).isEqualTo(4);
      assertThat(decode(linkType, V6).ipVersion()).isEqualTo(6);
    }
    assertThat(decode(LinkTypes.IPV4, V4).ipVersion()).isEqualTo(4);
    assertThat(decode(LinkTypes.IPV6, V6).ipVersion()).isEqualTo(6);
  }

  @Test
  void packetWhoseVersionContradictsItsLinkTypeIsABadIpVersion() {
    assertThat(skipReason(LinkTypes.IPV4, V6)).isEqualTo(SkipReason.BAD_IP_VERSION);
    assertThat(skipReason(LinkTypes.IPV6, V4)).isEqualTo(SkipReason.BAD_IP_VERSION);
    assertThat(skipReason(LinkTypes.ETHERNET, Frames.ethernet(Frames.ETHERTYPE_IPV4, V6))).isEqualTo(SkipReason.BAD_IP_VERSION);
    byte[] version5 = V4.clone();
    version5[0] = 0x55;
    assertThat(skipReason(LinkTypes.RAW, version5)).isEqualTo(SkipReason.BAD_IP_VERSION);
  }

  @Test
  void unknownLinkTypeIsSkipped() {
    assertThat(skipReason(147, V4)).isEqualTo(SkipReason.UNSUPPORTED_LINK_TYPE); // a user-defined DLT
    assertThat(LinkTypes.isSupported(147)).isFalse();
    assertThat(LinkTypes.isSupported(LinkTypes.LINUX_SLL2)).isTrue();
  }

  @Test
  void pppCarriesIpWithOrWithoutHdlcFramingAndWithACompressedProtocolField() {
    byte[] hdlc = concat(new byte[] {(byte) 0xff, 0x03, 0x00, 0x21}, V4);
    byte[] bare = concat(new byte[] {0x00, 0x57}, V6);
    byte[] compressed = concat(new byte[] {0x21}, V4);

    assertThat(decode(LinkTypes.PPP, hdlc).dstPort()).isEqualTo(53);
    assertThat(decode(LinkTypes.PPP, bare).ipVersion()).isEqualTo(6);
    assertThat(decode(LinkTypes.PPP_SERIAL, compressed).srcPort()).isEqualTo(5353);
  }

  @Test
  void mplsInsidePppIsNotIp() {
    byte[] mpls = concat(new byte[] {(byte) 0xff, 0x03, 0x02, (byte) 0x81}, V4);

    assertThat(skipReason(LinkTypes.PPP, mpls)).isEqualTo(SkipReason.NON_IP);
    assertThat(skipReason(LinkTypes.PPP, new byte[] {(byte) 0xff, 0x03, 0x00})).isEqualTo(SkipReason.TRUNCATED_LINK);
  }

  private static byte[] concat(byte[] head, byte[] tail) {
    byte[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }

  @Test
  void lengthsOutsideTheArrayAreClampedNotThrown() {
    assertThat(skipReason(LinkTypes.ETHERNET, Frames.ethernet(V4), 1000, -5)).isNull();
    assertThat(skipReason(LinkTypes.ETHERNET, Frames.ethernet(V4), -1, 60)).isEqualTo(SkipReason.TRUNCATED_LINK);
  }

  @Test
  void missingFrameOrLinkHeaderOnlyIsATruncationNotAnException() {
    assertThat(skipReason(LinkTypes.RAW, null, 0, 0)).isEqualTo(SkipReason.TRUNCATED_IP);
    assertThat(skipReason(LinkTypes.ETHERNET, null, 100, 100)).isEqualTo(SkipReason.TRUNCATED_LINK);
    byte[] headerOnly = Frames.ethernet(Frames.ETHERTYPE_IPV4, new byte[0]);
    assertThat(skipReason(LinkTypes.ETHERNET, headerOnly)).isEqualTo(SkipReason.TRUNCATED_IP);
  }

  private static byte[] vlanPayload(int etherType, byte[] ip) {
    byte[] p = new byte[4 + ip.length];
    PacketBuilder.put16(p, 0, 7);
    PacketBuilder.put16(p, 2, etherType);
    System.arraycopy(ip, 0, p, 4, ip.length);
    return p;
  }
}

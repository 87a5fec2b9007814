package io.flowinspect.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;

/** Decodes test frames with a fresh decoder. */
final class Decoding {
  static final long TIME = 1_700_000_000_123_456_789L;

  private Decoding() {}

  static DecodedPacket decode(byte[] ip) {
    return decode(DecoderOptions.defaults(), LinkTypes.ETHERNET, Frames.ethernet(ip));
  }

  static DecodedPacket decode(int linkType, byte[] frame) {
    return decode(DecoderOptions.defaults(), linkType, frame);
  }

  static DecodedPacket decode(DecoderOptions options, int linkType, byte[] frame) {
    DecodedPacket out = new DecodedPacket();
    SkipReason reason = new FrameDecoder(options).decode(linkType, frame, frame.length, frame.length, TIME, out);
    assertThat(reason).as("skip reason of %s", out).isNull();
    return out;
  }

  static SkipReason skipReason(byte[] ip) {
    return skipReason(LinkTypes.ETHERNET, Frames.ethernet(ip));
  }

  static SkipReason skipReason(int linkType, byte[] frame) {
    return skipReason(linkType, frame, frame.length, frame.length);
  }

  static SkipReason skipReason(int linkType, byte[] frame, int captured, int wire) {
    return new FrameDecoder(DecoderOptions.defaults())
        .decode(linkType, frame, captured, wire, TIME, new DecodedPacket());
  }

  /** Decodes the first {@code captured} bytes of an Ethernet frame whose wire length is the full frame. */
  static DecodedPacket decodeCaptured(byte[] frame, int captured) {
    DecodedPacket out = new DecodedPacket();
    SkipReason reason = new FrameDecoder(DecoderOptions.defaults())
        .decode(LinkTypes.ETHERNET, frame, captured, frame.length, TIME, out);
    assertThat(reason).as("skip reason").isNull();
    return out;
  }

  static String hexAddress(byte[] address, int length) {
    return PacketText.address(address, length);
  }
}

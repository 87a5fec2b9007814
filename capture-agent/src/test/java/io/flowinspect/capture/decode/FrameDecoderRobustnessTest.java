package io.flowinspect.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.flowinspect.capture.source.SharedCaptures;
import io.flowinspect.capture.source.SharedCaptures.Frame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of thousands of damaged frames, seeded so that a failure can be replayed: no exception
 * may escape, every frame is decoded or skipped with a reason, and decoded packets stay consistent.
 */
class FrameDecoderRobustnessTest {
  private static final long SEED = 20261126L;
  private static final int MUTATIONS = 3_000_000;
  private static final int RANDOM_FRAMES = 100_000;
  private static final int FRAMES_PER_CAPTURE = 400;
  private static final int[] LINK_TYPES = {
      LinkTypes.NULL, LinkTypes.ETHERNET, LinkTypes.RAW, LinkTypes.RAW_OPENBSD, LinkTypes.LINKTYPE_RAW,
      LinkTypes.LOOP, LinkTypes.LINUX_SLL, LinkTypes.IPV4, LinkTypes.IPV6, LinkTypes.LINUX_SLL2, 9, 147};
  /** Values that steer a header into its interesting branches: versions, protocols, tags, types. */
  private static final int[] INTERESTING = {
      0x00, 0xff, 0x45, 0x46, 0x4f, 0x60, 0x06, 0x11, 0x01, 0x3a, 0x2c, 0x2b, 0x3c, 0x33, 0x3b, 0x84,
      0x08, 0x81, 0x86, 0xdd, 0x88, 0xa8, 0x91, 0x03, 0x0b, 0x80, 0x81, 0x50, 0x14, 0x02, 0x05, 0x0a};

  private record Sample(int linkType, byte[] bytes, int wireLength) {}

  @Test
  void damagedFramesAreDecodedOrSkippedButNeverThrow() throws Exception {
    List<Sample> corpus = corpus();
    Random random = new Random(SEED);
    FrameDecoder decoder = new FrameDecoder(new DecoderOptions(0, true, new int[] {21, 2121}, 64));
    DecodedPacket out = new DecodedPacket();
    for (int i = 0; i < MUTATIONS; i++) {
      Sample sample = corpus.get(random.nextInt(corpus.size()));
      byte[] frame = sample.bytes().clone();
      int linkType = sample.linkType();
      int captured = frame.length;
      int wire = sample.wireLength();
      for (int m = 1 + random.nextInt(4); m > 0; m--) {
        switch (random.nextInt(9)) {
          case 0 -> {
            if (frame.length > 0) frame[random.nextInt(Math.min(frame.length, 96))] = (byte) random.nextInt(256);
          }
          case 1 -> {
            if (frame.length > 0) frame[random.nextInt(frame.length)] ^= (byte) (1 << random.nextInt(8));
          }
          case 2 -> {
            if (frame.length > 0) frame[random.nextInt(Math.min(frame.length, 128))] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
          }
          case 3 -> {
            // Usually an array of exactly the captured length, so that reading past it throws.
            captured = random.nextInt(frame.length + 1);
            if (random.nextInt(4) != 0) frame = Arrays.copyOf(frame, captured);
          }
          case 4 -> wire = random.nextInt(3) == 0 ? random.nextInt() : captured + random.nextInt(100) - 20;
          case 5 -> linkType = LINK_TYPES[random.nextInt(LINK_TYPES.length)];
          case 6 -> {
            frame = Arrays.copyOf(frame, frame.length + random.nextInt(64));
            captured = frame.length;
          }
          case 7 -> fill(frame, random, 0);
          default -> fill(frame, random, 0xff);
        }
      }
      decodeOrFail(decoder, linkType, frame, captured, wire, out);
    }
    for (int i = 0; i < RANDOM_FRAMES; i++) {
      byte[] frame = new byte[random.nextInt(160)];
      random.nextBytes(frame);
      if (frame.length > 14 && random.nextBoolean()) frame[14] = 0x45;
      decodeOrFail(decoder, LINK_TYPES[random.nextInt(LINK_TYPES.length)], frame, frame.length, frame.length, out);
    }

    DecodeCounters counters = decoder.counters();
    assertThat(counters.seen()).isEqualTo(MUTATIONS + RANDOM_FRAMES);
    assertThat(counters.decoded() + counters.skipped()).as("%s", counters).isEqualTo(counters.seen());
    assertThat(counters.decoded()).as("%s", counters).isGreaterThan(MUTATIONS / 10);
    assertThat(counters.skippedByReason()).as("%s", counters).hasSizeGreaterThanOrEqualTo(10);
  }

  /** Two bytes of a length or offset field at their extreme. */
  private static void fill(byte[] frame, Random random, int value) {
    if (frame.length < 2) return;
    int at = random.nextInt(Math.min(frame.length - 1, 80));
    frame[at] = (byte) value;
    frame[at + 1] = (byte) value;
  }

  private static void decodeOrFail(FrameDecoder decoder, int linkType, byte[] frame, int captured, int wire, DecodedPacket out) {
    String input = "link type " + linkType + ", captured " + captured + ", wire " + wire + ": " + HexFormat.of().formatHex(frame);
    SkipReason reason;
    try {
      reason = decoder.decode(linkType, frame, captured, wire, 0, out);
    } catch (RuntimeException e) {
      throw new AssertionError("decode threw on " + input, e);
    }
    if (reason == null) {
      String violation = DecodedPacketInvariants.violation(out);
      if (violation != null) fail(violation + " for " + input + " -> " + out);
    }
  }

  /** Frames of the real captures when they are there, plus generated ones that reach every branch. */
  private static List<Sample> corpus() throws Exception {
    List<Sample> corpus = new ArrayList<>(generated());
    if (SharedCaptures.present()) {
      for (Path capture : SharedCaptures.all()) {
        List<Frame> frames = SharedCaptures.frames(capture);
        for (Frame f : frames.subList(0, Math.min(frames.size(), FRAMES_PER_CAPTURE))) {
          corpus.add(new Sample(f.linkType(), Arrays.copyOf(f.bytes(), f.capturedLength()), f.wireLength()));
        }
      }
    }
    return corpus;
  }

  private static List<Sample> generated() {
    byte[] syn = PacketBuilder.tcp("10.0.0.1", 1111, "10.0.0.2", 21).flags(PacketBuilder.SYN)
        .tcpOptions(2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7).build();
    byte[] sack = PacketBuilder.tcp("10.0.0.2", 21, "10.0.0.1", 1111).flags(PacketBuilder.ACK)
        .tcpOptions(1, 1, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4).payload("227 Entering Passive Mode (1,2,3,4,5,6)\r\n").build();
    byte[] v6 = PacketBuilder.udp("2001:db8::1", 53, "2001:db8::2", 53).payload("abc")
        .ipv6Extension(0, 0).ipv6Extension(43, 1).authenticationHeader(2).fragment(0, true, 5).build();
    byte[] v4Error = PacketBuilder.icmp("10.0.0.9", "10.0.0.1", 3, 3).payload(Arrays.copyOf(syn, 28)).build();
    byte[] v6Error = PacketBuilder.icmp("2001:db8::9", "2001:db8::1", 1, 4).payload(Arrays.copyOf(v6, 100)).build();
    byte[] echo = PacketBuilder.icmp("2001:db8::1", "2001:db8::2", 128, 0).icmpQuery(1, 2).build();
    List<Sample> samples = new ArrayList<>();
    for (byte[] ip : new byte[][] {syn, sack, v6, v4Error, v6Error, echo}) {
      byte[] ether = Frames.tagged(Frames.etherTypeOf(ip), ip, 0x88a8, 0x8100);
      samples.add(new Sample(LinkTypes.ETHERNET, ether, ether.length));
      samples.add(new Sample(LinkTypes.RAW, ip, ip.length));
      byte[] sll2 = Frames.sll2(Frames.etherTypeOf(ip), ip);
      samples.add(new Sample(LinkTypes.LINUX_SLL2, sll2, sll2.length));
      byte[] loop = Frames.bsdLoopback(ip.length > 0 && (ip[0] & 0xf0) == 0x60 ? 30 : 2, true, ip);
      samples.add(new Sample(LinkTypes.NULL, loop, loop.length));
    }
    return samples;
  }
}

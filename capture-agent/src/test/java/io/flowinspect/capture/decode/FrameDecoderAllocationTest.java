package io.flowinspect.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The decoder's promise to the capture loop: no garbage per frame on the success path. */
class FrameDecoderAllocationTest {
  private static final int ROUNDS = 200_000;

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  /** Bytes allocated per decode, after a warm-up that lets the JIT compile the decoder. */
  private static double bytesPerFrame(byte[]... frames) {
    FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
    DecodedPacket out = new DecodedPacket();
    int skipped = 0;
    for (int i = 0; i < ROUNDS; i++) {
      byte[] f = frames[i % frames.length];
      if (decoder.decode(LinkTypes.ETHERNET, f, f.length, f.length, i, out) != null) skipped++;
    }
    long before = allocatedBytes();
    for (int i = 0; i < ROUNDS; i++) {
      byte[] f = frames[i % frames.length];
      if (decoder.decode(LinkTypes.ETHERNET, f, f.length, f.length, i, out) != null) skipped++;
    }
    long allocated = allocatedBytes() - before;
    assertThat(skipped).isZero();
    return (double) allocated / ROUNDS;
  }

  @Test
  void decodingAllocatesNothingPerFrame() {
    assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "this JVM cannot count allocated bytes");
    byte[] tcp = Frames.tagged(Frames.ETHERTYPE_IPV4, PacketBuilder.tcp("10.0.0.1", 1, "10.0.0.2", 443)
        .flags(PacketBuilder.ACK).tcpOptions(1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2)
        .payload(new byte[1200]).build(), 0x8100);
    byte[] v6 = Frames.ethernet(PacketBuilder.udp("2001:db8::1", 53, "2001:db8::2", 53).payload(new byte[300])
        .ipv6Extension(0, 0).ipv6Extension(60, 1).build());
    byte[] echo = Frames.ethernet(PacketBuilder.icmp("10.0.0.1", "10.0.0.2", 8, 0).icmpQuery(7, 1).payload(new byte[56]).build());
    assertThat(bytesPerFrame(tcp, v6, echo)).isLessThan(1.0);
  }

  @Test
  void anIcmpErrorAllocatesOnlyItsErrorSource() {
    assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "this JVM cannot count allocated bytes");
    byte[] quoted = Arrays.copyOf(PacketBuilder.udp("10.0.0.2", 30000, "10.0.0.9", 53).payload(new byte[20]).build(), 28);
    byte[] error = Frames.ethernet(PacketBuilder.icmp("10.0.0.9", "10.0.0.2", 3, 3).payload(quoted).build());
    // A 4-byte array: 16 bytes of header and data, 24 on JVMs without compressed class pointers.
    assertThat(bytesPerFrame(error)).isLessThanOrEqualTo(24.5);
  }
}

package io.flowinspect.capture.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowinspect.capture.source.PcapngWriter.Option;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader's promise to the capture loop: no garbage per frame, whatever the format. */
class CaptureFileReaderAllocationTest {
  private static final int FRAMES = 100_000;

  @TempDir Path temp;

  /** Where the consumer puts what it reads, so that the JIT cannot drop the reading. */
  private long checksum;

  @BeforeEach
  void canCountAllocations() {
    assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "this JVM cannot count allocated bytes");
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  /** Bytes allocated per frame by forEach, after a first reading that lets the JIT compile it. */
  private double bytesPerFrame(Path file) throws CaptureException {
    long frames = 0;
    for (int round = 0; round < 3; round++) {
      try (CaptureFileReader reader = CaptureFileReader.open(file)) {
        long before = allocatedBytes();
        frames = reader.forEach((i, l, f, c, w, t) -> checksum += f[c - 1] + l + w + t);
        if (round == 2) return (double) (allocatedBytes() - before) / frames;
      }
    }
    throw new AssertionError("unreachable");
  }

  private static byte[] frame(int length) {
    byte[] frame = new byte[length];
    frame[length - 1] = (byte) length;
    return frame;
  }

  @Test
  void readingAPcapAllocatesNothingPerFrame() throws Exception {
    PcapWriter writer = new PcapWriter(1, 65535, true);
    for (int i = 0; i < FRAMES; i++) writer.frame(1_700_000_000_000_000_000L + i, frame(60 + i % 1455), 1514);
    assertThat(bytesPerFrame(writer.writeTo(temp.resolve("frames.pcap")))).isLessThan(1.0);
  }

  @Test
  void readingAPcapngAllocatesNothingPerFrame() throws Exception {
    PcapngWriter writer = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN)
        .interfaceDescription(1, 0, Option.tsresol(9)).interfaceDescription(101, 0, Option.tsresol(0x80 | 24));
    for (int i = 0; i < FRAMES; i++) {
      if (i % 10 == 9) {
        writer.simplePacket(frame(60), 60);
      } else {
        writer.enhancedPacket(i % 2, 1_700_000_000L << 24 | i, frame(60 + i % 1455), 1514);
      }
    }
    assertThat(bytesPerFrame(writer.writeTo(temp.resolve("frames.pcapng")))).isLessThan(1.0);
  }

  @Test
  void readingTheLargestSharedCaptureAllocatesNothingPerFrame() throws Exception {
    assertThat(bytesPerFrame(SharedCaptures.file("zeek_echo-connections.pcap"))).isLessThan(1.0);
  }
}

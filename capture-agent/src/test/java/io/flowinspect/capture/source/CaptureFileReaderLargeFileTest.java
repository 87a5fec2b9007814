package io.flowinspect.capture.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.flowinspect.capture.source.SharedCaptures.Frame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files larger than one mapping: a ByteBuffer addresses 2 GiB, so larger files are mapped a window
 * at a time. Small windows over small files take the same paths as large files.
 */
class CaptureFileReaderLargeFileTest {
  private static final long TWO_GIB = 1L << 31;

  @TempDir Path temp;

  @TestFactory
  Stream<DynamicTest> everySharedCaptureReadsTheSameThroughTinyWindows() {
    return SharedCaptures.all().stream().map(file -> dynamicTest(file.getFileName().toString(), () -> {
      List<Frame> whole = CaptureFileReads.frames(file);
      // Every window maps anew, so the tiniest windows are kept for the small files.
      int[] windows = Files.size(file) < 100_000 ? new int[] {1, 13, 512} : new int[] {4096, 65_536};
      for (int window : windows) {
        List<Frame> windowed = CaptureFileReads.frames(file, window);
        CaptureFileReads.assertSameFrames(windowed, whole, "window of " + window + " bytes");
      }
    }));
  }

  /**
   * A pcapng file of more than 2 GiB, sparse so that it takes no disk: a frame, a custom block of
   * 2 GiB of holes, a frame beyond 2 GiB, then a block cut short.
   */
  @Test
  void framesBeyondTwoGibibytesAreReadAndDamageThereIsPlaced() throws Exception {
    Path file = temp.resolve("large.pcapng");
    byte[] first = new byte[60];
    byte[] second = new byte[90];
    second[89] = 0x7e;
    PcapngWriter head = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN).interfaceDescription(1, 0)
        .enhancedPacket(0, 1_000_000, first, 60);
    long custom = head.size();
    long customLength = TWO_GIB + 4096;
    long afterCustom = custom + customLength;
    byte[] tail = new PcapngWriter().enhancedPacket(0, 2_000_000, second, 90).bytes();
    long cutBlock = afterCustom + tail.length;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        StandardOpenOption.SPARSE)) {
      channel.write(ByteBuffer.wrap(head.bytes()), 0);
      channel.write(littleEndian(PcapngWriter.CUSTOM, (int) customLength, 32473), custom);
      channel.write(littleEndian((int) customLength), afterCustom - 4);
      channel.write(ByteBuffer.wrap(tail), afterCustom);
      channel.write(ByteBuffer.wrap(tail, 0, 40), cutBlock);
    }
    for (int window : new int[] {MappedFile.DEFAULT_WINDOW, 4096}) {
      CaptureFileReads.Outcome outcome = CaptureFileReads.read(file, window);
      assertThat(outcome.frames()).extracting(Frame::timeNanos).containsExactly(1_000_000_000L, 2_000_000_000L);
      assertThat(outcome.frames().get(1).bytes()).isEqualTo(second);
      assertThat(cutBlock).isGreaterThan(TWO_GIB);
      assertThat(outcome.failure()).hasMessage(file + ": corrupt at byte offset " + cutBlock
          + " (frame 3): truncated block: 124 bytes long, 40 left in the file");
    }
  }

  private static ByteBuffer littleEndian(int... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) b.putInt(v);
    return b.flip();
  }
}

package io.flowinspect.capture.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowinspect.capture.source.PcapngWriter.Option;
import io.flowinspect.capture.source.SharedCaptures.Frame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files the tests write themselves: every variant of both formats, and the reader's contract. */
class CaptureFileReaderTest {
  private static final long T0 = 1_700_000_000_123_456_789L;

  @TempDir Path temp;

  private static byte[] frame(int length, int seed) {
    byte[] frame = new byte[length];
    for (int i = 0; i < length; i++) frame[i] = (byte) (seed + i);
    return frame;
  }

  private Path pcap(String name, int linkType, boolean nanos) throws Exception {
    return new PcapWriter(linkType, 65535, nanos)
        .frame(T0, frame(60, 1), 60)
        .frame(T0 + 1_000, frame(1514, 2), 1514)
        .frame(T0 + 2_000_000_001L, frame(64, 3), 1500)
        .writeTo(temp.resolve(name));
  }

  @Test
  void microsecondPcapTimesAreWholeMicroseconds() throws Exception {
    List<Frame> frames = CaptureFileReads.frames(pcap("micro.pcap", 1, false));
    assertThat(frames).extracting(Frame::timeNanos)
        .containsExactly(T0 / 1000 * 1000, (T0 + 1_000) / 1000 * 1000, (T0 + 2_000_000_001L) / 1000 * 1000);
    assertThat(frames).extracting(Frame::index).containsExactly(1L, 2L, 3L);
    assertThat(frames).extracting(Frame::linkType).containsOnly(1);
    assertThat(frames.get(1).bytes()).isEqualTo(frame(1514, 2));
    assertThat(frames.get(2).capturedLength()).isEqualTo(64);
    assertThat(frames.get(2).wireLength()).isEqualTo(1500);
  }

  @Test
  void nanosecondPcapKeepsItsNanoseconds() throws Exception {
    List<Frame> frames = CaptureFileReads.frames(pcap("nano.pcap", 1, true));
    assertThat(frames).extracting(Frame::timeNanos).containsExactly(T0, T0 + 1_000, T0 + 2_000_000_001L);
  }

  @Test
  void bigEndianPcapReadsAsItsLittleEndianTwin() throws Exception {
    for (boolean nanos : new boolean[] {false, true}) {
      Path little = pcap("little-" + nanos + ".pcap", 113, nanos);
      Path big = Files.write(temp.resolve("big-" + nanos + ".pcap"),
          CaptureFileReads.bigEndianPcap(Files.readAllBytes(little)));
      assertThat(Files.readAllBytes(big)).startsWith(0xa1, 0xb2, nanos ? 0x3c : 0xc3, nanos ? 0x4d : 0xd4);
      CaptureFileReads.assertSameFrames(CaptureFileReads.frames(big), CaptureFileReads.frames(little), big.toString());
    }
  }

  @Test
  void pcapLinkTypeIsTheLowSixteenBitsOfItsField() throws Exception {
    byte[] bytes = Files.readAllBytes(pcap("fcs.pcap", 1, false));
    // FCS length 4 with its "present" bit: the upper bits of the LinkType field (draft-ietf-opsawg-pcap).
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 0x4000_0000 | 0x0400_0000 | 1);
    assertThat(CaptureFileReads.frames(Files.write(temp.resolve("fcs2.pcap"), bytes)))
        .extracting(Frame::linkType).containsOnly(1);
  }

  @Test
  void pcapReportsTheFilesLinkTypeNotLibpcapsDlt() throws Exception {
    Path raw = new PcapWriter(101, 65535, false).frame(T0, frame(20, 0x45), 20).writeTo(temp.resolve("raw.pcap"));
    assertThat(CaptureFileReads.frames(raw).get(0).linkType()).isEqualTo(101);
  }

  @Test
  void pcapSecondsAreUnsignedSoDatesPast2038Read() throws Exception {
    long in2100 = 4_102_444_800_000_000_000L;
    Path file = new PcapWriter(1, 65535, true).frame(in2100, frame(60, 0), 60).writeTo(temp.resolve("2100.pcap"));
    assertThat(CaptureFileReads.frames(file).get(0).timeNanos()).isEqualTo(in2100);
  }

  @Test
  void aFrameLongerThanTheSnapLengthButNotThanLibpcapsDefaultIsDeliveredWhole() throws Exception {
    Path file = new PcapWriter(1, 64, false).frame(T0, frame(1514, 7), 1514).writeTo(temp.resolve("snap.pcap"));
    assertThat(CaptureFileReads.frames(file).get(0).bytes()).isEqualTo(frame(1514, 7));
  }

  @Test
  void wireLengthIsNeverLessThanCapturedLength() throws Exception {
    Path file = new PcapWriter(1, 65535, false).frame(T0, frame(100, 0), 40).writeTo(temp.resolve("short.pcap"));
    Frame frame = CaptureFileReads.frames(file).get(0);
    assertThat(frame.capturedLength()).isEqualTo(100);
    assertThat(frame.wireLength()).isEqualTo(100);
  }

  @Test
  void headerOnlyFilesHoldNoFrames() throws Exception {
    Path pcap = new PcapWriter(1, 65535, false).writeTo(temp.resolve("empty.pcap"));
    Path sectionOnly = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN).writeTo(temp.resolve("section.pcapng"));
    Path oneInterface = new PcapngWriter().section(ByteOrder.BIG_ENDIAN).interfaceDescription(1, 0)
        .writeTo(temp.resolve("interface.pcapng"));
    for (Path file : List.of(pcap, sectionOnly, oneInterface)) {
      try (CaptureFileReader reader = CaptureFileReader.open(file)) {
        assertThat(reader.forEach((i, l, f, c, w, t) -> {
          throw new AssertionError("no frame expected");
        })).isZero();
        assertThat(reader.bytesRead()).isEqualTo(reader.size()).isEqualTo(Files.size(file));
      }
    }
  }

  @Test
  void pcapngInterfacesEachHaveTheirLinkTypeAndTimestampUnit() throws Exception {
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      Path file = new PcapngWriter().section(order)
          .interfaceDescription(1, 262144, Option.name("eth0"), Option.tsresol(9))
          .interfaceDescription(101, 65535, Option.tsresol(0x80 | 20), Option.name("tun0"))
          .interfaceDescription(113, 0)
          .enhancedPacket(0, T0, frame(60, 1), 60)
          .enhancedPacket(1, (1_700_000_000L << 20) | (1 << 19), frame(40, 2), 1400)
          .enhancedPacket(2, 1_700_000_000_000_001L, frame(44, 3), 44)
          .writeTo(temp.resolve("interfaces-" + order + ".pcapng"));
      List<Frame> frames = CaptureFileReads.frames(file);
      assertThat(frames).extracting(Frame::linkType).containsExactly(1, 101, 113);
      assertThat(frames).extracting(Frame::timeNanos)
          .containsExactly(T0, 1_700_000_000_500_000_000L, 1_700_000_000_000_001_000L);
      assertThat(frames.get(1).bytes()).isEqualTo(frame(40, 2));
      assertThat(frames.get(1).wireLength()).isEqualTo(1400);
    }
  }

  @Test
  void pcapngTimestampOffsetIsAddedInSeconds() throws Exception {
    Path file = new PcapngWriter().section(ByteOrder.BIG_ENDIAN)
        .interfaceDescription(1, 0, Option.tsoffset(1_700_000_000L), Option.tsresol(3))
        .enhancedPacket(0, 1_500, frame(60, 0), 60)
        .writeTo(temp.resolve("offset.pcapng"));
    assertThat(CaptureFileReads.frames(file).get(0).timeNanos()).isEqualTo(1_700_000_001_500_000_000L);
  }

  @Test
  void simplePacketBlocksBelongToInterfaceZeroAndTakeThePreviousFramesTime() throws Exception {
    Path file = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN)
        .interfaceDescription(228, 100)
        .interfaceDescription(1, 0)
        .simplePacket(frame(30, 0), 30)
        .enhancedPacket(1, T0 / 1000, frame(60, 1), 60)
        .simplePacket(frame(100, 2), 1500)
        .writeTo(temp.resolve("simple.pcapng"));
    List<Frame> frames = CaptureFileReads.frames(file);
    assertThat(frames).extracting(Frame::linkType).containsExactly(228, 1, 228);
    assertThat(frames).extracting(Frame::timeNanos).containsExactly(0L, T0 / 1000 * 1000, T0 / 1000 * 1000);
    assertThat(frames.get(2).capturedLength()).as("min(original length, snap length)").isEqualTo(100);
    assertThat(frames.get(2).wireLength()).isEqualTo(1500);
    assertThat(frames.get(2).bytes()).isEqualTo(frame(100, 2));
  }

  @Test
  void obsoletePacketBlocksAreRead() throws Exception {
    Path file = new PcapngWriter().section(ByteOrder.BIG_ENDIAN)
        .interfaceDescription(1, 0).interfaceDescription(229, 0)
        .packet(1, T0 / 1000, frame(48, 9), 48)
        .writeTo(temp.resolve("packet.pcapng"));
    Frame frame = CaptureFileReads.frames(file).get(0);
    assertThat(frame.linkType()).isEqualTo(229);
    assertThat(frame.timeNanos()).isEqualTo(T0 / 1000 * 1000);
    assertThat(frame.bytes()).isEqualTo(frame(48, 9));
  }

  @Test
  void everySectionHasItsOwnByteOrderAndInterfaces() throws Exception {
    Path file = new PcapngWriter()
        .section(ByteOrder.LITTLE_ENDIAN).interfaceDescription(1, 0).interfaceDescription(113, 0)
        .enhancedPacket(1, 1_000_000, frame(60, 1), 60)
        .section(ByteOrder.BIG_ENDIAN).interfaceDescription(101, 0, Option.tsresol(9))
        .enhancedPacket(0, 2_000_000_000L, frame(20, 2), 20)
        .section(ByteOrder.LITTLE_ENDIAN).interfaceDescription(276, 0)
        .enhancedPacket(0, 3_000_000, frame(80, 3), 80)
        .writeTo(temp.resolve("sections.pcapng"));
    List<Frame> frames = CaptureFileReads.frames(file);
    assertThat(frames).extracting(Frame::linkType).containsExactly(113, 101, 276);
    assertThat(frames).extracting(Frame::timeNanos).containsExactly(1_000_000_000L, 2_000_000_000L, 3_000_000_000L);
    assertThat(frames).extracting(Frame::index).containsExactly(1L, 2L, 3L);
  }

  @Test
  void blocksThatCarryNoFrameAreSkippedByTheirLength() throws Exception {
    PcapngWriter writer = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN);
    byte[] junk = frame(37, 5);
    Path file = writer
        .block(PcapngWriter.NAME_RESOLUTION, junk)
        .interfaceDescription(1, 0)
        .block(PcapngWriter.DECRYPTION_SECRETS, junk)
        .enhancedPacket(0, 1, frame(60, 1), 60)
        .block(PcapngWriter.INTERFACE_STATISTICS, junk)
        .block(PcapngWriter.CUSTOM, junk)
        .block(0x40000bad, junk)
        .block(0x7fff_0001, new byte[0])
        .enhancedPacket(0, 2, frame(61, 2), 61)
        .writeTo(temp.resolve("skipped.pcapng"));
    assertThat(CaptureFileReads.frames(file)).extracting(Frame::capturedLength).containsExactly(60, 61);
  }

  @Test
  void theFrameArrayIsReusedAndMayBeLongerThanTheFrame() throws Exception {
    List<byte[]> arrays = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    try (CaptureFileReader reader = CaptureFileReader.open(pcap("reuse.pcap", 1, false))) {
      reader.forEach((i, l, f, c, w, t) -> {
        arrays.add(f);
        lengths.add(f.length);
      });
    }
    assertThat(arrays).hasSize(3).allSatisfy(a -> assertThat(a).isSameAs(arrays.get(0)));
    assertThat(lengths).allSatisfy(length -> assertThat(length).isGreaterThanOrEqualTo(1514));
  }

  @Test
  void aFrameLargerThanTheArrayGrowsIt() throws Exception {
    Path file = new PcapWriter(1, 262144, false)
        .frame(T0, frame(100, 1), 100).frame(T0, frame(200_000, 2), 200_000).frame(T0, frame(100, 3), 100)
        .writeTo(temp.resolve("jumbo.pcap"));
    List<Frame> frames = CaptureFileReads.frames(file);
    assertThat(frames.get(1).bytes()).isEqualTo(frame(200_000, 2));
    assertThat(frames.get(2).bytes()).isEqualTo(frame(100, 3));
  }

  @Test
  void bytesReadFollowsTheFramesAndEndsAtTheFileSize() throws Exception {
    Path file = pcap("progress.pcap", 1, false);
    List<Long> seen = new ArrayList<>();
    try (CaptureFileReader reader = CaptureFileReader.open(file)) {
      assertThat(reader.size()).isEqualTo(Files.size(file));
      reader.forEach((i, l, f, c, w, t) -> seen.add(reader.bytesRead()));
      assertThat(reader.bytesRead()).isEqualTo(Files.size(file));
    }
    // While frame n is delivered, the records before it have been read.
    assertThat(seen).containsExactly(24L, 24L + 16 + 60, 24L + 16 + 60 + 16 + 1514);
  }

  @Test
  void exceptionFromTheConsumerStopsReadingAndPropagates() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    List<Long> seen = new ArrayList<>();
    try (CaptureFileReader reader = CaptureFileReader.open(pcap("boom.pcap", 1, false))) {
      assertThatThrownBy(() -> reader.forEach((i, l, f, c, w, t) -> {
        seen.add(i);
        if (i == 2) throw boom;
      })).isSameAs(boom);
    }
    assertThat(seen).containsExactly(1L, 2L);
  }

  @Test
  void aFileIsReadOnceAndClosedOnce() throws Exception {
    CaptureFileReader reader = CaptureFileReader.open(pcap("once.pcap", 1, false));
    assertThat(reader.forEach((i, l, f, c, w, t) -> {})).isEqualTo(3);
    assertThatThrownBy(() -> reader.forEach((i, l, f, c, w, t) -> {}))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already read");
    reader.close();
    reader.close();
    CaptureFileReader closed = CaptureFileReader.open(pcap("closed.pcap", 1, false));
    closed.close();
    assertThatThrownBy(() -> closed.forEach((i, l, f, c, w, t) -> {}))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void formatIsToldByItsFirstBytesNotItsName() throws Exception {
    Path pcapng = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN).interfaceDescription(1, 0)
        .enhancedPacket(0, 1, frame(60, 0), 60).writeTo(temp.resolve("really-pcapng.pcap"));
    assertThat(CaptureFileReads.frames(pcapng)).hasSize(1);
  }

  @Test
  void smallMappingWindowsReadTheSameFrames() throws Exception {
    Path pcap = pcap("windows.pcap", 1, true);
    Path pcapng = new PcapngWriter().section(ByteOrder.BIG_ENDIAN).interfaceDescription(1, 0, Option.tsresol(9))
        .enhancedPacket(0, T0, frame(1514, 1), 1514).block(PcapngWriter.CUSTOM, new byte[5000])
        .simplePacket(frame(60, 2), 60).enhancedPacket(0, T0 + 1, frame(3, 3), 3)
        .writeTo(temp.resolve("windows.pcapng"));
    for (Path file : List.of(pcap, pcapng)) {
      List<Frame> whole = CaptureFileReads.frames(file);
      for (int window : new int[] {1, 7, 16, 100, 4096}) {
        List<Frame> windowed = CaptureFileReads.frames(file, window);
        CaptureFileReads.assertSameFrames(windowed, whole, "window of " + window + " bytes");
      }
    }
  }

  @Test
  void framesAreCopiedFromTheRightPlace() throws Exception {
    byte[] a = frame(60, 0x10);
    byte[] b = Arrays.copyOf(frame(33, 0x70), 33);
    Path file = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN).interfaceDescription(1, 0)
        .enhancedPacket(0, 1, a, 60).enhancedPacket(0, 2, b, 33).writeTo(temp.resolve("copies.pcapng"));
    List<Frame> frames = CaptureFileReads.frames(file);
    assertThat(frames.get(0).bytes()).isEqualTo(a);
    assertThat(frames.get(1).bytes()).isEqualTo(b);
  }
}

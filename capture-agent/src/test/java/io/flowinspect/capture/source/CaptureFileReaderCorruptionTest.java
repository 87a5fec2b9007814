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
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files: every frame before the damage is delivered, then the exception names the byte
 * offset where the damaged record or block starts and the number of the frame that was not read.
 */
class CaptureFileReaderCorruptionTest {
  @TempDir Path temp;

  /** A record or block of a file: where it starts and ends, and whether it holds a frame. */
  private record Unit(long offset, long end, boolean frame) {}

  private static byte[] frame(int length, int seed) {
    byte[] frame = new byte[length];
    for (int i = 0; i < length; i++) frame[i] = (byte) (seed * 31 + i);
    return frame;
  }

  /** The records of a pcap, or the blocks of a pcapng, found by walking their lengths. */
  private static List<Unit> units(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file);
    List<Unit> units = new ArrayList<>();
    if (b.getInt(0) == PcapngWriter.SECTION_HEADER) {
      for (int at = 0; at < file.length; ) {
        if (b.getInt(at) == PcapngWriter.SECTION_HEADER) {
          b.order(b.getInt(at + 8) == 0x1a2b3c4d ? b.order() : swapped(b.order()));
        }
        int type = b.getInt(at);
        int length = b.getInt(at + 4);
        boolean frame = type == PcapngWriter.ENHANCED_PACKET || type == PcapngWriter.SIMPLE_PACKET
            || type == PcapngWriter.PACKET;
        units.add(new Unit(at, at + length, frame));
        at += length;
      }
    } else {
      int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
      if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) b.order(ByteOrder.BIG_ENDIAN);
      units.add(new Unit(0, 24, false));
      for (int at = 24; at < file.length; at += 16 + b.getInt(at + 8)) {
        units.add(new Unit(at, at + 16 + b.getInt(at + 8), true));
      }
    }
    return units;
  }

  private static ByteOrder swapped(ByteOrder order) {
    return order == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
  }

  /**
   * Cuts the file after every byte of the three records or blocks after its file header, and at random points,
   * and checks each cut against the whole file's frames.
   */
  private void assertEveryCutFailsAfterTheFramesBeforeIt(Path original) throws Exception {
    byte[] bytes = Files.readAllBytes(original);
    List<Unit> units = units(bytes);
    List<Frame> whole = CaptureFileReads.frames(original);
    TreeSet<Integer> cuts = new TreeSet<>();
    int header = (int) units.get(0).end();
    int firstUnits = (int) units.get(Math.min(3, units.size() - 1)).end();
    for (int cut = header; cut <= firstUnits; cut++) cuts.add(cut);
    Random random = new Random(42);
    for (int i = 0; i < 60; i++) cuts.add(header + random.nextInt(bytes.length - header + 1));
    for (int cut : cuts) {
      Path file = Files.write(temp.resolve(original.getFileName() + "-cut-" + cut), Arrays.copyOf(bytes, cut));
      long delivered = units.stream().filter(u -> u.frame() && u.end() <= cut).count();
      Unit damaged = units.stream().filter(u -> u.end() > cut).findFirst().orElse(null);
      CaptureFileReads.Outcome outcome = CaptureFileReads.read(file, MappedFile.DEFAULT_WINDOW);
      String name = file.getFileName().toString();
      CaptureFileReads.assertSameFrames(outcome.frames(), whole.subList(0, (int) delivered), name);
      if (damaged == null || damaged.offset() == cut) {
        assertThat(outcome.failure()).as("a cut between units, at %d", cut).isNull();
      } else {
        assertThat(outcome.failure()).as("a cut inside a unit, at %d", cut).isNotNull();
        assertThat(outcome.failure().getMessage()).as("cut at %d", cut)
            .startsWith(file + ": corrupt at byte offset " + damaged.offset() + " (frame " + (delivered + 1) + "): ")
            .contains("truncated");
      }
    }
  }

  private static Path ownPcap(Path file) throws Exception {
    PcapWriter writer = new PcapWriter(1, 65535, true);
    for (int i = 0; i < 12; i++) writer.frame(1_700_000_000_000_000_000L + i, frame(20 + 37 * i, i), 20 + 37 * i);
    return writer.writeTo(file);
  }

  private static Path ownPcapng(Path file) throws Exception {
    PcapngWriter writer = new PcapngWriter().section(ByteOrder.BIG_ENDIAN)
        .interfaceDescription(1, 0, Option.tsresol(9)).block(PcapngWriter.NAME_RESOLUTION, new byte[13])
        .interfaceDescription(101, 0).simplePacket(frame(21, 0), 21);
    for (int i = 0; i < 10; i++) writer.enhancedPacket(i % 2, 1_000_000 + i, frame(19 + 41 * i, i), 19 + 41 * i);
    return writer.writeTo(file);
  }

  @Test
  void ownPcapCutAnywhereFailsAfterTheFramesBeforeTheCut() throws Exception {
    Path little = ownPcap(temp.resolve("own.pcap"));
    assertEveryCutFailsAfterTheFramesBeforeIt(little);
    Path big = Files.write(temp.resolve("own-big.pcap"), CaptureFileReads.bigEndianPcap(Files.readAllBytes(little)));
    assertEveryCutFailsAfterTheFramesBeforeIt(big);
  }

  @Test
  void ownPcapngCutAnywhereFailsAfterTheFramesBeforeTheCut() throws Exception {
    assertEveryCutFailsAfterTheFramesBeforeIt(ownPcapng(temp.resolve("own.pcapng")));
  }

  @Test
  void realPcapCutAnywhereFailsAfterTheFramesBeforeTheCut() throws Exception {
    assertEveryCutFailsAfterTheFramesBeforeIt(SharedCaptures.file("zeek_http_get.pcap"));
    assertEveryCutFailsAfterTheFramesBeforeIt(SharedCaptures.file("tcpdump_tcp-handshake-nano.pcap"));
  }

  @Test
  void realPcapngCutAnywhereFailsAfterTheFramesBeforeTheCut() throws Exception {
    assertEveryCutFailsAfterTheFramesBeforeIt(SharedCaptures.file("zeek_pcapng-multi-interface.pcapng"));
    assertEveryCutFailsAfterTheFramesBeforeIt(SharedCaptures.file("ppa_tcp_handshake.pcapng"));
  }

  @Test
  void aFileCutInsideItsFileHeaderCannotBeOpened() throws Exception {
    byte[] pcap = Files.readAllBytes(ownPcap(temp.resolve("header.pcap")));
    for (int cut = 4; cut < 24; cut++) {
      Path file = Files.write(temp.resolve("header-" + cut + ".pcap"), Arrays.copyOf(pcap, cut));
      assertThatThrownBy(() -> CaptureFileReader.open(file)).isInstanceOf(CaptureException.class)
          .hasMessage(file + ": corrupt at byte offset 0 (frame 1): truncated pcap file header: " + cut
              + " of 24 bytes");
    }
    byte[] pcapng = Files.readAllBytes(ownPcapng(temp.resolve("header.pcapng")));
    for (int cut = 4; cut < 28; cut++) {
      Path file = Files.write(temp.resolve("header-" + cut + ".pcapng"), Arrays.copyOf(pcapng, cut));
      assertThatThrownBy(() -> CaptureFileReader.open(file)).isInstanceOf(CaptureException.class)
          .hasMessageStartingWith(file + ": corrupt at byte offset 0 (frame 1): truncated");
    }
  }

  @Test
  void aFileThatIsNoCaptureIsRefusedWithItsFirstBytes() throws Exception {
    Path json = Files.writeString(temp.resolve("capture.pcap"), "{\"frames\": []}");
    assertThatThrownBy(() -> CaptureFileReader.open(json)).isInstanceOf(CaptureException.class)
        .hasMessage(json + " is not a pcap or pcapng file (starts with 7B 22 66 72 61 6D 65 73 …)");
    Path shortFile = Files.write(temp.resolve("short.pcap"), new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2});
    assertThatThrownBy(() -> CaptureFileReader.open(shortFile))
        .hasMessage(shortFile + " is not a pcap or pcapng file (starts with D4 C3 B2)");
    Path empty = Files.write(temp.resolve("empty.pcap"), new byte[0]);
    assertThatThrownBy(() -> CaptureFileReader.open(empty))
        .hasMessage(empty + " is not a pcap or pcapng file (it is empty)");
  }

  @Test
  void missingFilesAndDirectoriesCannotBeOpened() {
    Path absent = temp.resolve("absent.pcap");
    assertThatThrownBy(() -> CaptureFileReader.open(absent)).isInstanceOf(CaptureException.class)
        .hasMessage("cannot open " + absent + ": no such file");
    assertThatThrownBy(() -> CaptureFileReader.open(temp)).isInstanceOf(CaptureException.class)
        .hasMessage("cannot open " + temp + ": it is a directory");
  }

  @Test
  void anUnknownPcapMajorVersionIsRefused() throws Exception {
    byte[] bytes = Files.readAllBytes(ownPcap(temp.resolve("v3.pcap")));
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(4, (short) 3).putShort(6, (short) 0);
    Path file = Files.write(temp.resolve("v3-written.pcap"), bytes);
    assertThatThrownBy(() -> CaptureFileReader.open(file))
        .hasMessage(file + ": corrupt at byte offset 0 (frame 1): pcap version 3.0, only 2.x is read");
  }

  /** Writes a pcap whose third record has its header fields replaced; returns that record's offset. */
  private long pcapWithThirdRecord(Path file, int snapLength, boolean nanos, int fraction, int captured)
      throws Exception {
    PcapWriter writer = new PcapWriter(1, snapLength, nanos);
    for (int i = 0; i < 5; i++) writer.frame(1_000_000_000L * (i + 1), frame(60, i), 60);
    writer.writeTo(file);
    byte[] bytes = Files.readAllBytes(file);
    int third = 24 + 2 * (16 + 60);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(third + 4, fraction).putInt(third + 8, captured);
    Files.write(file, bytes);
    return third;
  }

  private static void assertCorruptAfterTwoFrames(Path file, long offset, String what) throws Exception {
    CaptureFileReads.Outcome outcome = CaptureFileReads.read(file, MappedFile.DEFAULT_WINDOW);
    assertThat(outcome.frames()).hasSize(2);
    assertThat(outcome.failure()).isNotNull();
    assertThat(outcome.failure()).hasMessage(file + ": corrupt at byte offset " + offset + " (frame 3): " + what);
  }

  @Test
  void anAbsurdCapturedLengthIsCorruptionNotAnOutOfMemoryError() throws Exception {
    Path file = temp.resolve("absurd.pcap");
    long offset = pcapWithThirdRecord(file, 65535, false, 0, 0x8000_0000);
    assertCorruptAfterTwoFrames(file, offset,
        "captured length 2147483648 exceeds the largest a frame may have here (262144 bytes)");

    Path unlimited = temp.resolve("unlimited-snap.pcap");
    offset = pcapWithThirdRecord(unlimited, -1, false, 0, 0x7fff_fff0);
    assertCorruptAfterTwoFrames(unlimited, offset,
        "captured length 2147483632 exceeds the largest a frame may have here (134217728 bytes)");
  }

  @Test
  void aCapturedLengthPastTheEndOfTheFileIsTruncation() throws Exception {
    Path file = temp.resolve("past-end.pcap");
    long offset = pcapWithThirdRecord(file, 65535, false, 0, 100_000);
    long left = Files.size(file) - offset - 16;
    assertCorruptAfterTwoFrames(file, offset, "truncated record: 100000 captured bytes, " + left + " left in the file");
  }

  @Test
  void aTimestampFractionOfASecondOrMoreIsCorrupt() throws Exception {
    Path micro = temp.resolve("micro.pcap");
    long offset = pcapWithThirdRecord(micro, 65535, false, 1_000_000, 60);
    assertCorruptAfterTwoFrames(micro, offset, "timestamp fraction 1000000 µs is a second or more");
    Path nano = temp.resolve("nano.pcap");
    offset = pcapWithThirdRecord(nano, 65535, true, -1, 60);
    assertCorruptAfterTwoFrames(nano, offset, "timestamp fraction 4294967295 ns is a second or more");
    Path justUnder = temp.resolve("just-under.pcap");
    pcapWithThirdRecord(justUnder, 65535, true, 999_999_999, 60);
    assertThat(CaptureFileReads.frames(justUnder).get(2).timeNanos()).isEqualTo(3_999_999_999L);
  }

  /** Two good frames on interface 0, then {@code damaged}; returns the damaged block's offset. */
  private static long pcapngWithThirdBlock(Path file, PcapngWriter damaged) throws Exception {
    PcapngWriter writer = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN).interfaceDescription(1, 1000)
        .enhancedPacket(0, 1, frame(60, 1), 60).enhancedPacket(0, 2, frame(60, 2), 60);
    long offset = writer.size();
    writer.raw(damaged.bytes()).enhancedPacket(0, 3, frame(60, 3), 60).writeTo(file);
    return offset;
  }

  private static PcapngWriter block() {
    return new PcapngWriter();
  }

  private static byte[] ints(ByteOrder order, int... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
    for (int v : values) b.putInt(v);
    return b.array();
  }

  @Test
  void pcapngBlockLengthsAreCheckedAtBothEnds() throws Exception {
    ByteOrder le = ByteOrder.LITTLE_ENDIAN;
    Object[][] cases = {
        {ints(le, 99, 8, 8), "block length 8, less than the 12 bytes of any block"},
        {ints(le, 99, 18, 0, 0, 18), "block length 18 is not a multiple of 4"},
        {ints(le, 99, 20, 0, 0, 24), "block length 20 at its start but 24 at its end"},
        {ints(le, 99, 0xffff_fff0, 0, 0), "truncated block: 4294967280 bytes long, "},
    };
    for (Object[] c : cases) {
      Path file = temp.resolve("length-" + Arrays.toString((byte[]) c[0]).hashCode() + ".pcapng");
      long offset = pcapngWithThirdBlock(file, block().raw((byte[]) c[0]));
      CaptureFileReads.Outcome outcome = CaptureFileReads.read(file, MappedFile.DEFAULT_WINDOW);
      assertThat(outcome.frames()).hasSize(2);
      assertThat(outcome.failure().getMessage())
          .startsWith(file + ": corrupt at byte offset " + offset + " (frame 3): " + c[1]);
    }
  }

  @Test
  void pcapngPacketBlocksAreCheckedAgainstTheirInterfaceAndTheirLength() throws Exception {
    ByteOrder le = ByteOrder.LITTLE_ENDIAN;
    Object[][] cases = {
        {block().enhancedPacket(1, 3, frame(60, 3), 60),
            "interface 1 is not described: the section has 1 interface so far"},
        {block().packet(7, 3, frame(60, 3), 60), "interface 7 is not described: the section has 1 interface so far"},
        {block().raw(ints(le, 6, 36, 0, 0, 0, 61, 61, 0, 36)),
            "captured length 61 does not fit in a block of 36 bytes"},
        {block().raw(ints(le, 6, 28, 0, 0, 0, 0, 28)), "enhanced packet block of 28 bytes, shorter than its 32 bytes"},
        {block().raw(ints(le, 3, 12, 12)), "simple packet block of 12 bytes, shorter than its 16 bytes"},
        {block().simplePacket(frame(60, 3), 64), "simple packet block of 76 bytes cannot hold its 64 captured bytes"},
        {block().enhancedPacket(0, 3, frame(262_145, 3), 262_145),
            "captured length 262145 exceeds the largest a frame of interface 0 may have (262144 bytes)"},
    };
    for (int i = 0; i < cases.length; i++) {
      Path file = temp.resolve("packet-" + i + ".pcapng");
      long offset = pcapngWithThirdBlock(file, (PcapngWriter) cases[i][0]);
      CaptureFileReads.Outcome outcome = CaptureFileReads.read(file, MappedFile.DEFAULT_WINDOW);
      assertThat(outcome.frames()).as("case %d", i).hasSize(2);
      assertThat(outcome.failure()).as("case %d", i).isNotNull();
      assertThat(outcome.failure().getMessage()).as("case %d", i)
          .startsWith(file + ": corrupt at byte offset " + offset + " (frame 3): " + cases[i][1]);
    }
  }

  @Test
  void frameLongerThanItsInterfacesSnapLengthButWithinLibpcapsDefaultIsRead() throws Exception {
    Path file = temp.resolve("snap.pcapng");
    pcapngWithThirdBlock(file, block().enhancedPacket(0, 3, frame(262_144, 3), 262_144));
    assertThat(CaptureFileReads.frames(file).get(2).capturedLength()).isEqualTo(262_144);
  }

  @Test
  void pcapngPacketsBeforeAnyInterfaceAreCorrupt() throws Exception {
    PcapngWriter writer = new PcapngWriter().section(ByteOrder.BIG_ENDIAN);
    long offset = writer.size();
    Path simple = writer.simplePacket(frame(60, 0), 60).writeTo(temp.resolve("simple-first.pcapng"));
    assertThatThrownBy(() -> CaptureFileReads.frames(simple))
        .hasMessage(simple + ": corrupt at byte offset " + offset + " (frame 1): interface 0 is not described: "
            + "the section has 0 interfaces so far");
  }

  @Test
  void aNewSectionForgetsTheInterfacesOfTheOneBefore() throws Exception {
    PcapngWriter writer = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN).interfaceDescription(1, 0)
        .interfaceDescription(1, 0).enhancedPacket(1, 1, frame(60, 1), 60)
        .section(ByteOrder.BIG_ENDIAN).interfaceDescription(1, 0);
    long offset = writer.size();
    Path file = writer.enhancedPacket(1, 2, frame(60, 2), 60).writeTo(temp.resolve("forgotten.pcapng"));
    CaptureFileReads.Outcome outcome = CaptureFileReads.read(file, MappedFile.DEFAULT_WINDOW);
    assertThat(outcome.frames()).hasSize(1);
    assertThat(outcome.failure().getMessage()).isEqualTo(file + ": corrupt at byte offset " + offset
        + " (frame 2): interface 1 is not described: the section has 1 interface so far");
  }

  @Test
  void aSectionHeaderWithABadByteOrderMagicOrVersionIsCorrupt() throws Exception {
    Path badMagic = temp.resolve("magic.pcapng");
    long offset = pcapngWithThirdBlock(badMagic, block().raw(ints(ByteOrder.BIG_ENDIAN, 0x0a0d0d0a, 28, 0x1a2b3c4e,
        0x00010000, 0, 0, 28)));
    assertThat(CaptureFileReads.read(badMagic, MappedFile.DEFAULT_WINDOW).failure()).hasMessage(badMagic
        + ": corrupt at byte offset " + offset + " (frame 3): byte-order magic 1A 2B 3C 4E in a section header block,"
        + " expected 1A 2B 3C 4D or 4D 3C 2B 1A");

    Path version = temp.resolve("version.pcapng");
    offset = pcapngWithThirdBlock(version, block().section(ByteOrder.BIG_ENDIAN, 2, 0));
    assertThat(CaptureFileReads.read(version, MappedFile.DEFAULT_WINDOW).failure()).hasMessage(version
        + ": corrupt at byte offset " + offset + " (frame 3): pcapng version 2.0, only 1.x is read");

    Path first = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN, 2, 1).writeTo(temp.resolve("first.pcapng"));
    assertThatThrownBy(() -> CaptureFileReader.open(first))
        .hasMessage(first + ": corrupt at byte offset 0 (frame 1): pcapng version 2.1, only 1.x is read");
  }

  @Test
  void interfaceOptionsAreChecked() throws Exception {
    Object[][] cases = {
        {new Option(9, new byte[] {6, 6}), "if_tsresol of 2 bytes, not 1"},
        {new Option(14, new byte[4]), "if_tsoffset of 4 bytes, not 8"},
        {PcapngWriter.Option.tsoffset(Long.MAX_VALUE / 100), "if_tsoffset of 92233720368547758 seconds is beyond"},
    };
    for (int i = 0; i < cases.length; i++) {
      Path file = temp.resolve("option-" + i + ".pcapng");
      long offset = pcapngWithThirdBlock(file, block().interfaceDescription(1, 0, (Option) cases[i][0]));
      assertThat(CaptureFileReads.read(file, MappedFile.DEFAULT_WINDOW).failure().getMessage()).as("case %d", i)
          .startsWith(file + ": corrupt at byte offset " + offset + " (frame 3): " + cases[i][1]);
    }
    Path overrun = temp.resolve("overrun.pcapng");
    long offset = pcapngWithThirdBlock(overrun, block().raw(ints(ByteOrder.LITTLE_ENDIAN, 1, 28, 1, 0, 0x0040_0002,
        0, 28)));
    assertThat(CaptureFileReads.read(overrun, MappedFile.DEFAULT_WINDOW).failure()).hasMessage(overrun
        + ": corrupt at byte offset " + offset + " (frame 3): option 2 of 64 bytes runs past the end of its "
        + "interface description block");
  }

  @Test
  void aTimestampBeyondWhatNanosecondsCanCountIsCorrupt() throws Exception {
    PcapngWriter writer = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN)
        .interfaceDescription(1, 0, Option.tsresol(3)).enhancedPacket(0, 1, frame(60, 1), 60);
    long offset = writer.size();
    Path file = writer.enhancedPacket(0, 9_300_000_000_000L, frame(60, 2), 60).writeTo(temp.resolve("future.pcapng"));
    CaptureFileReads.Outcome outcome = CaptureFileReads.read(file, MappedFile.DEFAULT_WINDOW);
    assertThat(outcome.frames()).hasSize(1);
    assertThat(outcome.failure()).hasMessage(file + ": corrupt at byte offset " + offset
        + " (frame 2): timestamp of 9300000000000 units of 10^-3 s is beyond the years 1677 to 2262");
  }

  @Test
  void bytesReadStopsAtTheDamagedRecord() throws Exception {
    Path file = temp.resolve("progress.pcap");
    long offset = pcapWithThirdRecord(file, 65535, false, 0, 0x8000_0000);
    try (CaptureFileReader reader = CaptureFileReader.open(file)) {
      assertThatThrownBy(() -> reader.forEach((i, l, f, c, w, t) -> {})).isInstanceOf(CaptureException.class);
      assertThat(reader.bytesRead()).isEqualTo(offset);
    }
  }
}

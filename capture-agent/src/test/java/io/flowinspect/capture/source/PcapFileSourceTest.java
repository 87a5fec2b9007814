package io.flowinspect.capture.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowinspect.capture.source.SharedCaptures.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapFileSourceTest {
  static {
    SharedCaptures.quietPcap4j();
  }

  @TempDir Path temp;

  private static void assertMatchesFile(List<Frame> frames, Path file) throws IOException {
    List<CaptureFileRecords.Record> records = CaptureFileRecords.read(file);
    assertThat(frames).hasSameSizeAs(records);
    for (int i = 0; i < frames.size(); i++) {
      Frame frame = frames.get(i);
      CaptureFileRecords.Record record = records.get(i);
      assertThat(frame.index()).isEqualTo(i + 1);
      assertThat(frame.timeNanos()).as("time of frame %d", i + 1).isEqualTo(record.timeNanos());
      assertThat(frame.capturedLength()).isEqualTo(record.capturedLength()).isEqualTo(frame.bytes().length);
      assertThat(frame.wireLength()).isEqualTo(record.wireLength());
    }
  }

  @Test
  void readsAMicrosecondPcap() throws Exception {
    Path file = SharedCaptures.file("zeek_http_get.pcap");
    List<Frame> frames = SharedCaptures.frames(file);
    assertThat(frames).hasSize(14);
    assertThat(frames).allMatch(f -> f.linkType() == 1);
    assertThat(frames).allMatch(f -> f.timeNanos() % 1000 == 0);
    assertMatchesFile(frames, file);
  }

  @Test
  void readsANanosecondPcapWithItsNanoseconds() throws Exception {
    Path file = SharedCaptures.file("tcpdump_tcp-handshake-nano.pcap");
    List<Frame> frames = SharedCaptures.frames(file);
    assertThat(frames).hasSize(3);
    assertThat(frames.get(0).linkType()).isEqualTo(113);
    assertThat(frames.get(0).timeNanos()).isEqualTo(1_418_145_369_924_505_488L);
    assertMatchesFile(frames, file);
  }

  @Test
  void readsPcapng() throws Exception {
    Path file = SharedCaptures.file("ppa_tcp_handshake.pcapng");
    List<Frame> frames = SharedCaptures.frames(file);
    assertThat(frames).hasSize(3);
    assertThat(frames.get(0).timeNanos()).isEqualTo(1_262_893_114_341_715_000L);
    assertMatchesFile(frames, file);
  }

  @Test
  void readsAnEmptyPcapngAsNoFrames() throws Exception {
    try (PcapFileSource source = PcapFileSource.open(SharedCaptures.file("tcpdump_empty.pcapng"))) {
      assertThat(source.linkType()).isEqualTo(1);
      assertThat(source.forEach((i, l, f, c, w, t) -> {
        throw new AssertionError("no frame expected");
      })).isZero();
    }
  }

  @Test
  void deliversTheWireLengthOfFramesCutByTheSnapLength() throws Exception {
    Path file = SharedCaptures.file("zeek_tcp_truncated-header.pcap");
    List<Frame> frames = SharedCaptures.frames(file);
    assertThat(frames).anyMatch(f -> f.wireLength() > f.capturedLength());
    assertMatchesFile(frames, file);
  }

  @Test
  void readsEveryLinkTypeOfTheSharedCaptures() throws Exception {
    List<Integer> linkTypes = new ArrayList<>();
    for (String name : List.of("zeek_linux_dlt_sll2.pcap", "tcpdump_LINKTYPE_RAW_ipv4.pcap",
        "tcpdump_LINKTYPE_IPV4.pcap", "tcpdump_LINKTYPE_IPV6.pcap")) {
      try (PcapFileSource source = PcapFileSource.open(SharedCaptures.file(name))) {
        linkTypes.add(source.linkType());
      }
    }
    // libpcap reports LINKTYPE_RAW (101) as DLT_RAW (12).
    assertThat(linkTypes).containsExactly(276, 12, 228, 229);
  }

  @Test
  void fileCutInsideAFrameFailsAfterDeliveringTheFramesBeforeIt() throws Exception {
    Path original = SharedCaptures.file("zeek_http_get.pcap");
    List<CaptureFileRecords.Record> records = CaptureFileRecords.read(original);
    CaptureFileRecords.Record sixth = records.get(5);
    byte[] bytes = Files.readAllBytes(original);
    Path cut = Files.write(temp.resolve("cut.pcap"), Arrays.copyOf(bytes, (int) sixth.offset() + 16 + 10));

    List<Frame> delivered = new ArrayList<>();
    try (PcapFileSource source = PcapFileSource.open(cut)) {
      assertThatThrownBy(() -> source.forEach((i, l, f, c, w, t) -> delivered.add(new Frame(i, l, f, c, w, t))))
          .isInstanceOf(CaptureException.class)
          .hasMessageContaining("cut.pcap")
          .hasMessageContaining("corrupt after frame 5")
          .hasMessageContaining("at byte offset " + sixth.offset() + ": truncated dump file");
    }
    List<Frame> expected = SharedCaptures.frames(original).subList(0, 5);
    assertThat(delivered).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(delivered.get(i).bytes()).isEqualTo(expected.get(i).bytes());
      assertThat(delivered.get(i).timeNanos()).isEqualTo(expected.get(i).timeNanos());
    }
  }

  @Test
  void fileCutInsideARecordHeaderFailsAfterTheLastWholeFrame() throws Exception {
    Path original = SharedCaptures.file("zeek_http_get.pcap");
    long offset = CaptureFileRecords.read(original).get(3).offset();
    Path cut = Files.write(temp.resolve("header.pcap"), Arrays.copyOf(Files.readAllBytes(original), (int) offset + 7));
    long[] count = {0};
    try (PcapFileSource source = PcapFileSource.open(cut)) {
      assertThatThrownBy(() -> source.forEach((i, l, f, c, w, t) -> count[0]++))
          .isInstanceOf(CaptureException.class)
          .hasMessageContaining("corrupt after frame 3 at byte offset " + offset);
    }
    assertThat(count[0]).isEqualTo(3);
  }

  @Test
  void pcapngCutInsideABlockFailsAfterDeliveringTheBlocksBeforeIt() throws Exception {
    Path original = SharedCaptures.file("zeek_tcp_http-on-irc-port-missing-syn.pcapng");
    CaptureFileRecords.Record fourth = CaptureFileRecords.read(original).get(3);
    Path cut = Files.write(temp.resolve("cut.pcapng"),
        Arrays.copyOf(Files.readAllBytes(original), (int) fourth.offset() + 40));
    long[] count = {0};
    try (PcapFileSource source = PcapFileSource.open(cut)) {
      assertThatThrownBy(() -> source.forEach((i, l, f, c, w, t) -> count[0]++))
          .isInstanceOf(CaptureException.class)
          .hasMessageStartingWith(cut + ": corrupt after frame 3: ")
          .hasMessageContaining("truncated");
    }
    assertThat(count[0]).isEqualTo(3);
  }

  @Test
  void generatedCaptureRoundTripsLengthsAndTimes() throws Exception {
    byte[] frame = new byte[100];
    for (int i = 0; i < frame.length; i++) frame[i] = (byte) i;
    Path file = new PcapWriter(1, 64, true)
        .frame(1_700_000_000_000_000_001L, Arrays.copyOf(frame, 64), 100)
        .frame(1_700_000_001_999_999_999L, Arrays.copyOf(frame, 42), 42)
        .writeTo(temp.resolve("generated.pcap"));
    List<Frame> frames = SharedCapturesFree.frames(file);
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0).timeNanos()).isEqualTo(1_700_000_000_000_000_001L);
    assertThat(frames.get(0).capturedLength()).isEqualTo(64);
    assertThat(frames.get(0).wireLength()).isEqualTo(100);
    assertThat(frames.get(0).bytes()).isEqualTo(Arrays.copyOf(frame, 64));
    assertThat(frames.get(1).timeNanos()).isEqualTo(1_700_000_001_999_999_999L);
    assertThat(frames.get(1).wireLength()).isEqualTo(42);
  }

  @Test
  void microsecondCaptureIsScaledToNanoseconds() throws Exception {
    Path file = new PcapWriter(101, 65535, false)
        .frame(1_262_893_114_341_715_000L, new byte[] {0x45}, 1)
        .writeTo(temp.resolve("micro.pcap"));
    List<Frame> frames = SharedCapturesFree.frames(file);
    assertThat(frames.get(0).timeNanos()).isEqualTo(1_262_893_114_341_715_000L);
    assertThat(frames.get(0).linkType()).isEqualTo(12);
  }

  @Test
  void exceptionFromTheConsumerStopsReadingAndPropagates() throws Exception {
    Path file = new PcapWriter(1, 65535, false)
        .frame(1_000_000_000L, new byte[60], 60)
        .frame(2_000_000_000L, new byte[60], 60)
        .frame(3_000_000_000L, new byte[60], 60)
        .writeTo(temp.resolve("three.pcap"));
    IllegalStateException boom = new IllegalStateException("boom");
    List<Long> seen = new ArrayList<>();
    try (PcapFileSource source = PcapFileSource.open(file)) {
      assertThatThrownBy(() -> source.forEach((i, l, f, c, w, t) -> {
        seen.add(i);
        if (i == 2) throw boom;
      })).isSameAs(boom);
    }
    assertThat(seen).containsExactly(1L, 2L);
  }

  @Test
  void aFileIsReadOnceAndClosedOnce() throws Exception {
    Path file = new PcapWriter(1, 65535, false).frame(1_000_000_000L, new byte[60], 60).writeTo(temp.resolve("one.pcap"));
    PcapFileSource source = PcapFileSource.open(file);
    assertThat(source.forEach((i, l, f, c, w, t) -> {})).isEqualTo(1);
    assertThatThrownBy(() -> source.forEach((i, l, f, c, w, t) -> {})).isInstanceOf(IllegalStateException.class);
    source.close();
    source.close();
  }

  @Test
  void missingOrForeignFilesCannotBeOpened() throws Exception {
    assertThatThrownBy(() -> PcapFileSource.open(temp.resolve("absent.pcap")))
        .isInstanceOf(CaptureException.class)
        .hasMessageContaining("absent.pcap");
    Path text = Files.writeString(temp.resolve("notes.pcap"), "this is not a capture file at all");
    assertThatThrownBy(() -> PcapFileSource.open(text))
        .isInstanceOf(CaptureException.class)
        .hasMessageStartingWith("cannot open " + text);
  }

  /** Frames of a file the test wrote itself: needs no shared directory. */
  private static final class SharedCapturesFree {
    static List<Frame> frames(Path file) throws CaptureException {
      List<Frame> frames = new ArrayList<>();
      try (PcapFileSource source = PcapFileSource.open(file)) {
        source.forEach((i, l, f, c, w, t) -> frames.add(new Frame(i, l, f, c, w, t)));
      }
      return frames;
    }
  }
}

package io.flowinspect.capture.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.decode.FrameDecoder;
import io.flowinspect.capture.decode.SkipReason;
import io.flowinspect.capture.source.SharedCaptures.Frame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every real capture of ../shared/pcaps reads as libpcap (through PcapFileSource) reads it: same
 * frames, bytes, lengths, times and link types, up to the two documented differences.
 */
class CaptureFileReaderLibpcapAgreementTest {
  static {
    SharedCaptures.quietPcap4j();
  }

  /** The number libpcap reports for a LINKTYPE_ value: it maps LINKTYPE_RAW (101) to DLT_RAW (12). */
  private static int asLibpcapReportsIt(int linkType) {
    return linkType == 101 ? 12 : linkType;
  }

  /** The snap length of a classic pcap's file header, -1 for pcapng. */
  private static long pcapSnapLength(Path file) throws Exception {
    ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(file), 0, 24);
    int magic = header.getInt(0);
    if (magic == PcapngWriter.SECTION_HEADER) return -1;
    if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) header.order(ByteOrder.LITTLE_ENDIAN);
    return Integer.toUnsignedLong(header.getInt(16));
  }

  private static List<SkipReason> decoded(List<Frame> frames, boolean reuseOneArray) {
    FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
    DecodedPacket out = new DecodedPacket();
    byte[] shared = new byte[300_000];
    List<SkipReason> reasons = new ArrayList<>();
    for (Frame f : frames) {
      byte[] bytes = f.bytes();
      if (reuseOneArray) {
        // As CaptureFileReader hands frames over: in a longer array holding stale bytes after the frame.
        Arrays.fill(shared, (byte) 0x5a);
        System.arraycopy(bytes, 0, shared, 0, f.capturedLength());
        bytes = shared;
      }
      reasons.add(decoder.decode(f.linkType(), bytes, f.capturedLength(), f.wireLength(), f.timeNanos(), out));
    }
    return reasons;
  }

  private static void assertReadsAsLibpcap(Path file) throws Exception {
    List<Frame> libpcap = SharedCaptures.frames(file);
    List<Frame> ours = CaptureFileReads.frames(file);
    long snapLength = pcapSnapLength(file);
    assertThat(ours).hasSameSizeAs(libpcap);
    for (int i = 0; i < ours.size(); i++) {
      Frame our = ours.get(i);
      Frame their = libpcap.get(i);
      String frame = file.getFileName() + " frame " + (i + 1);
      assertThat(our.index()).as(frame).isEqualTo(their.index());
      assertThat(asLibpcapReportsIt(our.linkType())).as("link type of %s", frame).isEqualTo(their.linkType());
      assertThat(our.timeNanos()).as("time of %s", frame).isEqualTo(their.timeNanos());
      assertThat(our.wireLength()).as("wire length of %s", frame).isEqualTo(their.wireLength());
      if (our.capturedLength() > their.capturedLength()) {
        // libpcap cuts a frame longer than the file's snap length to it; the rest is in the file.
        assertThat((long) their.capturedLength()).as("libpcap's cut of %s", frame).isEqualTo(snapLength);
        assertThat(our.bytes()).as(frame).startsWith(their.bytes());
      } else {
        assertThat(our.capturedLength()).as("captured length of %s", frame).isEqualTo(their.capturedLength());
        assertThat(our.bytes()).as("bytes of %s", frame).isEqualTo(their.bytes());
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everySharedCaptureReadsAsLibpcapReadsIt() {
    return SharedCaptures.all().stream()
        .map(file -> dynamicTest(file.getFileName().toString(), () -> assertReadsAsLibpcap(file)));
  }

  @TestFactory
  Stream<DynamicTest> everySharedCaptureDecodesAsItsLibpcapReading() {
    return SharedCaptures.all().stream().map(file -> dynamicTest(file.getFileName().toString(), () -> {
      List<Frame> ours = CaptureFileReads.frames(file);
      assertThat(decoded(ours, true)).isEqualTo(decoded(SharedCaptures.frames(file), false));
    }));
  }

  @Test
  void rawIpReportsLinktypeRawWhereLibpcapReportsDltRawAndBothDecode() throws Exception {
    Path file = SharedCaptures.file("tcpdump_LINKTYPE_RAW_ipv4.pcap");
    List<Frame> ours = CaptureFileReads.frames(file);
    assertThat(ours).extracting(Frame::linkType).containsOnly(101);
    assertThat(SharedCaptures.frames(file)).extracting(Frame::linkType).containsOnly(12);
    assertThat(decoded(ours, true)).containsOnlyNulls();
  }

  @Test
  void aFrameLongerThanItsFilesSnapLengthIsDeliveredWholeWhereLibpcapCutsIt() throws Exception {
    // The file says snap length 1 and holds an 8-byte record.
    Path file = SharedCaptures.file("zeek_trunc_trunc-hdr.pcap");
    assertThat(pcapSnapLength(file)).isEqualTo(1);
    assertThat(CaptureFileReads.frames(file)).extracting(Frame::capturedLength).containsExactly(8);
    assertThat(SharedCaptures.frames(file)).extracting(Frame::capturedLength).containsExactly(1);
  }

  @Test
  void linkTypeFieldWithFcsBitsReadsAsItsLowSixteenBits() throws Exception {
    // Its LinkType field is 0x30000001: a fuzzed FCS length above Ethernet.
    Path file = SharedCaptures.file("tcpdump_tcp_header_heapoverflow.pcap");
    assertThat(CaptureFileReads.frames(file)).extracting(Frame::linkType).containsExactly(1);
  }

  @Test
  void pcapngWithInterfacesOfDifferentTimestampUnitsReadsBoth() throws Exception {
    // Interface 0 counts nanoseconds (if_tsresol 9), interface 1 microseconds (6).
    List<Frame> frames = CaptureFileReads.frames(SharedCaptures.file("zeek_pcapng-multi-interface.pcapng"));
    assertThat(frames).hasSize(6);
    assertThat(frames).anyMatch(f -> f.timeNanos() % 1000 != 0);
  }
}

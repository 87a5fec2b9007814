package io.flowinspect.capture.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.capture.source.SharedCaptures.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads files with CaptureFileReader into copies of their frames, for tests. */
final class CaptureFileReads {
  /** The frames delivered, and the exception that ended the reading, if any. */
  record Outcome(List<Frame> frames, CaptureException failure) {}

  private CaptureFileReads() {}

  static List<Frame> frames(Path file) throws CaptureException {
    return frames(file, MappedFile.DEFAULT_WINDOW);
  }

  static List<Frame> frames(Path file, int window) throws CaptureException {
    Outcome outcome = read(file, window);
    if (outcome.failure() != null) throw outcome.failure();
    return outcome.frames();
  }

  /** Opening must succeed; what reading throws is kept. */
  static Outcome read(Path file, int window) throws CaptureException {
    List<Frame> frames = new ArrayList<>();
    try (CaptureFileReader reader = CaptureFileReader.open(file, window)) {
      long count = reader.forEach((i, l, f, c, w, t) -> frames.add(new Frame(i, l, Arrays.copyOf(f, c), c, w, t)));
      if (count != frames.size()) throw new AssertionError("forEach returned " + count + " for " + frames.size());
      return new Outcome(frames, null);
    } catch (CaptureException e) {
      if (!e.getMessage().contains(": corrupt at byte offset ")) throw e;
      return new Outcome(frames, e);
    }
  }

  /** The same pcap in big-endian order: every header field byte-swapped, the frames as they were. */
  static byte[] bigEndianPcap(byte[] littleEndian) {
    ByteBuffer in = ByteBuffer.wrap(littleEndian).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out = ByteBuffer.wrap(littleEndian.clone()).order(ByteOrder.BIG_ENDIAN);
    out.putInt(0, in.getInt(0)).putShort(4, in.getShort(4)).putShort(6, in.getShort(6));
    for (int at = 8; at < 24; at += 4) out.putInt(at, in.getInt(at));
    for (int at = 24; at + 16 <= littleEndian.length; at += 16 + in.getInt(at + 8)) {
      for (int field = at; field < at + 16; field += 4) out.putInt(field, in.getInt(field));
    }
    return out.array();
  }

  /** Same frames, field by field and byte by byte; a failure names the first frame that differs. */
  static void assertSameFrames(List<Frame> actual, List<Frame> expected, String what) {
    assertThat(actual).as("frames of %s", what).hasSameSizeAs(expected);
    for (int i = 0; i < actual.size(); i++) {
      Frame a = actual.get(i);
      Frame e = expected.get(i);
      assertThat(List.of(a.index(), a.linkType(), a.capturedLength(), a.wireLength(), a.timeNanos()))
          .as("%s frame %d: index, link type, captured and wire lengths, time", what, i + 1)
          .isEqualTo(List.of(e.index(), e.linkType(), e.capturedLength(), e.wireLength(), e.timeNanos()));
      assertThat(a.bytes()).as("%s frame %d", what, i + 1).isEqualTo(e.bytes());
    }
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

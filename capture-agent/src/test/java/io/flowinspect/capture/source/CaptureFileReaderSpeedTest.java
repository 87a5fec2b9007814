package io.flowinspect.capture.source;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Frames per second of CaptureFileReader and of PcapFileSource (libpcap) reading the largest shared
 * capture with a trivial consumer. Prints, asserts nothing: run it on purpose with
 * {@code -Dflowinspect.speed=true -Dtest=CaptureFileReaderSpeedTest}.
 */
class CaptureFileReaderSpeedTest {
  static {
    SharedCaptures.quietPcap4j();
  }

  private static final int ROUNDS = 15;

  private long checksum;

  private interface Reading {
    long frames(Path file) throws CaptureException;
  }

  /** The best of several rounds, after a warm-up round: how fast the reader can go, not the JIT. */
  private double framesPerSecond(Path file, Reading reading) throws CaptureException {
    reading.frames(file);
    double best = 0;
    for (int round = 0; round < ROUNDS; round++) {
      long started = System.nanoTime();
      long frames = reading.frames(file);
      best = Math.max(best, frames / ((System.nanoTime() - started) / 1e9));
    }
    return best;
  }

  @Test
  void readersFramesPerSecondOnTheLargestSharedCapture() throws Exception {
    assumeTrue(Boolean.getBoolean("flowinspect.speed"), "speed is measured on request: -Dflowinspect.speed=true");
    Path file = SharedCaptures.file("zeek_echo-connections.pcap");
    double ours = framesPerSecond(file, f -> {
      try (CaptureFileReader reader = CaptureFileReader.open(f)) {
        return reader.forEach((i, l, frame, c, w, t) -> checksum += frame[c - 1] + t);
      }
    });
    double libpcap = framesPerSecond(file, f -> {
      try (PcapFileSource source = PcapFileSource.open(f)) {
        return source.forEach((i, l, frame, c, w, t) -> checksum += frame[c - 1] + t);
      }
    });
    System.out.printf("%s: CaptureFileReader %.2f M frames/s, PcapFileSource (libpcap) %.2f M frames/s (%.1fx)%n",
        file.getFileName(), ours / 1e6, libpcap / 1e6, ours / libpcap);
  }
}

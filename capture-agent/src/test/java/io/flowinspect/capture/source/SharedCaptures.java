package io.flowinspect.capture.source;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real captures of ../shared/pcaps, found through the system property the build sets. Tests
 * that need them are skipped, not failed, where the directory is absent.
 */
public final class SharedCaptures {
  /** One frame as PcapFileSource delivered it. */
  public record Frame(long index, int linkType, byte[] bytes, int capturedLength, int wireLength, long timeNanos) {}

  static {
    quietPcap4j();
  }

  private SharedCaptures() {}

  /**
   * pcap4j logs every file opened and closed at INFO; slf4j-simple reads a logger's level from
   * the system properties when the logger is created, so this must run before pcap4j loads.
   */
  public static void quietPcap4j() {
    System.setProperty("org.slf4j.simpleLogger.log.org.pcap4j", "warn");
  }

  /** Whether the shared captures are there, for tests that can also run without them. */
  public static boolean present() {
    String shared = System.getProperty("flowinspect.shared.dir");
    return shared != null && Files.isDirectory(Path.of(shared, "pcaps"));
  }

  public static Path directory() {
    String shared = System.getProperty("flowinspect.shared.dir");
    Path pcaps = shared == null ? null : Path.of(shared, "pcaps");
    assumeTrue(pcaps != null && Files.isDirectory(pcaps),
        "shared captures not found (flowinspect.shared.dir=" + shared + "): tests on real captures skipped");
    return pcaps;
  }

  public static Path file(String name) {
    Path file = directory().resolve(name);
    assumeTrue(Files.isRegularFile(file), "shared capture " + name + " is missing");
    return file;
  }

  /** Every .pcap and .pcapng file, by name. */
  public static List<Path> all() {
    try (Stream<Path> files = Files.list(directory())) {
      return files.filter(f -> f.toString().endsWith(".pcap") || f.toString().endsWith(".pcapng")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The kernel oracle's verdicts for a capture, or null when there are none. */
  public static Path oracle(Path capture) {
    String name = capture.getFileName().toString();
    Path tsv = capture.resolveSibling("oracle").resolve(name.substring(0, name.lastIndexOf('.')) + ".tsv");
    return Files.isRegularFile(tsv) ? tsv : null;
  }

  public static List<Frame> frames(Path capture) throws CaptureException {
    List<Frame> frames = new ArrayList<>();
    try (PcapFileSource source = PcapFileSource.open(capture)) {
      source.forEach((index, linkType, bytes, captured, wire, time) ->
          frames.add(new Frame(index, linkType, bytes, captured, wire, time)));
    }
    return frames;
  }
}

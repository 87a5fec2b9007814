package io.flowinspect.measure;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * The tools a network engineer would otherwise reach for, timed on the same capture: {@code argus}
 * (reads the file and writes flow records to /dev/null) and {@code tcpdump -n -r} (decodes and
 * prints every packet, output discarded). Each is timed from process start to exit, so their
 * start-up is counted, as the agent's file opening is. Absent tools are reported as absent.
 */
final class ExternalReaders {
  private ExternalReaders() {}

  /** argus packets/s over the whole file, or empty when argus is not installed. */
  static OptionalDouble argus(Path pcap, long packets) throws IOException, InterruptedException {
    return time(List.of("argus", "-r", pcap.toString(), "-w", "/dev/null"), packets);
  }

  /**
   * tcpdump packets/s over the first {@code limit} packets ({@code -c}): printing is slow, and
   * the rate does not depend on how much of the file it reads.
   */
  static OptionalDouble tcpdump(Path pcap, long limit) throws IOException, InterruptedException {
    return time(List.of("tcpdump", "-n", "-r", pcap.toString(), "-c", Long.toString(limit)), limit);
  }

  private static OptionalDouble time(List<String> command, long packets) throws IOException, InterruptedException {
    Optional<Path> tool = locate(command.get(0));
    if (tool.isEmpty()) {
      return OptionalDouble.empty();
    }
    List<String> resolved = new ArrayList<>(command);
    resolved.set(0, tool.get().toString());
    ProcessBuilder pb = new ProcessBuilder(resolved);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException(command.get(0) + " did not finish within 10 minutes");
    }
    long nanos = System.nanoTime() - start;
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + p.exitValue());
    }
    return OptionalDouble.of(packets * 1e9 / nanos);
  }

  /** Where {@code tool} is installed: on the PATH, or in the sbin directories often missing from it. */
  static Optional<Path> locate(String tool) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
    for (String dir : dirs) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}

package io.flowinspect.offline;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The public captures and the kernel's answers in ../shared, read in place and never copied. */
final class SharedCaptures {
  private SharedCaptures() {}

  static Path dir() {
    String shared = System.getProperty("flowinspect.shared.dir", "../../shared");
    Path pcaps = Path.of(shared, "pcaps");
    assumeTrue(Files.isDirectory(pcaps.resolve("oracle")),
        "skipped: " + pcaps.toAbsolutePath() + " with its oracle/ is not present on this machine");
    return pcaps;
  }
}

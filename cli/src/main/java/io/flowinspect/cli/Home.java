package io.flowinspect.cli;

import java.nio.file.Path;

/** Where the project checkout is, so that commands find the bundled sample; set by the launcher. */
final class Home {
  private Home() {}

  static Path dir() {
    String home = System.getProperty("flowinspect.home");
    return Path.of(home == null ? "." : home);
  }
}

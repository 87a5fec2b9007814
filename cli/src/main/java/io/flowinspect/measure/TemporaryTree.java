package io.flowinspect.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A temporary directory that is removed when closed, and also when the JVM is stopped before that
 * (SIGTERM, Ctrl-C, {@code timeout}): a benchmark's generated captures and state run to gigabytes,
 * and a run stopped from outside used to leave them in the temp directory.
 */
public final class TemporaryTree implements AutoCloseable {
  private final Path dir;
  private final Thread atExit;

  private TemporaryTree(Path dir) {
    this.dir = dir;
    this.atExit = new Thread(this::deleteQuietly, "flowinspect-delete-" + dir.getFileName());
    Runtime.getRuntime().addShutdownHook(atExit);
  }

  public static TemporaryTree create(String prefix) throws IOException {
    return new TemporaryTree(Files.createTempDirectory(prefix));
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() throws IOException {
    try {
      Runtime.getRuntime().removeShutdownHook(atExit);
    } catch (IllegalStateException shuttingDown) {
      return; // the hook is deleting it now
    }
    Trees.delete(dir);
  }

  private void deleteQuietly() {
    try {
      Trees.delete(dir);
    } catch (IOException | UncheckedIOException e) {
      System.err.println("flowinspect: could not remove " + dir + ": " + e.getMessage());
    }
  }
}

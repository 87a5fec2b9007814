package io.flowinspect.kafka;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A running broker JVM that this library started, and the log its output goes to. */
final class BrokerProcess {
  private final Process process;
  private final Path logFile;

  BrokerProcess(Process process, Path logFile) {
    this.process = process;
    this.logFile = logFile;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  /**
   * SIGTERM, which Kafka answers with a controlled shutdown; SIGKILL if that takes longer than
   * {@code grace}. Returns once the process is gone.
   */
  void stop(Duration grace) {
    process.destroy();
    boolean interrupted = false;
    try {
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  IOException failure(String reason) {
    return failure(reason, logFile);
  }

  static IOException failure(String reason, Path logFile) {
    return new IOException(
        reason + "; last lines of " + logFile + ":\n" + LogTail.lastLines(logFile));
  }
}

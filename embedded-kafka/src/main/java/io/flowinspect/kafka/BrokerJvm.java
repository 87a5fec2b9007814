package io.flowinspect.kafka;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Command lines for the JVMs that format the broker's storage and run the broker. */
final class BrokerJvm {
  /**
   * Start fast on a small machine. Measured on 2 cores, format plus start until the broker serves
   * clients, medians of 5: 4.06 s with the defaults (G1, tiered JIT), 4.15 s serial GC, 3.78 s C1 only,
   * 3.68 s with both. C2 compiling competes with the broker for the 2 cores; producer throughput
   * against the broker did not drop with C1 alone (0.87-1.08 M records/s of 100 bytes, defaults
   * 0.58-0.92 M), and the serial collector suits a 512 MiB heap.
   */
  static final List<String> FAST_START_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  /** Extra flags for the broker's JVM (GC logging, heap sizes), after the ones above so they win where they overlap. */
  static final String EXTRA_FLAGS_VARIABLE = "FLOWINSPECT_BROKER_JAVA_OPTS";

  static List<String> flags(Map<String, String> environment) {
    List<String> flags = new ArrayList<>(FAST_START_FLAGS);
    String extra = environment.getOrDefault(EXTRA_FLAGS_VARIABLE, "").strip();
    if (!extra.isEmpty()) {
      flags.addAll(List.of(extra.split("\\s+")));
    }
    return flags;
  }

  /** slf4j-simple, the broker's log binding: timestamps, thread names, INFO and up, to stdout. */
  private static final List<String> LOGGING = List.of(
      "-Dorg.slf4j.simpleLogger.logFile=System.out",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
      "-Dorg.slf4j.simpleLogger.showDateTime=true",
      "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
      // Kafka logs every config at INFO, several times per start: 2,600 of a start's 3,000 lines.
      "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config.AbstractConfig=warn");

  private final String classpath;
  private final int heapMegabytes;
  private final List<String> jvmFlags;

  BrokerJvm(String classpath, int heapMegabytes, List<String> jvmFlags) {
    this.classpath = classpath;
    this.heapMegabytes = heapMegabytes;
    this.jvmFlags = List.copyOf(jvmFlags);
  }

  /** Writes {@code meta.properties} and the bootstrap metadata into the log dirs named by {@code properties}. */
  void format(Path properties, String clusterId, Path logFile, Deadline deadline) throws IOException {
    Process format = start(logFile, List.of(), "kafka.tools.StorageTool",
        "format", "--cluster-id", clusterId, "--config", properties.toString());
    try {
      if (!format.waitFor(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS)) {
        format.destroyForcibly();
        throw BrokerProcess.failure("formatting the broker's storage timed out", logFile);
      }
    } catch (InterruptedException e) {
      format.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while formatting the broker's storage");
    }
    if (format.exitValue() != 0) {
      throw BrokerProcess.failure("formatting the broker's storage failed (exit " + format.exitValue() + ")", logFile);
    }
  }

  BrokerProcess launch(Path properties, Path logFile) throws IOException {
    List<String> parent = List.of("-D" + BrokerMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
    return new BrokerProcess(start(logFile, parent, BrokerMain.class.getName(), properties.toString()), logFile);
  }

  private Process start(Path logFile, List<String> properties, String mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heapMegabytes + "m");
    command.addAll(jvmFlags);
    command.add("-Djava.awt.headless=true");
    command.addAll(properties);
    command.addAll(LOGGING);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command)
        .directory(logFile.getParent().toFile()) // where a crashing JVM leaves hs_err_pid*.log
        .redirectErrorStream(true)
        .redirectOutput(Redirect.appendTo(logFile.toFile()))
        .start();
    process.getOutputStream().close(); // nothing reads stdin; no pipe left open
    return process;
  }
}

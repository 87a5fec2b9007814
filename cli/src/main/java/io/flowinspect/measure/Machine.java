package io.flowinspect.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine and software a benchmark ran on, so that figures from different runs can be read
 * side by side.
 */
record Machine(int cores, long memoryBytes, String cpu, String os, String java, String kafka, String commit) {

  static Machine current(Path projectHome) {
    return new Machine(Runtime.getRuntime().availableProcessors(), totalMemory(), cpuModel(),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), kafkaVersion(),
        commit(projectHome));
  }

  private static long totalMemory() {
    for (String line : lines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  private static String cpuModel() {
    for (String line : lines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return System.getProperty("os.arch");
  }

  /** The git commit of the checkout the launcher runs from, with "+dirty" for uncommitted changes. */
  private static String commit(Path home) {
    if (home == null || !Files.isDirectory(home.resolve(".git"))) {
      return "unknown";
    }
    try {
      String head = run(home, "git", "rev-parse", "--short=12", "HEAD");
      String dirty = run(home, "git", "status", "--porcelain", "--untracked-files=no");
      return head + (dirty.isEmpty() ? "" : "+dirty");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String run(Path dir, String... command) throws IOException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    try {
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + ": " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }

  /** The Kafka client library's version, from the properties file its jar carries. */
  private static String kafkaVersion() {
    try (var in = org.apache.kafka.clients.producer.KafkaProducer.class
        .getResourceAsStream("/kafka/kafka-version.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }
}

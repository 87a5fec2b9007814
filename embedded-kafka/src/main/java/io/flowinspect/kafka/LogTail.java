package io.flowinspect.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the end of the broker's log, for error messages. */
final class LogTail {
  static final int LINES = 40;
  /** Enough for 40 lines of Kafka's usual output, without reading a long log whole. */
  private static final int MAX_BYTES = 64 * 1024;

  private LogTail() {}

  /** The last {@link #LINES} lines of {@code log}, or a note saying why there are none. */
  static String lastLines(Path log) {
    String text;
    try {
      long size = Files.size(log);
      text = since(log, Math.max(0, size - MAX_BYTES));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
    List<String> lines = text.lines().toList();
    if (lines.isEmpty()) {
      return "(the log is empty)";
    }
    return String.join("\n", lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
  }

  /** The text of {@code log} from byte {@code offset} on. */
  static String since(Path log, long offset) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length() - offset;
      if (length <= 0) {
        return "";
      }
      byte[] bytes = new byte[(int) Math.min(length, Integer.MAX_VALUE - 8)];
      file.seek(offset);
      file.readFully(bytes);
      return new String(bytes, UTF_8);
    }
  }

  static long size(Path log) {
    try {
      return Files.exists(log) ? Files.size(log) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}

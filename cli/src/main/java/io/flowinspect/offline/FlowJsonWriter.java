package io.flowinspect.offline;

import io.flowinspect.inspect.output.FlowSummary;
import io.flowinspect.inspect.streams.AvroMapping;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Flow records as JSON lines with snake_case fields, in the spirit of Zeek's conn.log. */
public final class FlowJsonWriter implements AutoCloseable {
  private final BufferedWriter out;

  public FlowJsonWriter(Path file) throws IOException {
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  public void write(FlowSummary f) {
    try {
      out.write(toJson(f));
      out.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One flow as a JSON line: the fields of a flow record on the flows topic, as the {@code read}
   * command prints them ({@link OutputJson#flow}), so that offline and live flows compare line by line.
   */
  public static String toJson(FlowSummary f) {
    return OutputJson.flow(AvroMapping.flow(f));
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}

package io.flowinspect.offline;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** One tab-separated line per frame, in the columns of ct-oracle's output so the two can be diffed. */
public final class PacketReportWriter implements Consumer<FrameResult>, AutoCloseable {
  public static final String HEADER = "#idx\tstate\tdir\tproto\ttuple\tinfo";

  private final BufferedWriter out;

  public PacketReportWriter(Path file) throws IOException {
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    out.write(HEADER);
    out.newLine();
  }

  @Override
  public void accept(FrameResult f) {
    try {
      out.write(line(f));
      out.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String line(FrameResult f) {
    StringBuilder sb = new StringBuilder(96);
    sb.append(f.index()).append('\t').append(f.stateLabel()).append('\t').append(f.directionLabel()).append('\t');
    if (f.skipped() != null) {
      sb.append("-\t-\t").append(f.skipped().label());
    } else {
      String info = f.packet().describeInfo();
      if (f.classification().reason() != null) {
        info = info.isEmpty() ? f.classification().reason() : info + " (" + f.classification().reason() + ")";
      }
      sb.append(f.packet().protocolName()).append('\t').append(f.packet().describeTuple()).append('\t').append(info);
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}

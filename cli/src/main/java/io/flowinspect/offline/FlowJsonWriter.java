package io.flowinspect.offline;

import io.flowinspect.inspect.engine.Protocols;
import io.flowinspect.inspect.output.FlowSummary;
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

  public static String toJson(FlowSummary f) {
    return new Json()
        .field("ts", f.firstNanos() / 1e9)
        .field("orig", f.originator().toString())
        .field("orig_port", f.originatorPort())
        .field("resp", f.responder().toString())
        .field("resp_port", f.responderPort())
        .field("proto", Protocols.name(f.protocol(), f.originator().ipv6()))
        .field("duration", (f.lastNanos() - f.firstNanos()) / 1e9)
        .field("orig_pkts", f.origPackets())
        .field("orig_bytes", f.origBytes())
        .field("resp_pkts", f.respPackets())
        .field("resp_bytes", f.respBytes())
        .field("conn_state", f.connState())
        .field("history", f.history())
        .field("final_state", f.finalState())
        .field("reason", f.reason().name().toLowerCase(java.util.Locale.ROOT))
        .field("decision", f.decision().name().toLowerCase(java.util.Locale.ROOT))
        .field("rule", f.ruleId())
        .field("zone", f.zone())
        .field("community_id", f.communityId())
        .toString();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}

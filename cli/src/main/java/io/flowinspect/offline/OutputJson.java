package io.flowinspect.offline;

import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.inspect.engine.Protocols;
import io.flowinspect.inspect.streams.AvroMapping;
import io.flowinspect.schemas.Alert;
import io.flowinspect.schemas.FlowRecord;
import io.flowinspect.schemas.Verdict;
import java.util.Locale;

/**
 * The output topics' records as JSON lines with snake_case fields, in the spirit of Zeek's logs:
 * seconds since the epoch in {@code ts}, addresses as text, ports apart, names in lower case. The
 * flow line is also what {@code inspect --flows-out} writes ({@link FlowJsonWriter}), so offline and
 * live flows compare line by line.
 */
public final class OutputJson {
  private OutputJson() {}

  public static String flow(FlowRecord f) {
    IpAddress orig = AvroMapping.address(f.getOriginator());
    return new Json()
        .field("ts", f.getFirstNanos() / 1e9)
        .field("orig", orig.toString())
        .field("orig_port", f.getOriginator().getPort())
        .field("resp", AvroMapping.address(f.getResponder()).toString())
        .field("resp_port", f.getResponder().getPort())
        .field("proto", Protocols.name(f.getProtocol(), orig.ipv6()))
        .field("duration", (f.getLastNanos() - f.getFirstNanos()) / 1e9)
        .field("orig_pkts", f.getOrigPackets())
        .field("orig_bytes", f.getOrigBytes())
        .field("resp_pkts", f.getRespPackets())
        .field("resp_bytes", f.getRespBytes())
        .field("conn_state", f.getConnState())
        .field("history", f.getHistory())
        .field("final_state", f.getFinalState())
        .field("reason", lower(f.getEndReason().name()))
        .field("decision", lower(f.getDecision().name()))
        .field("rule", f.getRuleId())
        .field("zone", f.getZone())
        .field("community_id", f.getCommunityId())
        .toString();
  }

  public static String verdict(Verdict v) {
    IpAddress orig = AvroMapping.address(v.getOriginator());
    return new Json()
        .field("ts", v.getTimeNanos() / 1e9)
        .field("decision", lower(v.getDecision().name()))
        .field("rule", v.getRuleId())
        .field("rule_set", v.getRuleSetVersion())
        .field("orig", orig.toString())
        .field("orig_port", v.getOriginator().getPort())
        .field("resp", AvroMapping.address(v.getResponder()).toString())
        .field("resp_port", v.getResponder().getPort())
        .field("proto", Protocols.name(v.getProtocol(), orig.ipv6()))
        .field("direction", lower(v.getDirection().name()))
        .field("state", v.getState())
        .field("related", v.getRelated())
        .field("reason", v.getReason())
        .toString();
  }

  /** A verdict's tombstone: its connection ended and leaves the verdict table; the key says which. */
  public static String verdictRemoved(io.flowinspect.schemas.FlowKey key) {
    FlowKey k = AvroMapping.flowKey(key);
    return new Json()
        .field("removed", true)
        .field("proto", Protocols.name(k.protocol(), k.ipv6()))
        .field("low", k.lowAddress().toString())
        .field("low_port", k.lowPort())
        .field("high", k.highAddress().toString())
        .field("high_port", k.highPort())
        .field("zone", k.zone())
        .toString();
  }

  public static String alert(Alert a) {
    IpAddress src = AvroMapping.address(a.getSource());
    return new Json()
        .field("ts", a.getTimeNanos() / 1e9)
        .field("type", lower(a.getType().name()))
        .field("severity", lower(a.getSeverity().name()))
        .field("src", src.toString())
        .field("src_port", a.getSource().getPort())
        .field("dst", AvroMapping.address(a.getDestination()).toString())
        .field("dst_port", a.getDestination().getPort())
        .field("proto", Protocols.name(a.getProtocol(), src.ipv6()))
        .field("rule", a.getRuleId())
        .field("count", a.getCount())
        .field("message", a.getMessage())
        .field("zone", a.getZone())
        .toString();
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}

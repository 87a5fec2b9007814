package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.inspect.engine.Packet;
import io.flowinspect.inspect.output.AlertEvent;
import io.flowinspect.inspect.output.FlowSummary;
import io.flowinspect.inspect.output.VerdictEvent;
import io.flowinspect.schemas.Alert;
import io.flowinspect.schemas.AlertType;
import io.flowinspect.schemas.Decision;
import io.flowinspect.schemas.EndReason;
import io.flowinspect.schemas.Endpoint;
import io.flowinspect.schemas.FlowDirection;
import io.flowinspect.schemas.FlowRecord;
import io.flowinspect.schemas.PacketFlags;
import io.flowinspect.schemas.PacketHeader;
import io.flowinspect.schemas.Severity;
import io.flowinspect.schemas.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Between the topics' Avro records and the engine's own types, which know nothing of Avro. */
public final class AvroMapping {
  private AvroMapping() {}

  /** The engine's key; throws IllegalArgumentException for a key no capture agent could have written. */
  public static FlowKey flowKey(io.flowinspect.schemas.FlowKey k) {
    IpAddress low = address(k.getLowAddress(), "lowAddress");
    IpAddress high = address(k.getHighAddress(), "highAddress");
    if (low.ipv6() != high.ipv6()) {
      throw new IllegalArgumentException("flow key mixes IPv4 and IPv6 addresses");
    }
    if (k.getProtocol() < 0 || k.getProtocol() > 255) {
      throw new IllegalArgumentException("flow key protocol " + k.getProtocol());
    }
    int order = low.compareTo(high);
    if (order > 0 || (order == 0 && Integer.compareUnsigned(k.getLowPort(), k.getHighPort()) > 0)) {
      throw new IllegalArgumentException("flow key is not normalized (low endpoint sorts after high)");
    }
    return new FlowKey(k.getZone(), k.getProtocol(), low.ipv6(), low.hi(), low.lo(), k.getLowPort(), high.hi(),
        high.lo(), k.getHighPort());
  }

  public static io.flowinspect.schemas.FlowKey flowKey(FlowKey k) {
    return new io.flowinspect.schemas.FlowKey(k.zone(), k.protocol(), ByteBuffer.wrap(k.lowAddress().toBytes()),
        k.lowPort(), ByteBuffer.wrap(k.highAddress().toBytes()), k.highPort());
  }

  public static Packet packet(PacketHeader h) {
    int flags = h.getFlags();
    int options = h.getTcpOptions();
    int attributes = (PacketFlags.has(flags, PacketFlags.CHECKSUM_BAD) ? Packet.CHECKSUM_BAD : 0)
        | (PacketFlags.has(flags, PacketFlags.TRANSPORT_MALFORMED) ? Packet.MALFORMED : 0)
        | (PacketFlags.has(flags, PacketFlags.PAYLOAD_ENDS_LINE) ? Packet.ENDS_LINE : 0);
    Packet.IcmpError error = null;
    if (PacketFlags.has(flags, PacketFlags.ICMP_ERROR)) {
      error = new Packet.IcmpError(PacketFlags.has(flags, PacketFlags.INNER_FROM_HIGH),
          !PacketFlags.has(flags, PacketFlags.INNER_NOT_TRACKABLE),
          PacketFlags.has(flags, PacketFlags.ERROR_DESTINATION_MISMATCH),
          h.getErrorSource() == null ? null : address(h.getErrorSource(), "errorSource"));
    }
    String ftp = null;
    if (h.getFtpLine() != null) {
      ByteBuffer b = h.getFtpLine().duplicate();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      ftp = new String(bytes, StandardCharsets.ISO_8859_1);
    }
    return new Packet(h.getTimeNanos(), PacketFlags.has(flags, PacketFlags.FROM_HIGH), h.getLength(),
        h.getPayloadLength(), h.getTcpFlags(), h.getSeq(), h.getAck(), h.getWindow(),
        PacketFlags.has(options, PacketFlags.OPT_WSCALE) ? options & PacketFlags.WSCALE_MASK : -1,
        PacketFlags.has(options, PacketFlags.OPT_SACK_PERMITTED),
        PacketFlags.has(options, PacketFlags.OPT_SACK) ? h.getSackEdge() & 0xffff_ffffL : Packet.NO_SACK,
        h.getIcmpType(), h.getIcmpCode(), attributes, error, ftp);
  }

  public static Verdict verdict(VerdictEvent v) {
    return new Verdict(v.timeNanos(), Decision.valueOf(v.decision().name()), v.ruleId(), v.ruleSetVersion(),
        v.protocol(), endpoint(v.originator(), v.originatorPort()), endpoint(v.responder(), v.responderPort()),
        FlowDirection.valueOf(v.direction().name()), v.state(), v.related(), v.reason());
  }

  public static Alert alert(AlertEvent a) {
    return new Alert(a.timeNanos(), AlertType.valueOf(a.kind().name()), Severity.valueOf(a.severity().name()),
        a.zone(), a.protocol(), endpoint(a.source(), a.sourcePort()), endpoint(a.destination(), a.destinationPort()),
        a.ruleId(), a.count(), a.message());
  }

  public static FlowRecord flow(FlowSummary f) {
    return FlowRecord.newBuilder()
        .setZone(f.zone())
        .setProtocol(f.protocol())
        .setOriginator(endpoint(f.originator(), f.originatorPort()))
        .setResponder(endpoint(f.responder(), f.responderPort()))
        .setFirstNanos(f.firstNanos())
        .setLastNanos(f.lastNanos())
        .setOrigPackets(f.origPackets())
        .setOrigBytes(f.origBytes())
        .setRespPackets(f.respPackets())
        .setRespBytes(f.respBytes())
        .setFinalState(f.finalState())
        .setEndReason(EndReason.valueOf(f.reason().name()))
        .setConnState(f.connState())
        .setHistory(f.history())
        .setCommunityId(f.communityId())
        .setDecision(Decision.valueOf(f.decision().name()))
        .setRuleId(f.ruleId())
        .build();
  }

  static Endpoint endpoint(IpAddress a, int port) {
    return new Endpoint(ByteBuffer.wrap(a.toBytes()), port);
  }

  private static IpAddress address(ByteBuffer buffer, String field) {
    ByteBuffer b = buffer.duplicate();
    if (b.remaining() != 4 && b.remaining() != 16) {
      throw new IllegalArgumentException(field + " has " + b.remaining() + " bytes (expected 4 or 16)");
    }
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return IpAddress.ofBytes(bytes);
  }
}

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
    return flowKey(k.getZone(), k.getProtocol(), address(k.getLowAddress(), "lowAddress"), k.getLowPort(),
        address(k.getHighAddress(), "highAddress"), k.getHighPort());
  }

  /** The engine's key from a key's fields, checked as {@link #flowKey(io.flowinspect.schemas.FlowKey)} says. */
  static FlowKey flowKey(int zone, int protocol, IpAddress low, int lowPort, IpAddress high, int highPort) {
    if (low.ipv6() != high.ipv6()) {
      throw new IllegalArgumentException("flow key mixes IPv4 and IPv6 addresses");
    }
    if (protocol < 0 || protocol > 255) {
      throw new IllegalArgumentException("flow key protocol " + protocol);
    }
    int order = low.compareTo(high);
    if (order > 0 || (order == 0 && Integer.compareUnsigned(lowPort, highPort) > 0)) {
      throw new IllegalArgumentException("flow key is not normalized (low endpoint sorts after high)");
    }
    return new FlowKey(zone, protocol, low.ipv6(), low.hi(), low.lo(), lowPort, high.hi(), high.lo(), highPort);
  }

  public static io.flowinspect.schemas.FlowKey flowKey(FlowKey k) {
    return new io.flowinspect.schemas.FlowKey(k.zone(), k.protocol(), ByteBuffer.wrap(k.lowAddress().toBytes()),
        k.lowPort(), ByteBuffer.wrap(k.highAddress().toBytes()), k.highPort());
  }

  public static Packet packet(PacketHeader h) {
    String ftp = null;
    if (h.getFtpLine() != null) {
      ByteBuffer b = h.getFtpLine().duplicate();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      ftp = new String(bytes, StandardCharsets.ISO_8859_1);
    }
    return packet(h.getTimeNanos(), h.getFlags(), h.getLength(), h.getPayloadLength(), h.getTcpFlags(), h.getSeq(),
        h.getAck(), h.getWindow(), h.getTcpOptions(), h.getSackEdge(), h.getIcmpType(), h.getIcmpCode(),
        h.getErrorSource() == null ? null : address(h.getErrorSource(), "errorSource"), ftp);
  }

  /** The engine's packet from a PacketHeader's fields (the two optional ones already converted). */
  static Packet packet(long timeNanos, int flags, int length, int payloadLength, int tcpFlags, int seq, int ack,
      int window, int options, int sackEdge, int icmpType, int icmpCode, IpAddress errorSource, String ftpLine) {
    int attributes = (PacketFlags.has(flags, PacketFlags.CHECKSUM_BAD) ? Packet.CHECKSUM_BAD : 0)
        | (PacketFlags.has(flags, PacketFlags.TRANSPORT_MALFORMED) ? Packet.MALFORMED : 0)
        | (PacketFlags.has(flags, PacketFlags.PAYLOAD_ENDS_LINE) ? Packet.ENDS_LINE : 0);
    Packet.IcmpError error = null;
    if (PacketFlags.has(flags, PacketFlags.ICMP_ERROR)) {
      error = new Packet.IcmpError(PacketFlags.has(flags, PacketFlags.INNER_FROM_HIGH),
          !PacketFlags.has(flags, PacketFlags.INNER_NOT_TRACKABLE),
          PacketFlags.has(flags, PacketFlags.ERROR_DESTINATION_MISMATCH), errorSource);
    }
    return new Packet(timeNanos, PacketFlags.has(flags, PacketFlags.FROM_HIGH), length, payloadLength, tcpFlags,
        seq, ack, window,
        PacketFlags.has(options, PacketFlags.OPT_WSCALE) ? options & PacketFlags.WSCALE_MASK : -1,
        PacketFlags.has(options, PacketFlags.OPT_SACK_PERMITTED),
        PacketFlags.has(options, PacketFlags.OPT_SACK) ? sackEdge & 0xffff_ffffL : Packet.NO_SACK,
        icmpType, icmpCode, attributes, error, ftpLine);
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

  /** An endpoint's address; throws IllegalArgumentException unless it has 4 or 16 bytes. */
  public static IpAddress address(Endpoint e) {
    return address(e.getAddress(), "address");
  }

  private static IpAddress address(ByteBuffer buffer, String field) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return address(bytes, 0, bytes.length, field);
  }

  static IpAddress address(byte[] data, int offset, int length, String field) {
    if (length != 4 && length != 16) {
      throw new IllegalArgumentException(field + " has " + length + " bytes (expected 4 or 16)");
    }
    return IpAddress.ofBytes(data, offset, length);
  }
}

package io.flowinspect.capture.decode;

import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketHeader;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Turns a {@link DecodedPacket} into the Avro records of the packets topic (copies: safe to keep). */
public final class PacketRecords {
  private PacketRecords() {}

  public static FlowKey key(DecodedPacket p) {
    return new FlowKey(
        p.zone(),
        p.keyProtocol(),
        ByteBuffer.wrap(Arrays.copyOf(p.lowAddress(), p.addressLength())),
        p.lowPort(),
        ByteBuffer.wrap(Arrays.copyOf(p.highAddress(), p.addressLength())),
        p.highPort());
  }

  public static PacketHeader header(DecodedPacket p) {
    // errorSource and ftpLine are fresh arrays per decoded packet, never reused: wrapping is safe.
    return new PacketHeader(
        0, // the connection is the record's key until a publisher batches several
        p.timeNanos(),
        p.flags(),
        p.length(),
        p.payloadLength(),
        p.tcpFlags(),
        p.seq(),
        p.ack(),
        p.window(),
        p.tcpOptions(),
        p.sackEdge(),
        p.icmpType(),
        p.icmpCode(),
        p.errorSource() == null ? null : ByteBuffer.wrap(p.errorSource()),
        p.ftpLine() == null ? null : ByteBuffer.wrap(p.ftpLine()));
  }
}

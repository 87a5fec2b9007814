package io.flowinspect.capture.publish;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.schemas.AvroSerde;
import io.flowinspect.schemas.ByteSink;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.PacketHeader;
import java.nio.ByteBuffer;

/**
 * Writes the packets topic's Avro records straight from the decoder's output, field by field in
 * schema order, with no Avro objects in between: the same bytes the generated classes and
 * {@code AvroSerde} would produce (a test holds them to it), at a fraction of the cost per packet.
 * If PacketHeader.avsc, PacketBatch.avsc or FlowKey.avsc changes, this class changes with it.
 */
final class AvroWire {
  static final byte[] BATCH_HEADER = AvroSerde.of(PacketBatch.class).header();
  static final byte[] KEY_HEADER = AvroSerde.of(FlowKey.class).header();

  private AvroWire() {}

  /** FlowKey fields: zone, protocol, lowAddress, lowPort, highAddress, highPort. */
  static void key(ByteSink out, DecodedPacket p) {
    out.writeInt(p.zone());
    out.writeInt(p.keyProtocol());
    out.writeBytes(p.lowAddress(), 0, p.addressLength());
    out.writeInt(p.lowPort());
    out.writeBytes(p.highAddress(), 0, p.addressLength());
    out.writeInt(p.highPort());
  }

  static void key(ByteSink out, FlowKey k) {
    out.writeInt(k.getZone());
    out.writeInt(k.getProtocol());
    bytes(out, k.getLowAddress());
    out.writeInt(k.getLowPort());
    bytes(out, k.getHighAddress());
    out.writeInt(k.getHighPort());
  }

  /** PacketHeader fields in schema order; the two optional ones are unions of null and bytes. */
  static void header(ByteSink out, int keyIndex, DecodedPacket p) {
    out.writeInt(keyIndex);
    out.writeLong(p.timeNanos());
    out.writeInt(p.flags());
    out.writeInt(p.length());
    out.writeInt(p.payloadLength());
    out.writeInt(p.tcpFlags());
    out.writeInt(p.seq());
    out.writeInt(p.ack());
    out.writeInt(p.window());
    out.writeInt(p.tcpOptions());
    out.writeInt(p.sackEdge());
    out.writeInt(p.icmpType());
    out.writeInt(p.icmpCode());
    optional(out, p.errorSource());
    optional(out, p.ftpLine());
  }

  static void header(ByteSink out, int keyIndex, PacketHeader h) {
    out.writeInt(keyIndex);
    out.writeLong(h.getTimeNanos());
    out.writeInt(h.getFlags());
    out.writeInt(h.getLength());
    out.writeInt(h.getPayloadLength());
    out.writeInt(h.getTcpFlags());
    out.writeInt(h.getSeq());
    out.writeInt(h.getAck());
    out.writeInt(h.getWindow());
    out.writeInt(h.getTcpOptions());
    out.writeInt(h.getSackEdge());
    out.writeInt(h.getIcmpType());
    out.writeInt(h.getIcmpCode());
    optional(out, h.getErrorSource());
    optional(out, h.getFtpLine());
  }

  private static void optional(ByteSink out, byte[] value) {
    if (value == null) {
      out.writeLong(0); // union branch 0: null
    } else {
      out.writeLong(1);
      out.writeBytes(value, 0, value.length);
    }
  }

  private static void optional(ByteSink out, ByteBuffer value) {
    if (value == null) {
      out.writeLong(0);
    } else {
      out.writeLong(1);
      bytes(out, value);
    }
  }

  private static void bytes(ByteSink out, ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    if (d.hasArray()) {
      out.writeBytes(d.array(), d.arrayOffset() + d.position(), d.remaining());
    } else {
      byte[] copy = new byte[d.remaining()];
      d.get(copy);
      out.writeBytes(copy, 0, copy.length);
    }
  }
}

package io.flowinspect.capture.publish;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.schemas.ByteSink;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketHeader;
import java.nio.ByteBuffer;

/**
 * The packets waiting for one partition, already in their Avro wire form and in capture order,
 * with the list of their connections: each header names its connection by index, so a key is
 * written once per record however many of its packets the record holds. Nothing is allocated per
 * packet; the buffers are reused from batch to batch.
 */
final class PartitionBatch {
  private final int partition;
  private final ByteSink packets = new ByteSink(16 * 1024);
  private final ByteSink keys = new ByteSink(2 * 1024);
  private final KeyTable table = new KeyTable(64);
  private int count;
  private long firstNanos;
  private long openedWallNanos;

  PartitionBatch(int partition) {
    this.partition = partition;
  }

  void add(DecodedPacket p) {
    begin(p.timeNanos());
    int length = p.addressLength();
    byte[] low = p.lowAddress();
    byte[] high = p.highAddress();
    int index = table.indexOf(((long) p.zone() << 32) | ((long) p.keyProtocol() << 8) | length,
        first8(low, length), second8(low, length), ((long) p.lowPort() << 32) | (p.highPort() & 0xffff_ffffL),
        first8(high, length), second8(high, length));
    if (index < 0) {
      index = ~index;
      AvroWire.key(keys, p);
    }
    AvroWire.header(packets, index, p);
    count++;
  }

  void add(FlowKey k, PacketHeader h) {
    begin(h.getTimeNanos());
    ByteBuffer low = k.getLowAddress();
    ByteBuffer high = k.getHighAddress();
    int length = low.remaining();
    int index = table.indexOf(((long) k.getZone() << 32) | ((long) k.getProtocol() << 8) | length,
        first8(low), second8(low), ((long) k.getLowPort() << 32) | (k.getHighPort() & 0xffff_ffffL),
        first8(high), second8(high));
    if (index < 0) {
      index = ~index;
      AvroWire.key(keys, k);
    }
    AvroWire.header(packets, index, h);
    count++;
  }

  int size() {
    return count;
  }

  int partition() {
    return partition;
  }

  long firstNanos() {
    return firstNanos;
  }

  long openedWallNanos() {
    return openedWallNanos;
  }

  /** The record key (a single-object FlowKey) when every packet belongs to one connection, else null. */
  byte[] recordKey() {
    if (table.size() != 1) {
      return null;
    }
    ByteSink k = new ByteSink(AvroWire.KEY_HEADER.length + keys.size());
    k.writeRaw(AvroWire.KEY_HEADER, 0, AvroWire.KEY_HEADER.length);
    keys.writeTo(k);
    return k.toArray();
  }

  /** The record value (a single-object PacketBatch), then the batch is empty again. */
  byte[] takeValue(byte[] sensorUtf8, long watermarkNanos) {
    ByteSink v = new ByteSink(AvroWire.BATCH_HEADER.length + sensorUtf8.length + keys.size() + packets.size() + 32);
    v.writeRaw(AvroWire.BATCH_HEADER, 0, AvroWire.BATCH_HEADER.length);
    v.writeBytes(sensorUtf8, 0, sensorUtf8.length);
    v.writeLong(watermarkNanos);
    if (table.size() > 1) {
      v.writeLong(table.size());
      keys.writeTo(v);
    }
    v.writeLong(0); // end of the keys array (empty when the record key names the connection)
    if (count > 0) {
      v.writeLong(count);
      packets.writeTo(v);
    }
    v.writeLong(0);
    packets.clear();
    keys.clear();
    table.clear();
    count = 0;
    return v.toArray();
  }

  /** A heartbeat: no keys, no packets. */
  static byte[] heartbeat(byte[] sensorUtf8, long watermarkNanos) {
    ByteSink v = new ByteSink(AvroWire.BATCH_HEADER.length + sensorUtf8.length + 16);
    v.writeRaw(AvroWire.BATCH_HEADER, 0, AvroWire.BATCH_HEADER.length);
    v.writeBytes(sensorUtf8, 0, sensorUtf8.length);
    v.writeLong(watermarkNanos);
    v.writeLong(0);
    v.writeLong(0);
    return v.toArray();
  }

  private void begin(long timeNanos) {
    if (count == 0) {
      firstNanos = timeNanos;
      openedWallNanos = System.nanoTime();
    }
  }

  private static long first8(byte[] a, int length) {
    if (length == 4) {
      return (a[0] & 0xffL) << 24 | (a[1] & 0xffL) << 16 | (a[2] & 0xffL) << 8 | (a[3] & 0xffL);
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (a[i] & 0xffL);
    }
    return v;
  }

  private static long second8(byte[] a, int length) {
    if (length == 4) {
      return 0;
    }
    long v = 0;
    for (int i = 8; i < 16; i++) {
      v = v << 8 | (a[i] & 0xffL);
    }
    return v;
  }

  private static long first8(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return first8(a, a.length);
  }

  private static long second8(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return second8(a, a.length);
  }
}

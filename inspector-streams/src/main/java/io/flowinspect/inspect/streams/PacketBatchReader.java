package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.inspect.engine.Packet;
import io.flowinspect.schemas.AvroSerde;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.PacketHeader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads packets-topic values into the engine's keys and packets directly. A value written with
 * the current PacketBatch schema (the fingerprint in its single-object header says so) is parsed
 * field by field in schema order, the mirror of the capture agent's {@code AvroWire}: no
 * PacketBatch, PacketHeader, boxed numbers or ByteBuffers per packet, only the engine's own
 * {@link Packet}. Any other value goes through the topic's {@link AvroSerde}, which reads the older schemas
 * it was told to accept and rejects the rest with both fingerprints in the message. Either way the
 * result is the same ({@code PacketBatchReaderTest} holds the two paths equal).
 *
 * <p>Values that are not Avro fail here (Kafka Streams then sends them to the dead-letter topic);
 * values that are Avro but name impossible things come back as {@link InspectBatch#unusable}.
 * Stateless and thread-safe: Kafka Streams shares one source deserializer between its threads.
 */
final class PacketBatchReader implements Deserializer<InspectBatch> {
  private static final FlowKey[] NO_KEYS = new FlowKey[0];

  private static final AvroSerde<PacketBatch> CURRENT = AvroSerde.of(PacketBatch.class);

  static {
    // The parser below follows the schemas field by field; a schema changed without it must fail
    // here, at start, rather than be misread (a changed schema has a new fingerprint, so its
    // values would come this way).
    requireFields(PacketBatch.getClassSchema(), "sensor", "watermarkNanos", "keys", "packets");
    requireFields(io.flowinspect.schemas.FlowKey.getClassSchema(), "zone", "protocol", "lowAddress", "lowPort",
        "highAddress", "highPort");
    requireFields(PacketHeader.getClassSchema(), "keyIndex", "timeNanos", "flags", "length", "payloadLength",
        "tcpFlags", "seq", "ack", "window", "tcpOptions", "sackEdge", "icmpType", "icmpCode", "errorSource",
        "ftpLine");
  }

  private final Deserializer<PacketBatch> avro;

  /** {@code avro} reads what is not written with the current schema (or says why it cannot). */
  PacketBatchReader(Deserializer<PacketBatch> avro) {
    this.avro = avro;
  }

  @Override
  public InspectBatch deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (!CURRENT.writtenWithCurrentSchema(data)) {
      return fromAvroObjects(avro.deserialize(topic, data), data);
    }
    WireCursor in = new WireCursor(data, AvroSerde.HEADER_LENGTH);
    String sensor = in.readString();
    long watermark = in.readLong();
    try {
      FlowKey[] keys = readKeys(in);
      return readPackets(in, sensor, watermark, keys, data);
    } catch (IllegalArgumentException e) {
      return InspectBatch.unusable(sensor, watermark, e.getMessage(), data);
    }
  }

  /** FlowKey fields: zone, protocol, lowAddress, lowPort, highAddress, highPort. */
  private static FlowKey[] readKeys(WireCursor in) {
    FlowKey[] keys = NO_KEYS;
    int n = 0;
    for (long block = in.readBlockCount(); block != 0; block = in.readBlockCount()) {
      if (n + block > keys.length) { // doubling: a writer may send many blocks of one item
        keys = Arrays.copyOf(keys, Math.max(n + (int) block, 2 * keys.length));
      }
      for (long i = 0; i < block; i++) {
        int zone = in.readInt();
        int protocol = in.readInt();
        IpAddress low = address(in, "lowAddress");
        int lowPort = in.readInt();
        IpAddress high = address(in, "highAddress");
        int highPort = in.readInt();
        keys[n++] = AvroMapping.flowKey(zone, protocol, low, lowPort, high, highPort);
      }
    }
    return n == keys.length ? keys : Arrays.copyOf(keys, n);
  }

  /** PacketHeader fields in schema order; errorSource and ftpLine are unions of null and bytes. */
  private static InspectBatch readPackets(WireCursor in, String sensor, long watermark, FlowKey[] keys,
      byte[] raw) {
    Packet[] packets = new Packet[0];
    int[] keyIndex = new int[0];
    int n = 0;
    for (long block = in.readBlockCount(); block != 0; block = in.readBlockCount()) {
      if (n + block > packets.length) {
        int size = Math.max(n + (int) block, 2 * packets.length);
        packets = Arrays.copyOf(packets, size);
        keyIndex = Arrays.copyOf(keyIndex, size);
      }
      for (long i = 0; i < block; i++) {
        keyIndex[n] = checkedKeyIndex(in.readInt(), keys);
        long time = in.readLong();
        int flags = in.readInt();
        int length = in.readInt();
        int payloadLength = in.readInt();
        int tcpFlags = in.readInt();
        int seq = in.readInt();
        int ack = in.readInt();
        int window = in.readInt();
        int options = in.readInt();
        int sackEdge = in.readInt();
        int icmpType = in.readInt();
        int icmpCode = in.readInt();
        IpAddress errorSource = optionalPresent(in) ? address(in, "errorSource") : null;
        String ftpLine = null;
        if (optionalPresent(in)) {
          int start = in.readBytesStart();
          ftpLine = new String(in.data(), start, in.position() - start, StandardCharsets.ISO_8859_1);
        }
        packets[n++] = AvroMapping.packet(time, flags, length, payloadLength, tcpFlags, seq, ack, window, options,
            sackEdge, icmpType, icmpCode, errorSource, ftpLine);
      }
    }
    if (n < packets.length) {
      packets = Arrays.copyOf(packets, n);
      keyIndex = Arrays.copyOf(keyIndex, n);
    }
    return InspectBatch.valid(sensor, watermark, keys, packets, keyIndex, raw);
  }

  /** A packet's key index, which must name a key of the list, or the record's key when there is no list. */
  private static int checkedKeyIndex(int index, FlowKey[] keys) {
    int count = Math.max(keys.length, 1);
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("packet names key " + index + " of " + count);
    }
    return index;
  }

  private static void requireFields(Schema schema, String... expected) {
    List<String> actual = schema.getFields().stream().map(Schema.Field::name).toList();
    if (!actual.equals(List.of(expected))) {
      throw new IllegalStateException(schema.getFullName() + " has the fields " + actual + " but PacketBatchReader "
          + "reads " + List.of(expected) + ": change the reader with the schema");
    }
  }

  private static IpAddress address(WireCursor in, String field) {
    int start = in.readBytesStart();
    return AvroMapping.address(in.data(), start, in.position() - start, field);
  }

  private static boolean optionalPresent(WireCursor in) {
    int branch = in.readInt();
    if (branch != 0 && branch != 1) {
      throw in.malformed("union branch " + branch + " (the schema has null and bytes)");
    }
    return branch == 1;
  }

  /** The same batch from the generated classes: values written with an older schema take this way. */
  static InspectBatch fromAvroObjects(PacketBatch batch, byte[] raw) {
    String sensor = batch.getSensor();
    long watermark = batch.getWatermarkNanos();
    try {
      FlowKey[] keys = new FlowKey[batch.getKeys().size()];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = AvroMapping.flowKey(batch.getKeys().get(i));
      }
      int n = batch.getPackets().size();
      Packet[] packets = new Packet[n];
      int[] keyIndex = new int[n];
      for (int i = 0; i < n; i++) {
        PacketHeader h = batch.getPackets().get(i);
        keyIndex[i] = checkedKeyIndex(h.getKeyIndex(), keys);
        packets[i] = AvroMapping.packet(h);
      }
      return InspectBatch.valid(sensor, watermark, keys, packets, keyIndex, raw);
    } catch (IllegalArgumentException e) {
      return InspectBatch.unusable(sensor, watermark, e.getMessage(), raw);
    }
  }
}

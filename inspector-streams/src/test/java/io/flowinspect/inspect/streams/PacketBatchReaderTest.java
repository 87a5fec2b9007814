package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowinspect.schemas.AvroSerde;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.PacketFlags;
import io.flowinspect.schemas.PacketHeader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The hand-written reader of packet batches against the generated Avro classes it stands in for. */
class PacketBatchReaderTest {
  private static final AvroSerde<PacketBatch> SERDE = AvroSerde.of(PacketBatch.class);
  private final PacketBatchReader reader = new PacketBatchReader(SERDE);

  @Test
  void readsEveryFieldExactlyAsTheGeneratedClassesDo() {
    Random random = new Random(7);
    for (int round = 0; round < 500; round++) {
      PacketBatch batch = randomBatch(random);
      byte[] data = SERDE.serialize("t", batch);

      InspectBatch fast = reader.deserialize("t", data);
      InspectBatch slow = PacketBatchReader.fromAvroObjects(SERDE.deserialize("t", data), data);

      assertThat(fast.problem()).isNull();
      assertThat(fast.sensor()).isEqualTo(slow.sensor());
      assertThat(fast.watermarkNanos()).isEqualTo(slow.watermarkNanos());
      assertThat(fast.keys()).containsExactly(slow.keys());
      assertThat(fast.packets()).containsExactly(slow.packets());
      assertThat(fast.keyIndex()).containsExactly(slow.keyIndex());
      assertThat(fast.raw()).isSameAs(data);
    }
  }

  @Test
  void aValueWrittenWithAnotherSchemaIsLeftToTheAvroDeserializer() {
    byte[] data = SERDE.serialize("t", randomBatch(new Random(1)));
    data[5] ^= 1; // another writer fingerprint
    AtomicInteger asked = new AtomicInteger();
    PacketBatchReader withFallback = new PacketBatchReader((topic, bytes) -> {
      asked.incrementAndGet();
      return SERDE.deserialize(topic, Arrays.copyOf(bytes, bytes.length)); // the serde refuses it, as it should
    });

    assertThatThrownBy(() -> withFallback.deserialize("t", data)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown Avro schema");
    assertThat(asked).hasValue(1);
  }

  @Test
  void aValueCutShortAnywhereFailsAsMalformedNeverWithAnotherError() {
    byte[] data = SERDE.serialize("t", randomBatch(new Random(3)));
    for (int length = AvroSerde.HEADER_LENGTH; length < data.length; length++) {
      byte[] cut = Arrays.copyOf(data, length);
      assertThatThrownBy(() -> reader.deserialize("t", cut)).as("cut at %d of %d", length, data.length)
          .isInstanceOf(SerializationException.class).hasMessageStartingWith("malformed packet batch");
    }
  }

  @Test
  void anImpossibleLengthIsRefusedBeforeAnythingIsAllocated() {
    byte[] data = SERDE.serialize("t", randomBatch(new Random(4)));
    // The sensor's length is the first varint after the header: make it claim ~1 GB.
    byte[] huge = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x07};
    byte[] bad = new byte[AvroSerde.HEADER_LENGTH + huge.length];
    System.arraycopy(data, 0, bad, 0, AvroSerde.HEADER_LENGTH);
    System.arraycopy(huge, 0, bad, AvroSerde.HEADER_LENGTH, huge.length);

    assertThatThrownBy(() -> reader.deserialize("t", bad)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("a length of");
  }

  @Test
  void arraysWrittenInSeveralBlocksAreReadWhole() throws IOException {
    // Avro lets a writer cut an array into blocks, a negative count announcing the block's byte size.
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(body, null);
    out.writeString("s");
    out.writeLong(7);
    out.writeLong(-1); // one key, then its size in bytes
    out.writeLong(16);
    writeKey(out, 1);
    out.writeLong(2);  // two more keys
    writeKey(out, 2);
    writeKey(out, 3);
    out.writeLong(0);
    out.writeLong(0);  // no packets
    out.flush();
    byte[] data = withHeader(body.toByteArray());

    InspectBatch read = reader.deserialize("t", data);

    assertThat(read.problem()).isNull();
    assertThat(read.keys()).hasSize(3);
    assertThat(read.keys()[2].highLo() & 0xff).isEqualTo(3);
  }

  @Test
  void anArrayBlockCountThatCannotBeNegatedIsRefused() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(body, null);
    out.writeString("s");
    out.writeLong(7);
    out.writeLong(Long.MIN_VALUE);
    out.writeLong(0);
    out.flush();
    byte[] data = withHeader(body.toByteArray());

    assertThatThrownBy(() -> reader.deserialize("t", data)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("block count");
  }

  private static void writeKey(BinaryEncoder out, int last) throws IOException {
    out.writeInt(0);
    out.writeInt(6);
    out.writeBytes(new byte[] {10, 0, 0, 1});
    out.writeInt(40000);
    out.writeBytes(new byte[] {10, 0, 1, (byte) last});
    out.writeInt(443);
  }

  /** The single-object header of the current schema in front of an Avro body. */
  private static byte[] withHeader(byte[] body) {
    byte[] header = Arrays.copyOf(SERDE.serialize("t", randomBatch(new Random(9))), AvroSerde.HEADER_LENGTH);
    byte[] data = Arrays.copyOf(header, header.length + body.length);
    System.arraycopy(body, 0, data, header.length, body.length);
    return data;
  }

  @Test
  void aKeyNoAgentCouldWriteMakesTheBatchUnusableWithTheReasonAndItsBytes() {
    PacketBatch batch = batch(List.of(key(new byte[] {10, 0, 0, 1}, new byte[] {1, 2, 3})), List.of(header(0)));
    byte[] data = SERDE.serialize("t", batch);

    InspectBatch read = reader.deserialize("t", data);

    assertThat(read.problem()).isEqualTo("highAddress has 3 bytes (expected 4 or 16)");
    assertThat(read.raw()).isSameAs(data);
    assertThat(read.sensor()).isEqualTo("s");
  }

  @Test
  void aPacketNamingAKeyTheBatchDoesNotHaveMakesItUnusable() {
    FlowKey k = key(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2});
    InspectBatch read = reader.deserialize("t", SERDE.serialize("t", batch(List.of(k), List.of(header(0), header(3)))));

    assertThat(read.problem()).isEqualTo("packet names key 3 of 1");
  }

  private static PacketBatch randomBatch(Random r) {
    List<FlowKey> keys = new ArrayList<>();
    int nKeys = r.nextInt(4); // 0: a batch of one connection, named by the record key
    for (int i = 0; i < nKeys; i++) {
      boolean v6 = r.nextBoolean();
      byte[] a = new byte[v6 ? 16 : 4];
      byte[] b = new byte[v6 ? 16 : 4];
      r.nextBytes(a);
      r.nextBytes(b);
      if (io.flowinspect.inspect.engine.IpAddress.ofBytes(a).compareTo(io.flowinspect.inspect.engine.IpAddress.ofBytes(b)) > 0) {
        byte[] t = a;
        a = b;
        b = t;
      }
      keys.add(new FlowKey(r.nextInt(3), r.nextBoolean() ? 6 : 17, ByteBuffer.wrap(a), r.nextInt(65536),
          ByteBuffer.wrap(b), r.nextInt(65536)));
    }
    List<PacketHeader> packets = new ArrayList<>();
    int nPackets = r.nextInt(300);
    for (int i = 0; i < nPackets; i++) {
      PacketHeader h = header(nKeys == 0 ? 0 : r.nextInt(nKeys));
      h.setTimeNanos(r.nextLong());
      h.setFlags(r.nextInt(1 << 12));
      h.setLength(r.nextInt(70_000));
      h.setPayloadLength(r.nextInt(70_000));
      h.setTcpFlags(r.nextInt(256));
      h.setSeq(r.nextInt());
      h.setAck(r.nextInt());
      h.setWindow(r.nextInt(65536));
      h.setTcpOptions(r.nextInt());
      h.setSackEdge(r.nextInt());
      h.setIcmpType(r.nextInt(300) - 1);
      h.setIcmpCode(r.nextInt(256));
      if (r.nextInt(10) == 0) {
        byte[] source = new byte[r.nextBoolean() ? 16 : 4];
        r.nextBytes(source);
        h.setErrorSource(ByteBuffer.wrap(source));
        h.setFlags(h.getFlags() | PacketFlags.ICMP_ERROR);
      }
      if (r.nextInt(10) == 0) {
        h.setFtpLine(ByteBuffer.wrap(("PORT 10,0,0," + r.nextInt(256) + ",4,1\u00e9").getBytes(StandardCharsets.ISO_8859_1)));
      }
      packets.add(h);
    }
    return PacketBatch.newBuilder().setSensor("sensor-" + r.nextInt(5) + "-\u00fc").setWatermarkNanos(r.nextLong())
        .setKeys(keys).setPackets(packets).build();
  }

  private static PacketBatch batch(List<FlowKey> keys, List<PacketHeader> packets) {
    return PacketBatch.newBuilder().setSensor("s").setWatermarkNanos(1).setKeys(keys).setPackets(packets).build();
  }

  private static FlowKey key(byte[] low, byte[] high) {
    return new FlowKey(0, 6, ByteBuffer.wrap(low), 1000, ByteBuffer.wrap(high), 80);
  }

  private static PacketHeader header(int keyIndex) {
    return PacketHeader.newBuilder().setKeyIndex(keyIndex).setTimeNanos(1).setFlags(0).setLength(60)
        .setPayloadLength(0).setTcpFlags(2).setSeq(1).setAck(0).setWindow(1000).setTcpOptions(0).setSackEdge(0)
        .setIcmpType(-1).setIcmpCode(0).build();
  }
}

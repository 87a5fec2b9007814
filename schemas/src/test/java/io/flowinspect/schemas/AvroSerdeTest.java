package io.flowinspect.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  private final AvroSerde<PacketBatch> batches = AvroSerde.of(PacketBatch.class);

  @Test
  void packetBatchSurvivesARoundTrip() {
    PacketBatch batch = PacketBatch.newBuilder()
        .setSensor("span-1")
        .setWatermarkNanos(1_700_000_000_123_456_789L)
        .setPackets(List.of(tcpSyn(), icmpErrorWithFtpLine()))
        .build();

    byte[] bytes = batches.serialize("flowinspect.packets", batch);

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(batches.deserialize("flowinspect.packets", bytes)).isEqualTo(batch);
  }

  @Test
  void everyTopicValueSurvivesARoundTrip() {
    Endpoint a = new Endpoint(ByteBuffer.wrap(new byte[] {10, 0, 0, 1}), 40000);
    Endpoint b = new Endpoint(ByteBuffer.wrap(new byte[] {(byte) 203, 0, 113, 7}), 443);
    FlowKey key = new FlowKey(0, 6, a.getAddress(), 40000, b.getAddress(), 443);
    Verdict verdict = new Verdict(5L, Decision.DENY, "default-inbound", "v1", 6, b, a, FlowDirection.INBOUND,
        "tcp/SYN_SENT", false, "inbound connection not allowed");
    Alert alert = new Alert(6L, AlertType.DENIED_CONNECTION, Severity.MEDIUM, 0, 6, b, a, null, 1L, "denied");
    FlowRecord flow = new FlowRecord(0, 6, a, b, 1L, 9L, 3L, 180L, 2L, 120L, "tcp/TIME_WAIT", EndReason.CLOSED,
        "SF", "ShADadFf", "1:abc=", Decision.ALLOW, "default-outbound");

    assertThat(roundTrip(FlowKey.class, key)).isEqualTo(key);
    assertThat(roundTrip(Verdict.class, verdict)).isEqualTo(verdict);
    assertThat(roundTrip(Alert.class, alert)).isEqualTo(alert);
    assertThat(roundTrip(FlowRecord.class, flow)).isEqualTo(flow);
  }

  @Test
  void nullStaysNullSoTombstonesPassThrough() {
    assertThat(batches.serialize("t", null)).isNull();
    assertThat(batches.deserialize("t", null)).isNull();
  }

  @Test
  void valueWrittenWithAnUnknownSchemaFailsNamingBothFingerprints() {
    Schema stranger = SchemaBuilder.record("PacketBatch").namespace("io.flowinspect.schemas").fields()
        .requiredString("sensor").requiredInt("somethingElse").endRecord();
    GenericRecord record = new GenericData.Record(stranger);
    record.put("sensor", "x");
    record.put("somethingElse", 7);
    byte[] bytes = encode(stranger, record);

    assertThatThrownBy(() -> batches.deserialize("flowinspect.packets", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("flowinspect.packets: value written with an unknown Avro schema")
        .hasMessageContaining(String.format("%016x", org.apache.avro.SchemaNormalization.parsingFingerprint64(stranger)))
        .hasMessageContaining(String.format("%016x", batches.fingerprint()));
  }

  @Test
  void olderWriterSchemaIsReadOnceRegistered() {
    Schema older = SchemaBuilder.record("PacketBatch").namespace("io.flowinspect.schemas").fields()
        .requiredString("sensor").requiredLong("watermarkNanos")
        .name("packets").type().array().items(PacketHeader.getClassSchema()).noDefault()
        .name("retired").type().intType().intDefault(0)
        .endRecord();
    GenericRecord record = new GenericData.Record(older);
    record.put("sensor", "old-agent");
    record.put("watermarkNanos", 42L);
    record.put("packets", List.of());
    record.put("retired", 1);
    byte[] bytes = encode(older, record);

    PacketBatch read = AvroSerde.of(PacketBatch.class).acceptingWriterSchema(older).deserialize("t", bytes);

    assertThat(read.getSensor()).isEqualTo("old-agent");
    assertThat(read.getWatermarkNanos()).isEqualTo(42L);
  }

  @Test
  void bytesThatAreNotSingleObjectEncodedFailWithTheirFirstBytes() {
    assertThatThrownBy(() -> batches.deserialize("t", "{\"json\":1}".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not Avro single-object encoded (first bytes 7B 22 6A 73");
  }

  @Test
  void truncatedValueFailsAsMalformed() {
    byte[] whole = batches.serialize("t", PacketBatch.newBuilder().setSensor("s").setWatermarkNanos(1)
        .setPackets(List.of(tcpSyn())).build());
    byte[] cut = Arrays.copyOf(whole, whole.length - 5);

    assertThatThrownBy(() -> batches.deserialize("t", cut))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("malformed PacketBatch");
  }

  @Test
  void aPacketHeaderCostsAboutTwentyFiveBytes() {
    PacketBatch one = PacketBatch.newBuilder().setSensor("").setWatermarkNanos(0).setPackets(List.of(tcpSyn())).build();
    PacketBatch two = PacketBatch.newBuilder().setSensor("").setWatermarkNanos(0)
        .setPackets(List.of(tcpSyn(), tcpSyn())).build();

    int perHeader = batches.serialize("t", two).length - batches.serialize("t", one).length;

    assertThat(perHeader).isLessThanOrEqualTo(40);
  }

  private static PacketHeader tcpSyn() {
    return PacketHeader.newBuilder()
        .setTimeNanos(1_700_000_000_000_000_000L)
        .setFlags(PacketFlags.FROM_HIGH)
        .setLength(60).setPayloadLength(0).setTcpFlags(0x02)
        .setSeq(0x9abc_def0).setAck(0).setWindow(64240)
        .setTcpOptions(7 | PacketFlags.OPT_WSCALE | PacketFlags.OPT_SACK_PERMITTED | (1460 << PacketFlags.MSS_SHIFT))
        .setSackEdge(0).setIcmpType(-1).setIcmpCode(0)
        .build();
  }

  private static PacketHeader icmpErrorWithFtpLine() {
    return PacketHeader.newBuilder(tcpSyn())
        .setFlags(PacketFlags.ICMP_ERROR | PacketFlags.INNER_FROM_HIGH)
        .setIcmpType(3).setIcmpCode(3)
        .setErrorSource(ByteBuffer.wrap(new byte[] {10, 9, 8, 7}))
        .setFtpLine(ByteBuffer.wrap("227 Entering Passive Mode (10,0,0,1,4,1)".getBytes()))
        .build();
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> T roundTrip(Class<T> type, T value) {
    AvroSerde<T> serde = AvroSerde.of(type);
    return serde.deserialize("t", serde.serialize("t", value));
  }

  private static byte[] encode(Schema schema, GenericRecord record) {
    try {
      ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}

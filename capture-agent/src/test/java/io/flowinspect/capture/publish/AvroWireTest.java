package io.flowinspect.capture.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.decode.FrameDecoder;
import io.flowinspect.capture.decode.PacketRecords;
import io.flowinspect.capture.source.CaptureFileReader;
import io.flowinspect.schemas.AvroSerde;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.PacketHeader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** The publisher's hand-written Avro bytes are exactly what the generated classes would write. */
class AvroWireTest {
  private static final Path SAMPLE = Path.of("../samples/home-office.pcap");
  private static final byte[] SENSOR = "wire-test".getBytes(StandardCharsets.UTF_8);
  private final AvroSerde<PacketBatch> batches = AvroSerde.of(PacketBatch.class);
  private final AvroSerde<FlowKey> keys = AvroSerde.of(FlowKey.class);

  @Test
  void everyPacketOfARealCaptureEncodesAsTheGeneratedClassesWouldBatchedAndAlone() throws Exception {
    List<FlowKey> flowKeys = new ArrayList<>();
    List<PacketHeader> headers = new ArrayList<>();
    PartitionBatch all = new PartitionBatch(0);
    int[] single = {0};
    FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
    DecodedPacket p = new DecodedPacket();
    try (CaptureFileReader reader = CaptureFileReader.open(SAMPLE)) {
      reader.forEach((index, linkType, frame, captured, wire, time) -> {
        if (decoder.decode(linkType, frame, captured, wire, time, p) != null) {
          return;
        }
        FlowKey key = PacketRecords.key(p);
        PacketHeader header = PacketRecords.header(p);
        PartitionBatch alone = new PartitionBatch(0);
        alone.add(p);
        assertThat(alone.recordKey()).isEqualTo(keys.serialize("t", key));
        assertThat(alone.takeValue(SENSOR, 42)).isEqualTo(batches.serialize("t",
            new PacketBatch("wire-test", 42L, List.of(), List.of(header))));
        single[0]++;
        int keyIndex = flowKeys.indexOf(key);
        if (keyIndex < 0) {
          keyIndex = flowKeys.size();
          flowKeys.add(key);
        }
        headers.add(PacketHeader.newBuilder(header).setKeyIndex(keyIndex).build());
        all.add(p);
      });
    }

    assertThat(single[0]).isEqualTo(190);
    assertThat(all.recordKey()).as("several connections: no record key").isNull();
    assertThat(all.takeValue(SENSOR, 7)).isEqualTo(batches.serialize("t",
        new PacketBatch("wire-test", 7L, flowKeys, headers)));
  }

  @Test
  void avroRecordsAddedToABatchEncodeTheSameAsDecodedPackets() throws Exception {
    PartitionBatch fromDecoder = new PartitionBatch(0);
    PartitionBatch fromRecords = new PartitionBatch(0);
    FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
    DecodedPacket p = new DecodedPacket();
    try (CaptureFileReader reader = CaptureFileReader.open(SAMPLE)) {
      reader.forEach((index, linkType, frame, captured, wire, time) -> {
        if (decoder.decode(linkType, frame, captured, wire, time, p) == null) {
          fromDecoder.add(p);
          fromRecords.add(PacketRecords.key(p), PacketRecords.header(p));
        }
      });
    }

    assertThat(fromRecords.takeValue(SENSOR, 1)).isEqualTo(fromDecoder.takeValue(SENSOR, 1));
  }

  @Test
  void heartbeatIsAnEmptyBatch() {
    assertThat(PartitionBatch.heartbeat(SENSOR, 123)).isEqualTo(batches.serialize("t",
        new PacketBatch("wire-test", 123L, List.of(), List.of())));
  }

  @Test
  void murmur2IsKafkasForAnyBytes() {
    Random random = new Random(11);
    for (int i = 0; i < 5000; i++) {
      byte[] data = new byte[random.nextInt(60)];
      random.nextBytes(data);
      byte[] padded = java.util.Arrays.copyOf(data, data.length + 13);
      assertThat(Murmur2.hash(padded, data.length)).isEqualTo(Utils.murmur2(data));
    }
  }

  @Test
  void partitionFromTheDecoderEqualsPartitionFromTheKey() throws Exception {
    FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
    DecodedPacket p = new DecodedPacket();
    byte[] scratch = new byte[48];
    int[] checked = {0};
    try (CaptureFileReader reader = CaptureFileReader.open(SAMPLE)) {
      reader.forEach((index, linkType, frame, captured, wire, time) -> {
        if (decoder.decode(linkType, frame, captured, wire, time, p) == null) {
          for (Partitioning partitioning : Partitioning.values()) {
            for (int partitions : new int[] {1, 3, 12, 64}) {
              assertThat(partitioning.partition(p, partitions, scratch))
                  .isEqualTo(partitioning.partition(PacketRecords.key(p), partitions));
              checked[0]++;
            }
          }
        }
      });
    }
    assertThat(checked[0]).isEqualTo(190 * 8);
  }
}

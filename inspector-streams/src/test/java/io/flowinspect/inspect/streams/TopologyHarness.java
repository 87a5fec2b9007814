package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.schemas.Alert;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.FlowRecord;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.PacketFlags;
import io.flowinspect.schemas.PacketHeader;
import io.flowinspect.schemas.Topics;
import io.flowinspect.schemas.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The production topology in a {@link TopologyTestDriver}, with the topics typed, and builders for
 * the packet headers a capture agent would send. One sensor, {@value #SENSOR}, writes everything.
 */
final class TopologyHarness implements AutoCloseable {
  static final String SENSOR = "test";
  static final long T0 = 1_700_000_000_000_000_000L;
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000 * MS;
  static final int FIN = 0x01;
  static final int SYN = 0x02;
  static final int RST = 0x04;
  static final int PSH = 0x08;
  static final int ACK = 0x10;

  final Topics topics;
  final TopologyTestDriver driver;
  final TestInputTopic<FlowKey, PacketBatch> packets;
  final TestInputTopic<byte[], byte[]> rawPackets;
  final TestOutputTopic<FlowKey, Verdict> verdicts;
  final TestOutputTopic<byte[], byte[]> rawVerdicts;
  final TestOutputTopic<FlowKey, Alert> alerts;
  final TestOutputTopic<FlowKey, FlowRecord> flows;
  final TestOutputTopic<byte[], byte[]> rawFlows;
  final TestOutputTopic<byte[], byte[]> deadLetters;

  TopologyHarness(InspectorSettings settings, Path stateDir) {
    topics = settings.topics();
    Properties props = StreamsProperties.of("unused:9092", "topology-test", topics,
        Map.of(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()));
    driver = new TopologyTestDriver(InspectorTopology.build(settings), props);
    packets = driver.createInputTopic(topics.packets().name(), topics.packets().keySerde().serializer(),
        topics.packets().valueSerde().serializer());
    rawPackets = driver.createInputTopic(topics.packets().name(), Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer());
    verdicts = driver.createOutputTopic(topics.verdicts().name(), topics.verdicts().keySerde().deserializer(),
        topics.verdicts().valueSerde().deserializer());
    rawVerdicts = driver.createOutputTopic(topics.verdicts().name(), Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer());
    alerts = driver.createOutputTopic(topics.alerts().name(), topics.alerts().keySerde().deserializer(),
        topics.alerts().valueSerde().deserializer());
    flows = driver.createOutputTopic(topics.flows().name(), topics.flows().keySerde().deserializer(),
        topics.flows().valueSerde().deserializer());
    rawFlows = driver.createOutputTopic(topics.flows().name(), Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer());
    deadLetters = driver.createOutputTopic(topics.deadLetters().name(), Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer());
  }

  /** One record holding {@code headers} of one connection, with the last packet's time as watermark. */
  void send(FlowKey key, PacketHeader... headers) {
    long watermark = headers[headers.length - 1].getTimeNanos();
    packets.pipeInput(new TestRecord<>(key, PacketBatch.newBuilder().setSensor(SENSOR).setWatermarkNanos(watermark)
        .setPackets(List.of(headers)).build(), Instant.ofEpochMilli(headers[0].getTimeNanos() / MS)));
  }

  /** An empty record that only says: the sensor has sent everything up to {@code nanos}. */
  void heartbeat(long nanos) {
    packets.pipeInput(new TestRecord<>(null, PacketBatch.newBuilder().setSensor(SENSOR).setWatermarkNanos(nanos)
        .setPackets(List.of()).build(), Instant.ofEpochMilli(nanos / MS)));
  }

  @Override
  public void close() {
    driver.close();
  }

  static PacketHeader tcp(long time, boolean fromHigh, int flags, int seq, int ack) {
    return tcp(time, fromHigh, flags, seq, ack, 0);
  }

  static PacketHeader tcp(long time, boolean fromHigh, int flags, int seq, int ack, int payload) {
    return header(time, fromHigh, 54 + payload, payload).setTcpFlags(flags).setSeq(seq).setAck(ack)
        .setWindow(64000).build();
  }

  /** A TCP segment whose payload is one FTP control line. */
  static PacketHeader ftp(long time, boolean fromHigh, int seq, int ack, String line) {
    byte[] text = (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
    return header(time, fromHigh, 54 + text.length, text.length).setTcpFlags(PSH | ACK).setSeq(seq).setAck(ack)
        .setWindow(64000).setFlags((fromHigh ? PacketFlags.FROM_HIGH : 0) | PacketFlags.PAYLOAD_ENDS_LINE)
        .setFtpLine(ByteBuffer.wrap(text, 0, text.length - 2)).build();
  }

  /** A TCP segment of {@code length} bytes ending a control line that opens nothing (a greeting). */
  static PacketHeader ftpOtherLine(long time, boolean fromHigh, int seq, int ack, int length) {
    return header(time, fromHigh, 54 + length, length).setTcpFlags(PSH | ACK).setSeq(seq).setAck(ack)
        .setWindow(64000).setFlags((fromHigh ? PacketFlags.FROM_HIGH : 0) | PacketFlags.PAYLOAD_ENDS_LINE).build();
  }

  static PacketHeader udp(long time, boolean fromHigh, int payload) {
    return header(time, fromHigh, 42 + payload, payload).build();
  }

  static PacketHeader icmp(long time, boolean fromHigh, int type) {
    return header(time, fromHigh, 98, 56).setIcmpType(type).build();
  }

  /** A packet of a protocol the engine tracks only by addresses (GRE, ESP, ...). */
  static PacketHeader other(long time, boolean fromHigh) {
    return header(time, fromHigh, 100, 66).build();
  }

  private static PacketHeader.Builder header(long time, boolean fromHigh, int length, int payload) {
    return PacketHeader.newBuilder().setTimeNanos(time).setFlags(fromHigh ? PacketFlags.FROM_HIGH : 0)
        .setLength(length).setPayloadLength(payload).setTcpFlags(0).setSeq(0).setAck(0).setWindow(0)
        .setTcpOptions(0).setSackEdge(0).setIcmpType(-1).setIcmpCode(0);
  }

  /** The Avro key of a connection, given with the lower address first as the agent normalizes it. */
  static FlowKey key(int protocol, String lowAddress, int lowPort, String highAddress, int highPort) {
    io.flowinspect.inspect.engine.FlowKey k = io.flowinspect.inspect.engine.FlowKey.of(0, protocol,
        IpAddress.parse(lowAddress), lowPort, IpAddress.parse(highAddress), highPort);
    assertThat(k.lowAddress()).as("test keys are given in normalized order").isEqualTo(IpAddress.parse(lowAddress));
    return AvroMapping.flowKey(k);
  }

  static FlowKey tcpKey(String lowAddress, int lowPort, String highAddress, int highPort) {
    return key(6, lowAddress, lowPort, highAddress, highPort);
  }
}

package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.schemas.Alert;
import io.flowinspect.schemas.AlertType;
import io.flowinspect.schemas.Decision;
import io.flowinspect.schemas.FlowDirection;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.FlowRecord;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.PacketFlags;
import io.flowinspect.schemas.PacketHeader;
import io.flowinspect.schemas.Topics;
import io.flowinspect.schemas.Verdict;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectorTopologyTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final int SYN = 0x02;
  private static final int ACK = 0x10;
  private static final int SYN_ACK = SYN | ACK;

  @TempDir Path stateDir;
  private final Topics topics = Topics.defaults();
  private TopologyTestDriver driver;
  private TestInputTopic<FlowKey, PacketBatch> packets;
  private TestInputTopic<byte[], byte[]> rawPackets;
  private TestOutputTopic<FlowKey, Verdict> verdicts;
  private TestOutputTopic<FlowKey, Alert> alerts;
  private TestOutputTopic<FlowKey, FlowRecord> flows;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void startDriver() {
    Properties props = StreamsProperties.of("unused:9092", "topology-test", topics,
        Map.of(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()));
    driver = new TopologyTestDriver(InspectorTopology.build(InspectorSettings.defaults()), props);
    packets = driver.createInputTopic(topics.packets().name(), topics.packets().keySerde().serializer(),
        topics.packets().valueSerde().serializer());
    rawPackets = driver.createInputTopic(topics.packets().name(), Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer());
    verdicts = driver.createOutputTopic(topics.verdicts().name(), topics.verdicts().keySerde().deserializer(),
        topics.verdicts().valueSerde().deserializer());
    alerts = driver.createOutputTopic(topics.alerts().name(), topics.alerts().keySerde().deserializer(),
        topics.alerts().valueSerde().deserializer());
    flows = driver.createOutputTopic(topics.flows().name(), topics.flows().keySerde().deserializer(),
        topics.flows().valueSerde().deserializer());
    deadLetters = driver.createOutputTopic(topics.deadLetters().name(), Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer());
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void outboundConnectionGetsOneAllowVerdict() {
    FlowKey key = key("10.0.0.5", 40000, "93.184.216.34", 443);
    boolean clientHigh = false;

    send(key, tcp(T0, clientHigh, SYN, 100, 0), tcp(T0 + MS, !clientHigh, SYN_ACK, 900, 101),
        tcp(T0 + 2 * MS, clientHigh, ACK, 101, 901));

    List<TestRecord<FlowKey, Verdict>> out = verdicts.readRecordsToList();
    assertThat(out).hasSize(1);
    Verdict v = out.get(0).value();
    assertThat(v.getDecision()).isEqualTo(Decision.ALLOW);
    assertThat(v.getDirection()).isEqualTo(FlowDirection.OUTBOUND);
    assertThat(v.getRuleId()).isEqualTo("default-outbound");
    assertThat(v.getState()).isEqualTo("tcp/SYN_SENT");
    assertThat(out.get(0).timestamp()).isEqualTo(T0 / MS);
    assertThat(alerts.isEmpty()).isTrue();
  }

  @Test
  void inboundConnectionIsDeniedAndRaisesAnAlert() {
    FlowKey key = key("10.0.0.5", 22, "198.51.100.9", 51515);
    boolean attackerHigh = true;

    send(key, tcp(T0, attackerHigh, SYN, 7, 0));

    Verdict v = verdicts.readValue();
    assertThat(v.getDecision()).isEqualTo(Decision.DENY);
    assertThat(v.getDirection()).isEqualTo(FlowDirection.INBOUND);
    Alert a = alerts.readValue();
    assertThat(a.getType()).isEqualTo(AlertType.DENIED_CONNECTION);
    assertThat(IpAddress.ofBytes(bytes(a.getSource().getAddress()))).isEqualTo(IpAddress.parse("198.51.100.9"));
    assertThat(a.getDestination().getPort()).isEqualTo(22);
  }

  @Test
  void heartbeatAdvancesStreamTimeSoThatAnUnansweredSynExpires() {
    FlowKey key = key("10.0.0.5", 40000, "93.184.216.34", 443);
    send(key, tcp(T0, false, SYN, 100, 0));
    verdicts.readRecordsToList();

    // No more traffic for this connection: only a heartbeat, 121 s later, on the same partition.
    long later = T0 + 121_000 * MS;
    packets.pipeInput(new TestRecord<>(null, PacketBatch.newBuilder().setSensor("test").setWatermarkNanos(later)
        .setPackets(List.of()).build(), Instant.ofEpochMilli(later / MS)));

    TestRecord<FlowKey, Verdict> tombstone = verdicts.readRecord();
    assertThat(tombstone.key()).isEqualTo(key);
    assertThat(tombstone.value()).isNull();
    FlowRecord flow = flows.readValue();
    assertThat(flow.getEndReason().name()).isEqualTo("TIMEOUT");
    assertThat(flow.getFinalState()).isEqualTo("tcp/SYN_SENT");
    assertThat(flow.getOrigPackets()).isEqualTo(1);
  }

  @Test
  void keyThatNoAgentCouldWriteGoesToTheDeadLetterTopicWithTheReason() {
    FlowKey broken = new FlowKey(0, 6, ByteBuffer.wrap(new byte[] {1, 2, 3}), 1, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), 2);

    send(broken, tcp(T0, false, SYN, 1, 0));

    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    Header reason = dead.headers().lastHeader("flowinspect.error");
    assertThat(new String(reason.value())).contains("lowAddress has 3 bytes");
    assertThat(topics.packets().valueSerde().deserializer().deserialize("t", dead.value()).getPackets()).hasSize(1);
    assertThat(verdicts.isEmpty()).isTrue();
  }

  @Test
  void valueThatIsNotAvroGoesToTheDeadLetterTopicAndProcessingContinues() {
    rawPackets.pipeInput("k".getBytes(), "not avro".getBytes());
    FlowKey key = key("10.0.0.5", 40000, "93.184.216.34", 443);
    send(key, tcp(T0, false, SYN, 100, 0));

    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(new String(dead.value())).isEqualTo("not avro");
    assertThat(verdicts.readValue().getDecision()).isEqualTo(Decision.ALLOW);
  }

  @Test
  void batchMixingConnectionsIsInspectedPacketByPacketInOrder() {
    FlowKey out = key("10.0.0.5", 40000, "93.184.216.34", 443);
    FlowKey in = key("10.0.0.5", 22, "198.51.100.9", 51515);
    PacketHeader syn = tcp(T0, false, SYN, 100, 0);
    PacketHeader attack = tcp(T0 + MS, true, SYN, 7, 0);
    PacketHeader synAck = tcp(T0 + 2 * MS, true, SYN_ACK, 900, 101);
    attack.setKeyIndex(1);
    packets.pipeInput(new TestRecord<>(null, PacketBatch.newBuilder().setSensor("test").setWatermarkNanos(T0 + 2 * MS)
        .setKeys(List.of(out, in)).setPackets(List.of(syn, attack, synAck)).build(), Instant.ofEpochMilli(T0 / MS)));

    List<TestRecord<FlowKey, Verdict>> v = verdicts.readRecordsToList();
    assertThat(v).extracting(TestRecord::key).containsExactly(out, in);
    assertThat(v).extracting(r -> r.value().getDecision()).containsExactly(Decision.ALLOW, Decision.DENY);
    assertThat(alerts.readValuesToList()).hasSize(1);
  }

  @Test
  void packetNamingAKeyTheBatchDoesNotHaveSendsTheWholeRecordToTheDeadLetterTopic() {
    PacketHeader stray = tcp(T0, false, SYN, 100, 0);
    stray.setKeyIndex(5);
    packets.pipeInput(new TestRecord<>(null, PacketBatch.newBuilder().setSensor("test").setWatermarkNanos(T0)
        .setKeys(List.of(key("10.0.0.5", 40000, "93.184.216.34", 443))).setPackets(List.of(tcp(T0, false, SYN, 1, 0),
            stray)).build(), Instant.ofEpochMilli(T0 / MS)));

    assertThat(new String(deadLetters.readRecord().headers().lastHeader("flowinspect.error").value()))
        .isEqualTo("packet names key 5 of 1");
    assertThat(verdicts.isEmpty()).as("nothing of a bad record is inspected").isTrue();
  }

  @Test
  void sameInputGivesByteIdenticalVerdicts() {
    byte[][] first = runScriptAndCollectVerdictBytes();
    closeDriver();
    startDriverWithFreshState();
    byte[][] second = runScriptAndCollectVerdictBytes();

    assertThat(second).isDeepEqualTo(first);
  }

  private void startDriverWithFreshState() {
    stateDir = stateDir.resolve("second");
    startDriver();
  }

  private byte[][] runScriptAndCollectVerdictBytes() {
    TestOutputTopic<byte[], byte[]> raw = driver.createOutputTopic(topics.verdicts().name(),
        Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    send(key("10.0.0.5", 40000, "93.184.216.34", 443), tcp(T0, false, SYN, 100, 0));
    send(key("10.0.0.5", 22, "198.51.100.9", 51515), tcp(T0 + MS, true, SYN, 7, 0));
    return raw.readValuesToList().toArray(new byte[0][]);
  }

  private void send(FlowKey key, PacketHeader... headers) {
    long watermark = headers[headers.length - 1].getTimeNanos();
    packets.pipeInput(new TestRecord<>(key, PacketBatch.newBuilder().setSensor("test").setWatermarkNanos(watermark)
        .setPackets(List.of(headers)).build(), Instant.ofEpochMilli(headers[0].getTimeNanos() / MS)));
  }

  private static PacketHeader tcp(long time, boolean fromHigh, int flags, int seq, int ack) {
    return PacketHeader.newBuilder().setTimeNanos(time).setFlags(fromHigh ? PacketFlags.FROM_HIGH : 0)
        .setLength(60).setPayloadLength(0).setTcpFlags(flags).setSeq(seq).setAck(ack).setWindow(64000)
        .setTcpOptions(0).setSackEdge(0).setIcmpType(-1).setIcmpCode(0).build();
  }

  private static FlowKey key(String lowAddress, int lowPort, String highAddress, int highPort) {
    io.flowinspect.inspect.engine.FlowKey k = io.flowinspect.inspect.engine.FlowKey.of(0, 6,
        IpAddress.parse(lowAddress), lowPort, IpAddress.parse(highAddress), highPort);
    assertThat(k.lowAddress()).as("test keys are given in normalized order").isEqualTo(IpAddress.parse(lowAddress));
    return AvroMapping.flowKey(k);
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }
}

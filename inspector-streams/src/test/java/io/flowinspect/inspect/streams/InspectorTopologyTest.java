package io.flowinspect.inspect.streams;

import static io.flowinspect.inspect.streams.TopologyHarness.ACK;
import static io.flowinspect.inspect.streams.TopologyHarness.MS;
import static io.flowinspect.inspect.streams.TopologyHarness.SYN;
import static io.flowinspect.inspect.streams.TopologyHarness.T0;
import static io.flowinspect.inspect.streams.TopologyHarness.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.schemas.Alert;
import io.flowinspect.schemas.AlertType;
import io.flowinspect.schemas.Decision;
import io.flowinspect.schemas.FlowDirection;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.FlowRecord;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.PacketHeader;
import io.flowinspect.schemas.Topics;
import io.flowinspect.schemas.Verdict;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectorTopologyTest {
  @TempDir Path stateDir;
  private TopologyHarness topology;
  private TestInputTopic<FlowKey, PacketBatch> packets;
  private TestInputTopic<byte[], byte[]> rawPackets;
  private TestOutputTopic<FlowKey, Verdict> verdicts;
  private TestOutputTopic<FlowKey, Alert> alerts;
  private TestOutputTopic<FlowKey, FlowRecord> flows;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private Topics topics;

  @BeforeEach
  void startDriver() {
    topology = new TopologyHarness(InspectorSettings.defaults(), stateDir);
    topics = topology.topics;
    packets = topology.packets;
    rawPackets = topology.rawPackets;
    verdicts = topology.verdicts;
    alerts = topology.alerts;
    flows = topology.flows;
    deadLetters = topology.deadLetters;
  }

  @AfterEach
  void closeDriver() {
    topology.close();
  }

  @Test
  void outboundConnectionGetsOneAllowVerdict() {
    FlowKey key = key("10.0.0.5", 40000, "93.184.216.34", 443);
    boolean clientHigh = false;

    send(key, tcp(T0, clientHigh, SYN, 100, 0), tcp(T0 + MS, !clientHigh, SYN | ACK, 900, 101),
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
    topology.heartbeat(later);

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
    PacketHeader synAck = tcp(T0 + 2 * MS, true, SYN | ACK, 900, 101);
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
    TestOutputTopic<byte[], byte[]> raw = topology.rawVerdicts;
    send(key("10.0.0.5", 40000, "93.184.216.34", 443), tcp(T0, false, SYN, 100, 0));
    send(key("10.0.0.5", 22, "198.51.100.9", 51515), tcp(T0 + MS, true, SYN, 7, 0));
    return raw.readValuesToList().toArray(new byte[0][]);
  }

  private void send(FlowKey key, PacketHeader... headers) {
    topology.send(key, headers);
  }

  private static FlowKey key(String lowAddress, int lowPort, String highAddress, int highPort) {
    return TopologyHarness.tcpKey(lowAddress, lowPort, highAddress, highPort);
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }
}

package io.flowinspect.inspect.streams;

import static io.flowinspect.inspect.streams.TopologyHarness.ACK;
import static io.flowinspect.inspect.streams.TopologyHarness.FIN;
import static io.flowinspect.inspect.streams.TopologyHarness.MS;
import static io.flowinspect.inspect.streams.TopologyHarness.PSH;
import static io.flowinspect.inspect.streams.TopologyHarness.RST;
import static io.flowinspect.inspect.streams.TopologyHarness.SECOND;
import static io.flowinspect.inspect.streams.TopologyHarness.SYN;
import static io.flowinspect.inspect.streams.TopologyHarness.T0;
import static io.flowinspect.inspect.streams.TopologyHarness.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.FlowRecord;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.PacketHeader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replaying the same packet topic gives the same flow records, byte for byte: expiry is driven by
 * packet time and heartbeats only, so neither the wall clock nor the processing speed can move a
 * connection's end.
 */
class FlowRecordDeterminismTest {
  private static final int CONNECTIONS = 300;

  @TempDir Path stateDir;

  @Test
  void sameInputTwiceGivesByteIdenticalFlowRecords() {
    List<TestRecord<byte[], byte[]>> first = run(stateDir.resolve("first"));
    List<TestRecord<byte[], byte[]>> second = run(stateDir.resolve("second"));

    assertThat(first).hasSize(CONNECTIONS);
    assertThat(second).hasSameSizeAs(first);
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).key()).isEqualTo(first.get(i).key());
      assertThat(second.get(i).value()).isEqualTo(first.get(i).value());
      assertThat(second.get(i).timestamp()).isEqualTo(first.get(i).timestamp());
    }
  }

  @Test
  void theWorkloadEndsConnectionsInEveryWay() {
    try (TopologyHarness t = new TopologyHarness(InspectorSettings.defaults(), stateDir)) {
      replay(t);
      Map<String, Long> reasons = t.flows.readValuesToList().stream()
          .collect(Collectors.groupingBy(f -> f.getEndReason().name(), Collectors.counting()));
      assertThat(reasons).containsKeys("CLOSED", "RESET", "TIMEOUT");
    }
  }

  private static List<TestRecord<byte[], byte[]>> run(Path dir) {
    try (TopologyHarness t = new TopologyHarness(InspectorSettings.defaults(), dir)) {
      replay(t);
      return t.rawFlows.readRecordsToList();
    }
  }

  /**
   * TCP connections that close, reset or fall silent, and UDP exchanges, interleaved at random
   * (fixed seed) into batches that mix connections as the agent's do; then heartbeats past every
   * timeout.
   */
  private static void replay(TopologyHarness t) {
    SplittableRandom random = new SplittableRandom(42);
    List<List<PacketHeader>> scripts = new ArrayList<>();
    List<FlowKey> keys = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      String client = "10.1." + (i / 200) + "." + (1 + i % 200);
      if (i % 5 == 4) {
        keys.add(TopologyHarness.key(17, client, 30000 + i, "192.0.2.53", 53));
        scripts.add(List.of(TopologyHarness.udp(0, false, 40), TopologyHarness.udp(0, true, 120)));
      } else {
        keys.add(TopologyHarness.tcpKey(client, 30000 + i, "198.51.100.7", 443));
        scripts.add(tcpScript(i % 3));
      }
    }
    int[] next = new int[CONNECTIONS];
    long now = T0;
    List<FlowKey> batchKeys = new ArrayList<>();
    List<PacketHeader> batch = new ArrayList<>();
    Map<FlowKey, Integer> index = new HashMap<>();
    int remaining = scripts.stream().mapToInt(List::size).sum();
    while (remaining > 0) {
      int c = random.nextInt(CONNECTIONS);
      if (next[c] == scripts.get(c).size()) {
        continue;
      }
      now += random.nextInt(1, 50) * MS;
      PacketHeader p = PacketHeader.newBuilder(scripts.get(c).get(next[c]++)).setTimeNanos(now).build();
      Integer k = index.computeIfAbsent(keys.get(c), key -> {
        batchKeys.add(key);
        return batchKeys.size() - 1;
      });
      p.setKeyIndex(k);
      batch.add(p);
      remaining--;
      if (batch.size() == 16 || remaining == 0) {
        t.packets.pipeInput(new TestRecord<>(null, PacketBatch.newBuilder().setSensor(TopologyHarness.SENSOR)
            .setWatermarkNanos(now).setKeys(List.copyOf(batchKeys)).setPackets(List.copyOf(batch)).build(),
            Instant.ofEpochMilli(batch.get(0).getTimeNanos() / MS)));
        batch.clear();
        batchKeys.clear();
        index.clear();
      }
    }
    for (long later = now + SECOND; later < now + 6L * 24 * 3600 * SECOND; later += 3600 * SECOND) {
      t.heartbeat(later);
    }
  }

  /** 0: closes with FIN both ways; 1: the server resets; 2: falls silent after some data. */
  private static List<PacketHeader> tcpScript(int ending) {
    List<PacketHeader> s = new ArrayList<>(List.of(tcp(0, false, SYN, 100, 0), tcp(0, true, SYN | ACK, 900, 101),
        tcp(0, false, ACK, 101, 901), tcp(0, false, PSH | ACK, 101, 901, 200), tcp(0, true, ACK, 901, 301)));
    switch (ending) {
      case 0 -> s.addAll(List.of(tcp(0, false, FIN | ACK, 301, 901), tcp(0, true, FIN | ACK, 901, 302),
          tcp(0, false, ACK, 302, 902)));
      case 1 -> s.add(tcp(0, true, RST, 901, 0));
      default -> { }
    }
    return s;
  }
}

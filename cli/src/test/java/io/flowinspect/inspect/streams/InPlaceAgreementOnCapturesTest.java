package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.FrameDecoder;
import io.flowinspect.capture.decode.PacketRecords;
import io.flowinspect.capture.source.CaptureFileReader;
import io.flowinspect.inspect.Inspector;
import io.flowinspect.inspect.engine.Conn;
import io.flowinspect.inspect.engine.EndReason;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.InMemoryState;
import io.flowinspect.inspect.engine.Packet;
import io.flowinspect.inspect.engine.StateCodec;
import io.flowinspect.inspect.engine.TrackerState;
import io.flowinspect.inspect.output.AlertEvent;
import io.flowinspect.inspect.output.FlowSummary;
import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.inspect.output.VerdictEvent;
import io.flowinspect.offline.OfflineInspection;
import io.flowinspect.synth.HeldConnections;
import io.flowinspect.synth.LoadGenerator;
import io.flowinspect.synth.PcapWriter;
import io.flowinspect.synth.TrafficMix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments inspected in place ({@code InPlaceSegment}, on packed memory's fixed layout) against
 * the full engine, on real and generated captures: one inspector holds every connection decoded,
 * as the offline command does; the other keeps one connection decoded and the rest packed, with
 * commits now and then, as the streams inspector does at ten million connections. Every packet
 * must be classified alike, every verdict, alert and flow record must be the same, and at the end
 * every connection, in memory and in the store below, must be the same, byte for byte.
 */
class InPlaceAgreementOnCapturesTest {
  private static final long SWEEP_NANOS = 1_000_000_000L;
  private static final int COMMIT_EVERY = 5_000;

  @Test
  void everyCaptureInSharedGivesTheSameResultsWithSegmentsInspectedInPlace() throws Exception {
    String shared = System.getProperty("flowinspect.shared.dir", "../../shared");
    Path pcaps = Path.of(shared, "pcaps");
    assumeTrue(Files.isDirectory(pcaps), "skipped: " + pcaps.toAbsolutePath() + " is not present on this machine");
    long inPlace = 0;
    long packets = 0;
    try (Stream<Path> files = Files.list(pcaps)) {
      for (Path capture : files.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
          .sorted().toList()) {
        Agreement a = compare(capture);
        inPlace += a.inPlace;
        packets += a.packets;
      }
    }
    assertThat(inPlace).as("segments inspected in place, of %d packets", packets).isGreaterThan(packets / 20);
  }

  @Test
  void generatedTrafficGivesTheSameResultsWithSegmentsInspectedInPlace(@TempDir Path dir) throws Exception {
    Path mixed = dir.resolve("mix.pcap");
    try (PcapWriter w = new PcapWriter(mixed)) {
      new LoadGenerator(TrafficMix.typical(400, 60_000)).run(w::write);
    }
    Path held = dir.resolve("held.pcap");
    HeldConnections connections = new HeldConnections(2_000, 7);
    try (PcapWriter w = new PcapWriter(held)) {
      connections.writeHandshakes(w::write);
      connections.writeFirstExchange(w::write);
      connections.writeTraffic(w::write, 30_000);
    }
    Agreement typical = compare(mixed);
    Agreement steady = compare(held);
    assertThat(typical.inPlace).as("in place, of %d packets", typical.packets).isGreaterThan(typical.packets / 4);
    assertThat(steady.inPlace).as("in place, of %d packets", steady.packets).isGreaterThan(steady.packets / 2);
  }

  private record Agreement(long packets, long inPlace) {}

  private static Agreement compare(Path capture) throws Exception {
    OfflineInspection.Options options = OfflineInspection.Options.defaults();
    List<String> expectedEvents = new ArrayList<>();
    List<String> events = new ArrayList<>();
    InMemoryState plain = new InMemoryState();
    Inspector reference = new Inspector(options.tracker(), options.rules(), TrackerState.inMemory(plain),
        recording(expectedEvents));
    KeyValueStore<Bytes, byte[]> below = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("connections"),
        Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
    QuietWrites quietWrites = new QuietWrites();
    ConnectionCacheStore tiered = new ConnectionCacheStore(below, 1, 64L << 20, true, quietWrites);
    tiered.init(new MockProcessorContext<>().getStateStoreContext(), tiered);
    InMemoryState rest = new InMemoryState();
    Inspector packed = new Inspector(options.tracker(), options.rules(),
        new TrackerState(tiered, rest, rest, rest, rest), recording(events));

    FrameDecoder decoder = new FrameDecoder(options.decoder());
    DecodedPacket decoded = new DecodedPacket();
    long[] clock = {Long.MIN_VALUE, Long.MIN_VALUE}; // last sweep, last packet time
    long[] count = {0};
    String name = capture.getFileName().toString();
    try (CaptureFileReader source = CaptureFileReader.open(capture)) {
      source.forEach((index, linkType, frame, captured, wire, timeNanos) -> {
        if (decoder.decode(linkType, frame, captured, wire, timeNanos, decoded) != null) {
          return;
        }
        if (clock[0] == Long.MIN_VALUE || timeNanos - clock[0] >= SWEEP_NANOS) {
          reference.advanceTo(timeNanos, Integer.MAX_VALUE);
          packed.advanceTo(timeNanos, Integer.MAX_VALUE);
          clock[0] = timeNanos;
        }
        clock[1] = Math.max(clock[1], timeNanos);
        FlowKey key = AvroMapping.flowKey(PacketRecords.key(decoded));
        Packet packet = AvroMapping.packet(PacketRecords.header(decoded));
        assertThat(packed.inspect(key, packet)).as("%s frame %d", name, index)
            .isEqualTo(reference.inspect(key, packet));
        if (++count[0] % COMMIT_EVERY == 0) {
          tiered.flushCache();
        }
      });
    }
    assertThat(events).as("%s: verdicts, alerts and flow records", name).isEqualTo(expectedEvents);

    Map<FlowKey, Conn> open = new LinkedHashMap<>();
    plain.forEachConnection(open::put);
    for (Map.Entry<FlowKey, Conn> e : open.entrySet()) {
      Conn conn = tiered.get(e.getKey());
      assertThat(conn == null ? null : StateCodec.encode(conn)).as("%s: %s in memory", name, e.getKey())
          .isEqualTo(StateCodec.encode(e.getValue()));
    }
    quietWrites.raise();
    tiered.flushCache();
    for (Map.Entry<FlowKey, Conn> e : open.entrySet()) {
      assertThat(below.get(Bytes.wrap(StateCodec.encode(e.getKey())))).as("%s: %s below", name, e.getKey())
          .isEqualTo(StateCodec.encode(e.getValue()));
    }
    long end = clock[1] == Long.MIN_VALUE ? 0 : clock[1];
    open.forEach((key, conn) -> reference.end(key, conn, EndReason.END_OF_INPUT, end));
    for (FlowKey key : open.keySet()) {
      packed.end(key, tiered.get(key), EndReason.END_OF_INPUT, end);
    }
    assertThat(events).as("%s: with the connections open at the end", name).isEqualTo(expectedEvents);
    return new Agreement(count[0], tiered.updatedInPlace());
  }

  private static InspectionSink recording(List<String> events) {
    return new InspectionSink() {
      @Override
      public void verdict(FlowKey key, VerdictEvent verdict) {
        events.add(key + " verdict " + verdict);
      }

      @Override
      public void alert(FlowKey key, AlertEvent alert) {
        events.add(key + " alert " + alert);
      }

      @Override
      public void flowEnded(FlowKey key, FlowSummary flow) {
        events.add(key + " flow " + flow);
      }
    };
  }
}

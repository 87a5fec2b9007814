package io.flowinspect.inspect.streams;

import static io.flowinspect.inspect.streams.ConnectionCacheStoreTest.udp;
import static io.flowinspect.inspect.streams.ConnectionCacheStoreTest.udpKey;
import static io.flowinspect.inspect.streams.TopologyHarness.ACK;
import static io.flowinspect.inspect.streams.TopologyHarness.PSH;
import static io.flowinspect.inspect.streams.TopologyHarness.SECOND;
import static io.flowinspect.inspect.streams.TopologyHarness.SYN;
import static io.flowinspect.inspect.streams.TopologyHarness.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowinspect.inspect.Inspector;
import io.flowinspect.inspect.engine.Conn;
import io.flowinspect.inspect.engine.CtState;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.InMemoryState;
import io.flowinspect.inspect.engine.StateCodec;
import io.flowinspect.inspect.engine.TrackerConfig;
import io.flowinspect.inspect.engine.TrackerState;
import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.inspect.policy.RuleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The quiet-changes setting of {@link ConnectionCacheStore}: commits write transitions only; a
 * connection's quiet changes reach the store below when it leaves memory or when the instance
 * says the next commit must write everything ({@link QuietWrites}); a start after quiet changes
 * were lost makes every stored connection learn its windows again.
 */
class QuietChangesTest {
  private final QuietWrites quietWrites = new QuietWrites();
  /** The store below, with every write it receives recorded as "put key" / "delete key". */
  private List<String> writesBelow;
  private KeyValueStore<Bytes, byte[]> below;

  private ConnectionCacheStore cache(int capacity, long packedBytes) {
    RecordingStore recording = new RecordingStore(InspectorTopology.CONNECTIONS_STORE,
        k -> k.get().length == 0 ? "marker" : StateCodec.decodeKey(k.get()).toString());
    below = recording.store;
    writesBelow = recording.writes;
    ConnectionCacheStore store = new ConnectionCacheStore(below, capacity, packedBytes, true, quietWrites);
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    return store;
  }

  /** A new store over a copy of what the store below holds now, as after a restart that restored it. */
  private ConnectionCacheStore restarted(int capacity, long packedBytes) {
    List<KeyValue<Bytes, byte[]>> kept = new ArrayList<>();
    try (var all = below.all()) {
      all.forEachRemaining(kept::add);
    }
    ConnectionCacheStore store = cache(capacity, packedBytes);
    kept.forEach(e -> below.put(e.key, e.value));
    writesBelow.clear();
    return store;
  }

  private static Inspector inspector(ConnectionCacheStore connections) {
    InMemoryState rest = new InMemoryState();
    return new Inspector(TrackerConfig.defaults(), RuleSet.privateNetworksAsHome(),
        new TrackerState(connections, rest, rest, rest, rest), InspectionSink.DISCARD);
  }

  private byte[] stored(FlowKey key) {
    return below.get(Bytes.wrap(StateCodec.encode(key)));
  }

  /** Enough packets both ways that a DNS-like flow is assured and has every history letter it will get. */
  private static void settle(Inspector engine, FlowKey key, int fromSecond) {
    for (int i = 0; i < 6; i++) {
      engine.inspect(key, udp(fromSecond + i, i % 2 == 1));
    }
  }

  @Test
  void aCommitWritesTransitionsButNotChangesThatLeaveTheConnectionWhereItWas() {
    ConnectionCacheStore store = cache(100, 1 << 20);
    Inspector engine = inspector(store);
    FlowKey dns = udpKey(1);
    engine.inspect(dns, udp(0, false));
    store.flushCache();
    assertThat(writesBelow).as("a new connection is a transition").containsExactly("put " + dns);
    settle(engine, dns, 1);
    store.flushCache();
    assertThat(writesBelow).as("the store below is told once that it may lack changes")
        .containsOnlyOnce("put marker");
    writesBelow.clear();

    engine.inspect(dns, udp(10, false));
    engine.inspect(dns, udp(11, true));
    store.flushCache();

    assertThat(writesBelow).as("counters and times only").isEmpty();
    assertThat(StateCodec.decodeConn(stored(dns)).replyPackets()).isEqualTo(3);
    assertThat(store.get(dns).replyPackets()).isEqualTo(4);
  }

  @Test
  void whenQuietWritesAreDueACommitWritesEveryQuietChangeDecodedOrPackedAndClearsTheMarker() {
    ConnectionCacheStore store = cache(2, 1 << 20);
    Inspector engine = inspector(store);
    for (int client = 1; client <= 5; client++) {
      settle(engine, udpKey(client), 0);
    }
    store.flushCache();
    for (int client = 1; client <= 5; client++) {
      engine.inspect(udpKey(client), udp(20, true));
    }
    store.flushCache();
    writesBelow.clear();

    quietWrites.raise();
    store.flushCache();

    assertThat(writesBelow).hasSize(6).endsWith("delete marker");
    assertThat(store.quietChangesWritten()).isEqualTo(5);
    for (int client = 1; client <= 5; client++) {
      assertThat(StateCodec.decodeConn(stored(udpKey(client))).replyPackets()).as("client %d", client).isEqualTo(4);
    }
    writesBelow.clear();
    store.flushCache();
    assertThat(writesBelow).as("nothing is left to write").isEmpty();
  }

  @Test
  void quietChangesAreWrittenWhenTheirConnectionLeavesMemory() {
    for (long packedBytes : new long[] {0, 12 * 1024}) {
      ConnectionCacheStore store = cache(1, packedBytes);
      Inspector engine = inspector(store);
      int clients = 200;
      for (int client = 1; client <= clients; client++) {
        settle(engine, udpKey(client), 0);
      }
      store.flushCache();
      for (int client = 1; client <= clients; client++) {
        engine.inspect(udpKey(client), udp(20, true)); // quiet, then pushed out by the next ones
      }
      for (int client = 1; client <= clients; client++) {
        engine.inspect(udpKey(1000 + client), udp(21, false));
      }

      int written = 0;
      for (int client = 1; client <= clients; client++) {
        if (StateCodec.decodeConn(stored(udpKey(client))).replyPackets() == 4) {
          written++;
        }
      }
      int inMemory = store.cached() + store.packed() - clients; // the new ones are in memory first
      assertThat(written).as("packed memory %d bytes", packedBytes).isGreaterThanOrEqualTo(clients - Math.max(0, inMemory));
      assertThat(written).as("packed memory %d bytes", packedBytes).isPositive();
    }
  }

  @Test
  void aStartAfterQuietChangesWereLostMakesEveryStoredConnectionLearnItsWindowsAgain() {
    ConnectionCacheStore store = cache(100, 1 << 20);
    Inspector engine = inspector(store);
    FlowKey web = AvroMapping.flowKey(TopologyHarness.tcpKey("10.0.0.1", 40000, "198.51.100.7", 443));
    int c = 1000;
    int s = 5000;
    engine.inspect(web, tcp(0, false, SYN, c, 0, 0));
    engine.inspect(web, tcp(1, true, SYN | ACK, s, c + 1, 0));
    engine.inspect(web, tcp(2, false, ACK, c + 1, s + 1, 0));
    int second = 3;
    for (int i = 0; i < 4; i++, second += 2) { // data both ways, until every letter is there
      engine.inspect(web, tcp(second, false, PSH | ACK, c + 1 + 100 * i, s + 1 + 100 * i, 100));
      engine.inspect(web, tcp(second + 1, true, PSH | ACK, s + 1 + 100 * i, c + 101 + 100 * i, 100));
    }
    store.flushCache();
    byte[] beforeCrash = stored(web);
    engine.inspect(web, tcp(second, false, PSH | ACK, c + 401, s + 401, 100));
    store.flushCache();
    assertThat(writesBelow).endsWith("put marker");

    InMemoryState withoutRelearning = new InMemoryState();
    withoutRelearning.put(web, StateCodec.decodeConn(beforeCrash));
    Inspector strict = new Inspector(TrackerConfig.defaults(), RuleSet.privateNetworksAsHome(),
        new TrackerState(withoutRelearning, withoutRelearning, withoutRelearning, withoutRelearning,
            withoutRelearning), InspectionSink.DISCARD);
    assertThat(strict.inspect(web, tcp(second + 1, true, PSH | ACK, s + 401, c + 501, 100)).state())
        .as("what the stored windows alone would say").isEqualTo(CtState.INVALID);

    ConnectionCacheStore afterCrash = restarted(100, 1 << 20);
    afterCrash.load((k, v) -> { });

    assertThat(afterCrash.relearnedWindows()).isTrue();
    Conn expected = StateCodec.decodeConn(beforeCrash);
    expected.forgetWindows();
    assertThat(stored(web)).as("written back with its windows to be learned").isEqualTo(StateCodec.encode(expected));
    assertThat(writesBelow).containsExactly("put " + web, "delete marker");
    Inspector resumed = inspector(afterCrash);
    assertThat(resumed.inspect(web, tcp(second + 1, true, PSH | ACK, s + 401, c + 501, 100)).state())
        .as("the reply to the lost segment, beyond the windows stored before it").isEqualTo(CtState.ESTABLISHED);
  }

  @Test
  void aStartAfterEveryQuietChangeWasWrittenRelearnsNothing() {
    ConnectionCacheStore store = cache(100, 1 << 20);
    Inspector engine = inspector(store);
    settle(engine, udpKey(1), 0);
    store.flushCache();
    engine.inspect(udpKey(1), udp(20, true));
    quietWrites.raise();
    store.flushCache();
    byte[] closed = stored(udpKey(1));

    ConnectionCacheStore again = restarted(100, 1 << 20);
    again.load((k, v) -> { });

    assertThat(again.relearnedWindows()).isFalse();
    assertThat(writesBelow).isEmpty();
    assertThat(stored(udpKey(1))).isEqualTo(closed);
  }

  /**
   * Random packets over a few dozen connections, commits now and then, through every memory shape
   * (decoded only; packed memory too small to use; one chunk, so full that entries are pushed out
   * and grown ones find no larger block; plenty): once the writes are due, the store below holds,
   * byte for byte, what a plain in-memory table holds.
   */
  @Test
  void onceTheWritesAreDueTheStoreBelowHoldsWhatAPlainTableHoldsWhateverTheMemory() {
    for (int capacity : new int[] {1, 3, 50}) {
      for (long packedBytes : new long[] {0, 4 * 1024, PackedConnections.MIN_INDEX_BYTES + 4096, 1 << 20}) {
        Random random = new Random(capacity * 31L + packedBytes);
        ConnectionCacheStore store = cache(capacity, packedBytes);
        InMemoryState plain = new InMemoryState();
        Inspector cached = inspector(store);
        Inspector reference = new Inspector(TrackerConfig.defaults(), RuleSet.privateNetworksAsHome(),
            new TrackerState(plain, plain, plain, plain, plain), InspectionSink.DISCARD);
        for (int step = 0; step < 3_000; step++) {
          FlowKey key = udpKey(1 + random.nextInt(60));
          io.flowinspect.inspect.engine.Packet p = udp(step / 100, random.nextInt(3) == 0);
          assertThat(cached.inspect(key, p).state()).isEqualTo(reference.inspect(key, p).state());
          if (random.nextInt(300) == 0) {
            store.flushCache();
          }
        }
        quietWrites.raise();
        store.flushCache();
        quietWrites.lower();
        if (packedBytes == 1 << 20) { // every connection stayed in memory: their last changes were quiet
          assertThat(store.quietChangesWritten()).as("capacity %d", capacity).isPositive();
        }

        for (int client = 1; client <= 60; client++) {
          Conn expected = plain.get(udpKey(client));
          assertThat(stored(udpKey(client))).as("client %d, capacity %d, packed %d bytes", client, capacity, packedBytes)
              .isEqualTo(expected == null ? null : StateCodec.encode(expected));
        }
      }
    }
  }

  @Test
  void theInspectorRefusesQuietChangesWithExactlyOnce() {
    Properties streams = new Properties();
    streams.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);

    assertThatThrownBy(() -> new InspectorRunner(InspectorSettings.defaults().withQuietChanges(true), streams))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at-least-once");
  }

  private static io.flowinspect.inspect.engine.Packet tcp(int second, boolean fromServer, int flags, int seq, int ack,
      int payload) {
    return AvroMapping.packet(TopologyHarness.tcp(T0 + second * SECOND, fromServer, flags, seq, ack, payload));
  }
}

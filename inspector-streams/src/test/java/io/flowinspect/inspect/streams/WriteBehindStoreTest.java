package io.flowinspect.inspect.streams;

import static io.flowinspect.inspect.streams.TopologyHarness.SYN;
import static io.flowinspect.inspect.streams.TopologyHarness.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-behind store of the indexes and counters, over a real (in-memory) Kafka Streams store. */
class WriteBehindStoreTest {
  @TempDir Path stateDir;
  private RecordingStore below;

  private WriteBehindStore store(int limit) {
    return store(limit, false);
  }

  private WriteBehindStore store(int limit, boolean putsAreNew) {
    below = new RecordingStore("index", k -> new String(k.get(), StandardCharsets.US_ASCII));
    WriteBehindStore s = new WriteBehindStore(below.store, limit, putsAreNew);
    s.init(new MockProcessorContext<>().getStateStoreContext(), s);
    return s;
  }

  @Test
  void writesWaitForTheCommitAndTheLastWriteOfAKeyWins() {
    WriteBehindStore s = store(1000);
    s.put(key("a"), value("1"));
    s.put(key("a"), value("2"));
    s.put(key("b"), value("1"));
    s.put(key("b"), null);
    assertThat(below.writes).isEmpty();

    s.flushCache();

    assertThat(below.writes).containsExactly("put a", "delete b");
    assertThat(below.store.get(key("a"))).isEqualTo(value("2"));
  }

  @Test
  void whenPutsAreNewKeysAPutAndADeleteBeforeTheWriteCancelOut() {
    WriteBehindStore s = store(1000, true);
    s.put(key("answered-at-once"), value("1"));
    s.put(key("still-waiting"), value("1"));
    s.put(key("answered-at-once"), null);

    s.flushCache();

    assertThat(below.writes).containsExactly("put still-waiting");
  }

  @Test
  void aKeyPutAgainAfterAWaitingDeleteIsBelowAndItsNextDeleteIsWritten() {
    WriteBehindStore s = store(1000, true);
    s.put(key("a"), value("1"));
    s.flushCache();
    s.put(key("a"), null);
    s.put(key("a"), value("2"));
    s.put(key("a"), null);

    s.flushCache();

    assertThat(below.writes).containsExactly("put a", "delete a");
    assertThat(below.store.get(key("a"))).isNull();
  }

  @Test
  void readsSeeWritesThatAreStillWaiting() {
    WriteBehindStore s = store(1000);
    s.put(key("a"), value("1"));
    s.flushCache();
    s.put(key("a"), null);
    s.put(key("b"), value("2"));

    assertThat(s.get(key("a"))).isNull();
    assertThat(s.get(key("b"))).isEqualTo(value("2"));
    assertThat(below.store.get(key("a"))).as("not yet deleted below").isEqualTo(value("1"));
  }

  @Test
  void aScanWritesWhatIsWaitingFirstAndSeesItInKeyOrder() {
    WriteBehindStore s = store(1000);
    s.put(key("c"), value("3"));
    s.put(key("a"), value("1"));
    s.put(key("b"), value("2"));
    s.put(key("b"), null);

    List<String> seen = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = s.range(key("a"), key("z"))) {
      it.forEachRemaining(e -> seen.add(new String(e.key.get(), StandardCharsets.US_ASCII)));
    }

    assertThat(seen).containsExactly("a", "c");
    assertThat(s.waiting()).isZero();
  }

  @Test
  void reachingTheLimitWritesEverythingWaiting() {
    WriteBehindStore s = store(3);
    s.put(key("a"), value("1"));
    s.put(key("b"), value("1"));
    assertThat(below.writes).isEmpty();

    s.put(key("c"), value("1"));

    assertThat(below.writes).containsExactly("put a", "put b", "put c");
  }

  @Test
  void clearingForgetsWhatWasNotWrittenAndClosingWritesTheRest() {
    WriteBehindStore s = store(1000);
    s.put(key("lost"), value("1"));
    s.clearCache();
    s.put(key("kept"), value("1"));

    s.close();

    assertThat(below.writes).containsExactly("put kept");
  }

  @Test
  void putAllAndDeleteGoThroughTheSameWaitingWrites() {
    WriteBehindStore s = store(1000);
    s.putAll(List.of(KeyValue.pair(key("a"), value("1")), KeyValue.pair(key("b"), value("1"))));
    assertThat(s.delete(key("a"))).isEqualTo(value("1"));
    assertThat(s.putIfAbsent(key("b"), value("2"))).isEqualTo(value("1"));

    s.flushCache();

    assertThat(below.writes).containsExactly("delete a", "put b");
  }

  @Test
  void kafkaStreamsFlushesTheSmallStoresWhenItCommits() {
    try (TopologyHarness t = new TopologyHarness(InspectorSettings.defaults(), stateDir)) {
      var metaChangelog = t.driver.createOutputTopic("topology-test-" + InspectorTopology.META_STORE
          + "-changelog", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());

      t.send(TopologyHarness.tcpKey("10.0.0.1", 40000, "198.51.100.7", 443), TopologyHarness.tcp(T0, false, SYN, 1, 0));

      assertThat(metaChangelog.readRecordsToList()).extracting(r -> new String(r.key(), StandardCharsets.US_ASCII))
          .as("the new connection count, and the offset after the record inspected (InputGaps)")
          .containsExactlyInAnyOrder("connections", "packets-next-offset");
      for (String store : List.of(InspectorTopology.META_STORE, InspectorTopology.EXPIRY_STORE)) {
        WriteBehindStore s = (WriteBehindStore) t.driver.<Bytes, byte[]>getKeyValueStore(store);
        assertThat(s.waiting()).as(store).isZero();
      }
      assertThat(t.driver.producedTopicNames()).as("the indexes are local, written again from the connections")
          .noneMatch(topic -> topic.contains(InspectorTopology.EXPIRY_STORE)
              || topic.contains(InspectorTopology.UNREPLIED_STORE));
    }
  }

  private static Bytes key(String k) {
    return Bytes.wrap(k.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] value(String v) {
    return v.getBytes(StandardCharsets.US_ASCII);
  }
}

package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.inspect.engine.Decision;
import io.flowinspect.inspect.engine.Expectation;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.inspect.engine.Protocols;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The expectations table over its store: it counts what the store holds, so that the look every
 * new connection makes for an expectation costs nothing while there is none.
 */
class StoreTablesExpectationsTest {
  private static final FlowKey CONTROL = FlowKey.of(0, Protocols.TCP, IpAddress.parse("10.0.0.1"), 40000,
      IpAddress.parse("192.0.2.21"), 21);
  private static final Expectation.Key DATA = new Expectation.Key(0, Protocols.TCP, false, 0, 0x0a000001L, 0,
      0xc0000215L, 50000);

  @Test
  void anExpectationStoredBeforeAStartIsFoundAfterIt() {
    KeyValueStore<Bytes, byte[]> store = store();
    tables(store).put(expectation());

    StoreTables restarted = tables(store);

    assertThat(restarted.get(DATA)).isEqualTo(expectation());
    restarted.remove(DATA);
    assertThat(restarted.get(DATA)).isNull();
    assertThat(tables(store).get(DATA)).isNull();
  }

  @Test
  void removingAnExpectationThatIsNotThereWritesNothing() {
    RecordingStore recording = new RecordingStore(InspectorTopology.EXPECTATIONS_STORE, k -> "expectation");
    recording.store.init(new MockProcessorContext<>().getStateStoreContext(), recording.store);
    StoreTables tables = tables(recording.store);

    tables.remove(DATA);
    tables.put(expectation());
    tables.put(expectation()); // announced again: still one
    tables.remove(DATA);
    tables.remove(DATA);

    assertThat(recording.writes).containsExactly("put expectation", "put expectation", "delete expectation");
    assertThat(tables.get(DATA)).isNull();
  }

  @Test
  void whileTheTaskHoldsNoExpectationALookupReadsNothingBelow() {
    RecordingStore recording = new RecordingStore(InspectorTopology.EXPECTATIONS_STORE, k -> "expectation");
    recording.store.init(new MockProcessorContext<>().getStateStoreContext(), recording.store);
    StoreTables tables = tables(recording.store);

    for (int i = 0; i < 100; i++) {
      assertThat(tables.get(DATA)).isNull();
    }
    assertThat(recording.reads).as("one count of the store, then nothing").containsExactly("scan");

    tables.put(expectation());
    recording.reads.clear();
    assertThat(tables.get(DATA)).isEqualTo(expectation());
    assertThat(recording.reads).as("with one held, lookups reach the store").containsExactly("get expectation");

    tables.remove(DATA);
    recording.reads.clear();
    assertThat(tables.get(DATA)).isNull();
    assertThat(recording.reads).as("none held again").isEmpty();
  }

  private static Expectation expectation() {
    return new Expectation(DATA, CONTROL, Decision.ALLOW, "ftp", 1_000_000_000L);
  }

  private static StoreTables tables(KeyValueStore<Bytes, byte[]> expectations) {
    return new StoreTables(expectations, store(), store(), store());
  }

  private static KeyValueStore<Bytes, byte[]> store() {
    KeyValueStore<Bytes, byte[]> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("t"),
        Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
    s.init(new MockProcessorContext<>().getStateStoreContext(), s);
    return s;
  }
}

package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.BytesDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RocksDB under the changelogging layer, handing it one position: the changelog is what it would be without. */
class PositionSharingStoreTest {
  private static final String APP = "position-test";
  @TempDir Path stateDir;

  @Test
  void withoutTheConsistencySettingTheChangelogCarriesNoPositionHeaders() {
    List<TestRecord<Bytes, byte[]>> changelog = changelogOfTwoPuts(false);

    assertThat(changelog).hasSize(2);
    assertThat(changelog).allSatisfy(r -> assertThat(r.headers().toArray()).isEmpty());
    assertThat(new String(changelog.get(1).value(), StandardCharsets.UTF_8)).isEqualTo("second");
  }

  @Test
  void withTheConsistencySettingTheRealPositionGoesIntoTheChangelog() {
    List<TestRecord<Bytes, byte[]>> changelog = changelogOfTwoPuts(true);

    assertThat(changelog).hasSize(2);
    assertThat(changelog).allSatisfy(r -> assertThat(r.headers().toArray()).extracting(Header::key).contains("v", "c"));
    // The position advanced with the input: the two records' vectors differ.
    assertThat(changelog.get(0).headers().lastHeader("c").value())
        .isNotEqualTo(changelog.get(1).headers().lastHeader("c").value());
  }

  @Test
  void aReadOnlyViewComesFromRocksDbNotFromTheWrapper() {
    KeyValueStore<Bytes, byte[]> store = PositionSharingStore.supplier("view").get();
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>(new Properties(), new TaskId(0, 0),
        stateDir.toFile());
    store.init(context.getStateStoreContext(), store);
    try {
      store.put(Bytes.wrap(new byte[] {1}), new byte[] {2});

      var view = store.readOnly(IsolationLevel.READ_COMMITTED);

      assertThat(view).isNotSameAs(store);
      assertThat(view.get(Bytes.wrap(new byte[] {1}))).containsExactly(2);
    } finally {
      store.close();
    }
  }

  private static List<TestRecord<Bytes, byte[]>> changelogOfTwoPuts(boolean consistency) {
    Topology topology = new Topology();
    topology.addSource("in", "input");
    topology.addProcessor("put", () -> new Processor<Object, Object, Object, Object>() {
      private KeyValueStore<Bytes, byte[]> store;

      @Override
      public void init(ProcessorContext<Object, Object> context) {
        store = context.getStateStore("s");
      }

      @Override
      public void process(Record<Object, Object> record) {
        store.put(Bytes.wrap(((byte[]) record.key())), (byte[]) record.value());
      }
    }, "in");
    topology.addStateStore(Stores.keyValueStoreBuilder(PositionSharingStore.supplier("s"), Serdes.Bytes(),
        Serdes.ByteArray()).withCachingDisabled(), "put");
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArray().getClass());
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArray().getClass());
    if (consistency) {
      p.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, true);
    }
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, p)) {
      var input = driver.createInputTopic("input", new StringSerializer(), new StringSerializer());
      input.pipeInput("k", "first");
      input.pipeInput("k", "second");
      return driver.createOutputTopic(APP + "-s-changelog", new BytesDeserializer(), new ByteArrayDeserializer())
          .readRecordsToList();
    }
  }
}

package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

/** The setter applied by Kafka Streams itself to real RocksDB stores of a tiny topology. */
class BoundedRocksDbTest {
  private static final long MIB = 1024 * 1024;

  @TempDir Path stateDir;

  // Each test opens and closes its driver itself: with JUnit's timeouts on separate threads, an
  // @AfterEach runs on another thread than the test, and Kafka Streams' task-directory lock belongs
  // to the thread that took it, so a close from there leaves the directory locked and cleans it
  // while RocksDB may still hold files in it (CI failed on this once, DirectoryNotEmptyException).

  @Test
  void allStoresShareOneBlockCacheOfTheConfiguredSize() {
    try (TopologyTestDriver driver = new TopologyTestDriver(twoStores(),
        bounded(Map.of(BoundedRocksDbSettings.MEMORY_BYTES, 64 * MIB)))) {
      KeyValueStore<Bytes, byte[]> connections = driver.getKeyValueStore(InspectorTopology.CONNECTIONS_STORE);
      for (int i = 0; i < 10_000; i++) {
        connections.put(key(i), new byte[80]);
      }

      assertThat(gauge(driver, "block-cache-capacity", InspectorTopology.CONNECTIONS_STORE)).isEqualTo(64.0 * MIB);
      assertThat(gauge(driver, "block-cache-capacity", InspectorTopology.EXPIRY_STORE)).isEqualTo(64.0 * MIB);
      // Only the connection table was written, and the expiry index's cache holds that table's
      // memtable reservation: it is the same cache.
      double usage = gauge(driver, "block-cache-usage", InspectorTopology.CONNECTIONS_STORE);
      assertThat(usage).isPositive();
      assertThat(gauge(driver, "block-cache-usage", InspectorTopology.EXPIRY_STORE)).isEqualTo(usage);
    }
  }

  @Test
  void withoutTheSetterEveryStoreHasA50MegabyteCache() {
    try (TopologyTestDriver driver = new TopologyTestDriver(twoStores(), kafkaDefaults())) {
      assertThat(gauge(driver, "block-cache-capacity", InspectorTopology.CONNECTIONS_STORE)).isEqualTo(50.0 * MIB);
      assertThat(gauge(driver, "block-cache-capacity", InspectorTopology.EXPIRY_STORE)).isEqualTo(50.0 * MIB);
    }
  }

  @Test
  void memtablesStayWithinTheWriteBufferBudget() {
    // 16 MiB × 0.25: the manager flushes at 4 MiB, long before one 16 MiB memtable would be full.
    double most = 0;
    try (TopologyTestDriver driver = new TopologyTestDriver(twoStores(), bounded(Map.of(
        BoundedRocksDbSettings.MEMORY_BYTES, 16 * MIB, BoundedRocksDbSettings.WRITE_BUFFER_FRACTION, "0.25")))) {
      KeyValueStore<Bytes, byte[]> connections = driver.getKeyValueStore(InspectorTopology.CONNECTIONS_STORE);
      for (int i = 0; i < 200_000; i++) { // ~24 MiB of keys and values
        connections.put(key(i), new byte[100]);
        if (i % 5_000 == 0) {
          most = Math.max(most, gauge(driver, "cur-size-all-mem-tables", InspectorTopology.CONNECTIONS_STORE));
        }
      }
    }

    assertThat(most).isGreaterThan(1.0 * MIB).isLessThan(8.0 * MIB);
  }

  @Test
  void eachStoreGetsTheOptionsOfItsKind() throws IOException {
    String table;
    String index;
    try (TopologyTestDriver driver = new TopologyTestDriver(twoStores(), bounded(Map.of()))) {
      table = latestOptionsFile(InspectorTopology.CONNECTIONS_STORE);
      index = latestOptionsFile(InspectorTopology.EXPIRY_STORE);
    }
    // RocksDB writes the options it runs with to an OPTIONS file: what is there reached the engine
    // through Kafka Streams' options adapter.
    for (String options : new String[] {table, index}) {
      assertThat(options).contains("compaction_style=kCompactionStyleLevel", "level_compaction_dynamic_level_bytes=true",
          "compression=kLZ4Compression", "cache_index_and_filter_blocks=true",
          "cache_index_and_filter_blocks_with_high_priority=true", "pin_l0_filter_and_index_blocks_in_cache=true",
          "arena_block_size=65536");
    }
    assertThat(table).contains("optimize_filters_for_hits=false", "write_buffer_size=16777216");
    assertThat(index).contains("optimize_filters_for_hits=true", "write_buffer_size=4194304",
        "level0_file_num_compaction_trigger=2");
  }

  @Test
  void aBadValueFailsTheStoreNamingTheKey() {
    Topology topology = twoStores();
    Properties props = bounded(Map.of(BoundedRocksDbSettings.WRITE_BUFFER_FRACTION, "half"));

    assertThatThrownBy(() -> new TopologyTestDriver(topology, props).close())
        .hasStackTraceContaining(BoundedRocksDbSettings.WRITE_BUFFER_FRACTION)
        .hasStackTraceContaining("half");
  }

  @Test
  void theSharedObjectsAreTheSameForEveryStoreAndAreNotClosedWithOne() {
    BoundedRocksDb setter = new BoundedRocksDb();
    Map<String, Object> configs = Map.of(BoundedRocksDbSettings.MEMORY_BYTES, 32 * MIB);
    try (Options a = kafkaLike(); Options b = kafkaLike()) {
      setter.setConfig(InspectorTopology.CONNECTIONS_STORE, a, configs);
      setter.setConfig(InspectorTopology.EXPIRY_STORE, b, configs);
      var shared = BoundedRocksDb.shared(BoundedRocksDbSettings.from(configs));
      assertThat(shared.stores()).hasValue(2);
      setter.close(InspectorTopology.CONNECTIONS_STORE, a);

      assertThat(shared.stores()).hasValue(1);
      assertThat(a.writeBufferManager()).isSameAs(shared.writeBuffers()).isSameAs(b.writeBufferManager());
      assertThat(shared.cache().isOwningHandle()).isTrue();
      assertThat(shared.writeBuffers().isOwningHandle()).isTrue();
    }
  }

  private static Options kafkaLike() {
    Options o = new Options();
    o.setTableFormatConfig(new BlockBasedTableConfig());
    return o;
  }

  private static Topology twoStores() {
    Topology t = new Topology();
    t.addSource("in", Serdes.Bytes().deserializer(), Serdes.ByteArray().deserializer(), "in");
    t.addProcessor("nothing", Nothing::new, "in");
    for (String name : new String[] {InspectorTopology.CONNECTIONS_STORE, InspectorTopology.EXPIRY_STORE}) {
      t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(),
          Serdes.ByteArray()).withLoggingDisabled(), "nothing");
    }
    return t;
  }

  private Properties bounded(Map<String, ?> settings) {
    Properties p = kafkaDefaults();
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
    p.putAll(settings);
    return p;
  }

  private Properties kafkaDefaults() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bounded-rocksdb-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return p;
  }

  private static double gauge(TopologyTestDriver driver, String name, String store) {
    for (Map.Entry<MetricName, ? extends Metric> e : driver.metrics().entrySet()) {
      MetricName m = e.getKey();
      if (m.name().equals(name) && store.equals(m.tags().get("rocksdb-state-id"))) {
        return ((Number) e.getValue().metricValue()).doubleValue();
      }
    }
    throw new AssertionError("no metric " + name + " for store " + store + " in " + driver.metrics().keySet());
  }

  private String latestOptionsFile(String store) throws IOException {
    try (Stream<Path> files = Files.walk(stateDir)) {
      Path latest = files.filter(f -> f.getParent().getFileName().toString().equals(store))
          .filter(f -> f.getFileName().toString().startsWith("OPTIONS-"))
          .max(Path::compareTo)
          .orElseThrow(() -> new AssertionError("no OPTIONS file for " + store));
      return Files.readString(latest);
    }
  }

  private static Bytes key(int i) {
    return Bytes.wrap(StoreTables.indexKey(i, new byte[22]));
  }

  /** The stores need a processor to belong to; the tests use them through the driver. */
  private static final class Nothing implements Processor<Bytes, byte[], Void, Void> {
    @Override
    public void process(Record<Bytes, byte[]> record) {}
  }
}

package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An expiry index (big-endian deadline, then the flow key) under the setter's time-ordered options,
 * drained from the front as {@code StoreTables.drainDue} does: with memtables small enough to be
 * flushed and compacted many times over, every scan returns exactly the due entries, in order.
 */
class BoundedRocksDbTimeOrderedTest {
  private static final int ENTRIES = 120_000;
  private static final int BUDGET = 5_000;
  private static final long STEP = 1_000;

  @TempDir Path stateDir;

  @Test
  void scansFromTheFrontReturnExactlyTheDueEntriesAfterManyDeletes() {
    try (TopologyTestDriver driver = new TopologyTestDriver(expiryIndexOnly(), props())) {
      KeyValueStore<Bytes, byte[]> index = driver.getKeyValueStore(InspectorTopology.EXPIRY_STORE);
      TreeSet<Bytes> model = new TreeSet<>();
      Random random = new Random(7);
      long next = 0;
      for (; next < ENTRIES; next++) {
        add(index, model, next, random);
      }

      long now = 0;
      int drained = 0;
      while (drained < 2 * ENTRIES) {
        now += BUDGET * STEP;
        Bytes to = upperBound(now);
        List<Bytes> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = index.range(null, to)) {
          while (due.size() < BUDGET && it.hasNext()) {
            due.add(it.next().key);
          }
        }
        List<Bytes> expected = model.headSet(to).stream().limit(BUDGET).toList();
        assertThat(due).as("due at %d after %d drained", now, drained).isEqualTo(expected);
        for (Bytes k : due) {
          index.delete(k);
          model.remove(k);
        }
        drained += due.size();
        for (int i = 0; i < due.size(); i++) {
          add(index, model, next++, random);
        }
      }

      // The entries and their tombstones went through flushes and compactions, not only the memtable.
      assertThat(gauge(driver, "total-sst-files-size")).isPositive();
      List<Bytes> all = new ArrayList<>();
      try (KeyValueIterator<Bytes, byte[]> it = index.all()) {
        it.forEachRemaining(kv -> all.add(kv.key));
      }
      assertThat(all).isEqualTo(new ArrayList<>(model));
    }
  }

  private static double gauge(TopologyTestDriver driver, String name) {
    return driver.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals(name))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .sum();
  }

  /** Deadlines STEP apart with jitter of up to ten steps, so entries also land between older ones. */
  private static void add(KeyValueStore<Bytes, byte[]> index, TreeSet<Bytes> model, long i, Random random) {
    long deadline = i * STEP + random.nextInt(10 * (int) STEP);
    byte[] flow = new byte[22];
    random.nextBytes(flow);
    Bytes key = Bytes.wrap(StoreTables.indexKey(deadline, flow));
    index.put(key, new byte[0]);
    model.add(key);
  }

  /** The same bound as {@code StoreTables.drainDue}: every key of deadline <= now sorts before it. */
  private static Bytes upperBound(long now) {
    return Bytes.wrap(ByteBuffer.allocate(8).putLong((now ^ Long.MIN_VALUE) + 1).array());
  }

  private static Topology expiryIndexOnly() {
    Topology t = new Topology();
    t.addSource("in", Serdes.Bytes().deserializer(), Serdes.ByteArray().deserializer(), "in");
    t.addProcessor("nothing", Nothing::new, "in");
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(InspectorTopology.EXPIRY_STORE),
        Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled(), "nothing");
    return t;
  }

  private Properties props() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bounded-rocksdb-time-ordered-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
    // 16 MiB × 0.05: memtables are flushed every ~800 KiB, so the entries and their tombstones
    // go through dozens of flushes and L0 compactions.
    p.put(BoundedRocksDbSettings.MEMORY_BYTES, Long.toString(16L * 1024 * 1024));
    p.put(BoundedRocksDbSettings.WRITE_BUFFER_FRACTION, "0.05");
    return p;
  }

  /** The stores need a processor to belong to; the tests use them through the driver. */
  private static final class Nothing implements Processor<Bytes, byte[], Void, Void> {
    @Override
    public void process(Record<Bytes, byte[]> record) {}
  }
}

package io.flowinspect.measure;

import io.flowinspect.inspect.streams.StreamsApp;
import java.nio.ByteBuffer;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The ceiling of "one record per packet": a Kafka Streams application that, for every record,
 * does one RocksDB get and one put of its key (a packet counter) and nothing else — no
 * deserialization, no inspection, no output. Run on the topic the agent writes with batching off,
 * its records/s is what a naive per-packet design could reach at best on the same machine.
 */
final class BaselineStreamsApp extends StreamsApp {
  static final String STORE = "baseline-counters";

  BaselineStreamsApp(String topic, Properties properties) {
    super("baseline", topology(topic), properties);
  }

  private static Topology topology(String topic) {
    Topology t = new Topology();
    t.addSource("packets", Serdes.Bytes().deserializer(), Serdes.ByteArray().deserializer(), topic);
    t.addProcessor("count", CountPerKey::new, "packets");
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(),
        Serdes.ByteArray()), "count");
    return t;
  }

  /** One get and one put per record. */
  private static final class CountPerKey implements Processor<Bytes, byte[], Void, Void> {
    private KeyValueStore<Bytes, byte[]> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<Bytes, byte[]> record) {
      if (record.key() == null) {
        return; // a heartbeat: the inspector would only note its watermark
      }
      byte[] old = store.get(record.key());
      long count = old == null ? 1 : ByteBuffer.wrap(old).getLong() + 1;
      store.put(record.key(), ByteBuffer.allocate(Long.BYTES).putLong(count).array());
    }
  }
}

package io.flowinspect.measure;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import io.flowinspect.inspect.streams.MetricSum;
import org.apache.kafka.streams.KafkaStreams;
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
final class BaselineStreamsApp implements AutoCloseable {
  static final String STORE = "baseline-counters";

  private final KafkaStreams streams;
  private final MetricSum records;
  private final CountDownLatch running = new CountDownLatch(1);
  private volatile Throwable failure;

  BaselineStreamsApp(String topic, Properties properties) {
    Topology t = new Topology();
    t.addSource("packets", Serdes.Bytes().deserializer(), Serdes.ByteArray().deserializer(), topic);
    t.addProcessor("count", CountPerKey::new, "packets");
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(),
        Serdes.ByteArray()), "count");
    streams = new KafkaStreams(t, properties);
    records = new MetricSum(streams, "stream-thread-metrics", "process-total");
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR) {
        running.countDown();
      }
    });
    streams.setUncaughtExceptionHandler(e -> {
      failure = e;
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
          .SHUTDOWN_CLIENT;
    });
  }

  BaselineStreamsApp start(Duration timeout) throws InterruptedException {
    streams.start();
    if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || streams.state() == KafkaStreams.State.ERROR) {
      throw new IllegalStateException("baseline application not running after " + timeout, failure);
    }
    return this;
  }

  long recordsProcessed() {
    return (long) records.value();
  }

  Throwable failure() {
    return failure;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
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

package io.flowinspect.inspect.streams;

import java.util.List;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * The RocksDB store under Kafka Streams' changelogging layer, handing that layer one
 * {@link Position} instead of a fresh deep copy for every record it logs.
 *
 * <p>Kafka Streams' changelogging store asks the store below for its position once per changelog
 * record, and RocksDB's store answers with a copy of its position (a map of maps); the record
 * collector then ignores it unless the internal setting {@value
 * StreamsConfig.InternalConfig#IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED} is on, which flowinspect never
 * sets. Those copies were about a third of what a commit's changelog records cost the stream
 * thread (4 % of it in the default benchmark's profile, docs/DESIGN.md). With the setting on, the
 * real position is passed through. Interactive queries read the position inside RocksDB's store,
 * not through this one.
 */
final class PositionSharingStore extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
    implements KeyValueStore<Bytes, byte[]> {
  /** Never read: stands where Kafka Streams would pass a copy it does not use (one per store, as positions are mutable). */
  private final Position unused = Position.emptyPosition();

  private boolean positionsUsed = true;

  PositionSharingStore(KeyValueStore<Bytes, byte[]> rocksDb) {
    super(rocksDb);
  }

  /** Stores.persistentKeyValueStore(name), each store it makes under one of these. */
  static KeyValueBytesStoreSupplier supplier(String name) {
    KeyValueBytesStoreSupplier rocksDb = Stores.persistentKeyValueStore(name);
    return new KeyValueBytesStoreSupplier() {
      @Override
      public String name() {
        return rocksDb.name();
      }

      @Override
      public KeyValueStore<Bytes, byte[]> get() {
        return new PositionSharingStore(rocksDb.get());
      }

      @Override
      public String metricsScope() {
        return rocksDb.metricsScope();
      }
    };
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    Object consistency = context.appConfigs().get(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED);
    positionsUsed = consistency != null && Boolean.parseBoolean(consistency.toString());
    super.init(context, root);
  }

  @Override
  public Position getPosition() {
    return positionsUsed ? wrapped().getPosition() : unused;
  }

  @Override
  public void put(Bytes key, byte[] value) {
    wrapped().put(key, value);
  }

  @Override
  public byte[] putIfAbsent(Bytes key, byte[] value) {
    return wrapped().putIfAbsent(key, value);
  }

  @Override
  public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
    wrapped().putAll(entries);
  }

  @Override
  public byte[] delete(Bytes key) {
    return wrapped().delete(key);
  }

  @Override
  public byte[] get(Bytes key) {
    return wrapped().get(key);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
    return wrapped().range(from, to);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
    return wrapped().reverseRange(from, to);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    return wrapped().all();
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseAll() {
    return wrapped().reverseAll();
  }

  @Override
  public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
    return wrapped().prefixScan(prefix, prefixKeySerializer);
  }

  @Override
  public long approximateNumEntries() {
    return wrapped().approximateNumEntries();
  }

  /** RocksDB's store answers with a view for the isolation level; the interface's default would answer with this. */
  @Override
  public ReadOnlyKeyValueStore<Bytes, byte[]> readOnly(IsolationLevel isolationLevel) {
    return wrapped().readOnly(isolationLevel);
  }
}

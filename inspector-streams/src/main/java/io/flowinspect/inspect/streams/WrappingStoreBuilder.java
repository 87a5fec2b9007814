package io.flowinspect.inspect.streams;

import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds one of the inspector's stores: a persistent key-value store (changelogged unless
 * {@link #withLoggingDisabled}) without Kafka Streams' record cache, under a store of the
 * inspector's own that does the caching its way ({@link ConnectionCacheStore},
 * {@link WriteBehindStore}). RocksDB sits under a {@link PositionSharingStore}.
 */
final class WrappingStoreBuilder<T extends StateStore> implements StoreBuilder<T> {
  private final StoreBuilder<KeyValueStore<Bytes, byte[]>> below;
  private final Function<KeyValueStore<Bytes, byte[]>, T> wrap;

  WrappingStoreBuilder(String name, Function<KeyValueStore<Bytes, byte[]>, T> wrap) {
    this.below = Stores.keyValueStoreBuilder(PositionSharingStore.supplier(name), Serdes.Bytes(),
        Serdes.ByteArray()).withCachingDisabled();
    this.wrap = wrap;
  }

  @Override
  public StoreBuilder<T> withCachingEnabled() {
    throw new UnsupportedOperationException("the store " + name() + " does its own caching");
  }

  @Override
  public StoreBuilder<T> withCachingDisabled() {
    return this;
  }

  @Override
  public StoreBuilder<T> withLoggingEnabled(Map<String, String> config) {
    below.withLoggingEnabled(config);
    return this;
  }

  @Override
  public StoreBuilder<T> withLoggingDisabled() {
    below.withLoggingDisabled();
    return this;
  }

  @Override
  public T build() {
    return wrap.apply(below.build());
  }

  @Override
  public Map<String, String> logConfig() {
    return below.logConfig();
  }

  @Override
  public boolean loggingEnabled() {
    return below.loggingEnabled();
  }

  @Override
  public String name() {
    return below.name();
  }
}

package io.flowinspect.inspect.streams;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the connections store: a persistent, changelogged key-value store without Kafka Streams'
 * record cache (it would cache the same connections a second time, as bytes), under a
 * {@link ConnectionCacheStore} that holds them decoded.
 */
final class ConnectionCacheStoreBuilder implements StoreBuilder<ConnectionCacheStore> {
  private final StoreBuilder<KeyValueStore<Bytes, byte[]>> encoded;
  private final int capacity;

  ConnectionCacheStoreBuilder(String name, int capacity) {
    this.encoded = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(),
        Serdes.ByteArray()).withCachingDisabled();
    this.capacity = capacity;
  }

  @Override
  public StoreBuilder<ConnectionCacheStore> withCachingEnabled() {
    throw new UnsupportedOperationException("the connections store is its own cache");
  }

  @Override
  public StoreBuilder<ConnectionCacheStore> withCachingDisabled() {
    return this;
  }

  @Override
  public StoreBuilder<ConnectionCacheStore> withLoggingEnabled(Map<String, String> config) {
    encoded.withLoggingEnabled(config);
    return this;
  }

  @Override
  public StoreBuilder<ConnectionCacheStore> withLoggingDisabled() {
    encoded.withLoggingDisabled();
    return this;
  }

  @Override
  public ConnectionCacheStore build() {
    return new ConnectionCacheStore(encoded.build(), capacity);
  }

  @Override
  public Map<String, String> logConfig() {
    return encoded.logConfig();
  }

  @Override
  public boolean loggingEnabled() {
    return encoded.loggingEnabled();
  }

  @Override
  public String name() {
    return encoded.name();
  }
}

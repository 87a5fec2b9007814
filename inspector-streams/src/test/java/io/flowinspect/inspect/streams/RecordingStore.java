package io.flowinspect.inspect.streams;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * A real in-memory Kafka Streams store that records every write it receives ("put KEY", "delete
 * KEY", with keys named by {@code names}) and every read ("get KEY", "scan"), to stand below the
 * inspector's caching stores in tests.
 */
final class RecordingStore {
  final List<String> writes = new ArrayList<>();
  final List<String> reads = new ArrayList<>();
  final KeyValueStore<Bytes, byte[]> store;

  @SuppressWarnings("unchecked")
  RecordingStore(String name, Function<Bytes, String> names) {
    KeyValueStore<Bytes, byte[]> memory = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
        Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
    store = (KeyValueStore<Bytes, byte[]>) Proxy.newProxyInstance(RecordingStore.class.getClassLoader(),
        new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "put" -> record(names, (Bytes) args[0], args[1]);
            case "delete" -> record(names, (Bytes) args[0], null);
            case "putAll" -> ((List<KeyValue<Bytes, byte[]>>) args[0]).forEach(e -> record(names, e.key, e.value));
            case "get" -> reads.add("get " + names.apply((Bytes) args[0]));
            case "all", "range", "reverseAll", "reverseRange", "prefixScan" -> reads.add("scan");
            default -> { }
          }
          try {
            return method.invoke(memory, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private void record(Function<Bytes, String> names, Bytes key, Object value) {
    writes.add((value == null ? "delete " : "put ") + names.apply(key));
  }
}

package io.flowinspect.inspect.engine;

/**
 * Where connection state lives: a hash map for the offline command and the benchmarks, RocksDB
 * stores in Kafka Streams. The tracker always puts a connection back after changing it, so an
 * implementation may hand out copies; and it is done with a connection (put back, removed, or its
 * end reported) before it looks up another, so an implementation may decode every lookup into the
 * same object, as long as it stops when it keeps one.
 */
public interface ConnectionTable {
  Conn get(FlowKey key);

  void put(FlowKey key, Conn conn);

  void remove(FlowKey key);
}

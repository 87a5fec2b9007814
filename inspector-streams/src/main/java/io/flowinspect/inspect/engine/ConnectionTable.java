package io.flowinspect.inspect.engine;

/**
 * Where connection state lives: a hash map for the offline command and the benchmarks, RocksDB
 * stores in Kafka Streams. The tracker always puts a connection back after changing it, so an
 * implementation may hand out copies.
 */
public interface ConnectionTable {
  Conn get(FlowKey key);

  void put(FlowKey key, Conn conn);

  void remove(FlowKey key);
}

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

  /**
   * Offers {@code update} the connection {@code key}'s bytes, if this table holds it in
   * {@link FixedConnLayout} where it can be changed in place; true if the update took the packet
   * (the table then treats the connection as put back), false if the table holds the connection
   * otherwise or not at all, or the update declined, having written nothing.
   */
  default boolean updateInPlace(FlowKey key, InPlaceUpdate update) {
    return false;
  }

  /** A change made to a connection's bytes ({@link FixedConnLayout}) where they lie. */
  interface InPlaceUpdate {
    /**
     * Changes the connection in {@code length} bytes of {@code data} from {@code from} and returns
     * true, or returns false having written nothing. It never changes what
     * {@link Conn#transitionSignature} covers, nor the connection's length.
     */
    boolean apply(byte[] data, int from, int length);
  }
}

package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.Conn;
import io.flowinspect.inspect.engine.ConnectionTable;
import io.flowinspect.inspect.engine.FlowKey;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps the connections a batch touches as objects until the batch is done, then writes each one
 * back once: a batch of 200 packets from 20 connections costs 20 store reads and writes, not 200,
 * and no connection is encoded and decoded between two of its own packets.
 */
final class BatchCache implements ConnectionTable {
  /** Marks a connection removed during the batch. */
  private static final Conn GONE = null;

  private final ConnectionTable store;
  private final Map<FlowKey, Conn> touched = new HashMap<>();

  BatchCache(ConnectionTable store) {
    this.store = store;
  }

  @Override
  public Conn get(FlowKey key) {
    if (touched.containsKey(key)) {
      return touched.get(key);
    }
    Conn c = store.get(key);
    if (c != null) {
      touched.put(key, c);
    }
    return c;
  }

  @Override
  public void put(FlowKey key, Conn conn) {
    touched.put(key, conn);
  }

  @Override
  public void remove(FlowKey key) {
    touched.put(key, GONE);
  }

  /** Writes every connection the batch changed back to the store. */
  void flush() {
    for (Map.Entry<FlowKey, Conn> e : touched.entrySet()) {
      if (e.getValue() == GONE) {
        store.remove(e.getKey());
      } else {
        store.put(e.getKey(), e.getValue());
      }
    }
    touched.clear();
  }
}

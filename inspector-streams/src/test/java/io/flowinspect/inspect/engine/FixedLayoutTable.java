package io.flowinspect.inspect.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * A connection table that holds every connection in {@link FixedConnLayout}, as the streams
 * inspector's packed memory does, and offers those bytes to in-place updates: the engine's fast
 * path without Kafka Streams around it.
 */
final class FixedLayoutTable implements ConnectionTable {
  private final Map<FlowKey, byte[]> rows = new HashMap<>();
  long inPlace;

  @Override
  public Conn get(FlowKey key) {
    byte[] row = rows.get(key);
    return row == null ? null : FixedConnLayout.decode(row, 0, row.length, null);
  }

  @Override
  public void put(FlowKey key, Conn conn) {
    rows.put(key, FixedConnLayout.encode(conn));
  }

  @Override
  public void remove(FlowKey key) {
    rows.remove(key);
  }

  @Override
  public boolean updateInPlace(FlowKey key, InPlaceUpdate update) {
    byte[] row = rows.get(key);
    if (row == null || !update.apply(row, 0, row.length)) {
      return false;
    }
    inPlace++;
    return true;
  }
}

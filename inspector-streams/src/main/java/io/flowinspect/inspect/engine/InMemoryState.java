package io.flowinspect.inspect.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;

/**
 * Connection, expectation and expiry tables in the heap, for the offline {@code inspect} command,
 * tests and benchmarks. The Kafka Streams topology uses RocksDB-backed equivalents.
 */
public final class InMemoryState implements ConnectionTable, ExpectationTable, ExpiryIndex, UnrepliedIndex,
    TrackerMeta {
  private final Map<FlowKey, Conn> connections = new HashMap<>();
  private final Map<Expectation.Key, Expectation> expected = new HashMap<>();
  private final PriorityQueue<Entry> deadlines = new PriorityQueue<>();
  /** In opening order, which is capture order: the first entry is the oldest. */
  private final java.util.LinkedHashMap<FlowKey, Long> opened = new java.util.LinkedHashMap<>();
  private long connectionCount;

  private record Entry(long deadlineNanos, long sequence, FlowKey key) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      int byTime = Long.compare(deadlineNanos, o.deadlineNanos);
      return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
    }
  }

  private long sequence;

  @Override
  public Conn get(FlowKey key) {
    return connections.get(key);
  }

  @Override
  public void put(FlowKey key, Conn conn) {
    connections.put(key, conn);
  }

  @Override
  public void remove(FlowKey key) {
    connections.remove(key);
  }

  @Override
  public Expectation get(Expectation.Key key) {
    return expected.get(key);
  }

  @Override
  public void put(Expectation expectation) {
    expected.put(expectation.key(), expectation);
  }

  @Override
  public void remove(Expectation.Key key) {
    expected.remove(key);
  }

  @Override
  public void add(long deadlineNanos, FlowKey key) {
    // The sequence number keeps ties in insertion order, so expiry order never depends on hashing.
    deadlines.add(new Entry(deadlineNanos, sequence++, key));
  }

  @Override
  public int drainDue(long nowNanos, int max, Due consumer) {
    int handled = 0;
    while (handled < max && !deadlines.isEmpty() && deadlines.peek().deadlineNanos <= nowNanos) {
      Entry e = deadlines.poll();
      consumer.accept(e.deadlineNanos, e.key);
      handled++;
    }
    return handled;
  }

  @Override
  public void opened(long firstNanos, FlowKey key) {
    opened.put(key, firstNanos);
  }

  @Override
  public void ended(long firstNanos, FlowKey key) {
    opened.remove(key, firstNanos);
  }

  @Override
  public FlowKey pollOldest() {
    java.util.Iterator<FlowKey> it = opened.keySet().iterator();
    if (!it.hasNext()) {
      return null;
    }
    FlowKey k = it.next();
    it.remove();
    return k;
  }

  @Override
  public long connectionCount() {
    return connectionCount;
  }

  @Override
  public void connectionCount(long value) {
    connectionCount = value;
  }

  public int size() {
    return connections.size();
  }

  /** Visits every open connection in a stable order (by first packet time, then key text). */
  public void forEachConnection(BiConsumer<FlowKey, Conn> visitor) {
    connections.entrySet().stream()
        .sorted(Map.Entry.<FlowKey, Conn>comparingByValue(java.util.Comparator.comparingLong(Conn::firstNanos))
            .thenComparing(e -> e.getKey().toString()))
        .toList()
        .forEach(e -> visitor.accept(e.getKey(), e.getValue()));
  }
}

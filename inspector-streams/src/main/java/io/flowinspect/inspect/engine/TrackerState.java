package io.flowinspect.inspect.engine;

/** Everything a tracker keeps: in the heap ({@link InMemoryState}) or in Kafka Streams stores. */
public record TrackerState(ConnectionTable connections, ExpectationTable expectations, ExpiryIndex expiry,
    UnrepliedIndex unreplied, TrackerMeta meta) {

  public static TrackerState inMemory(InMemoryState s) {
    return new TrackerState(s, s, s, s, s);
  }
}

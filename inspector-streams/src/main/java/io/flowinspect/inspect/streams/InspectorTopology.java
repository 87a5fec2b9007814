package io.flowinspect.inspect.streams;

import java.util.List;
import org.apache.kafka.streams.Topology;

/**
 * The inspector's topology, built by the same function for production and for tests:
 *
 * <pre>
 * packets ─▶ inspect ─┬─▶ verdicts   (compacted: latest decision per connection, tombstone when it ends)
 *   (RocksDB: connections, expectations, expiry index, unreplied index, tracker meta)
 *                     ├─▶ alerts
 *                     ├─▶ flows
 *                     └─▶ dlq        (records the engine cannot read, with the reason in a header)
 * </pre>
 */
public final class InspectorTopology {
  public static final String SOURCE = "packets";
  public static final String PROCESSOR = "inspect";
  public static final String CONNECTIONS_STORE = "connections";
  public static final String EXPECTATIONS_STORE = "expectations";
  public static final String EXPIRY_STORE = "expiry-index";
  public static final String UNREPLIED_STORE = "unreplied-index";
  public static final String META_STORE = "tracker-meta";
  static final String VERDICTS_SINK = "verdicts";
  static final String ALERTS_SINK = "alerts";
  static final String FLOWS_SINK = "flows";
  static final String DEAD_LETTER_SINK = "dead-letters";
  /** Writes a small store holds back before writing them below anyway (bounds its memory, ~100 B each). */
  static final int WRITE_BEHIND_LIMIT = 100_000;

  private InspectorTopology() {}

  public static Topology build(InspectorSettings settings) {
    return build(settings, new QuietWrites());
  }

  /** With {@code quietWrites}, which the instance raises when its commits must write quiet changes too. */
  static Topology build(InspectorSettings settings, QuietWrites quietWrites) {
    var t = settings.topics();
    Topology topology = new Topology();
    topology.addSource(SOURCE, t.packets().keySerde().deserializer(),
        new PacketBatchReader(t.packets().valueSerde().deserializer()), t.packets().name());
    topology.addProcessor(PROCESSOR, () -> new InspectProcessor(settings), SOURCE);
    // Connections, touched by every packet, are cached in memory by their own store (decoded, then
    // packed); the other stores, written once or twice per connection, hold their writes back in a
    // hash map. Both write to RocksDB and the changelog when Kafka Streams commits (and also when a
    // connection leaves memory, or before a scan), so a connection changed by many batches between
    // two commits reaches RocksDB and its changelog once, and the changelog holds every change up
    // to the last committed offsets (and, between commits, some later ones). Neither needs Kafka
    // Streams' record cache, which orders its entries by key bytes in a TreeMap at a cost these
    // stores do not need to pay.
    topology.addStateStore(new WrappingStoreBuilder<>(CONNECTIONS_STORE,
        below -> new ConnectionCacheStore(below, settings.connectionCache(), settings.connectionMemory(),
            settings.quietChanges(), quietWrites)), PROCESSOR);
    // Index keys name a connection and a time and are written once; an expectation or a counter
    // may be put again over a value that is already below. The two indexes are local: everything
    // in them follows from the connections, and they are written again from them at every start
    // (InspectProcessor); changelogged, they cost two to four changelog records per connection
    // (docs/DESIGN.md has what that did to the benchmark).
    for (String store : List.of(EXPIRY_STORE, UNREPLIED_STORE)) {
      topology.addStateStore(new WrappingStoreBuilder<>(store,
          below -> new WriteBehindStore(below, WRITE_BEHIND_LIMIT, true)).withLoggingDisabled(), PROCESSOR);
    }
    for (String store : List.of(EXPECTATIONS_STORE, META_STORE)) {
      topology.addStateStore(new WrappingStoreBuilder<>(store,
          below -> new WriteBehindStore(below, WRITE_BEHIND_LIMIT, false)), PROCESSOR);
    }
    // Output keys and verdicts are written from the engine's objects (OutputWire): the topics'
    // serdes' bytes, without building Avro objects for every connection first.
    topology.addSink(VERDICTS_SINK, t.verdicts().name(), OutputWire.keySerializer(), OutputWire.verdictSerializer(),
        PROCESSOR);
    topology.addSink(ALERTS_SINK, t.alerts().name(), OutputWire.keySerializer(),
        t.alerts().valueSerde().serializer(), PROCESSOR);
    topology.addSink(FLOWS_SINK, t.flows().name(), OutputWire.keySerializer(),
        t.flows().valueSerde().serializer(), PROCESSOR);
    topology.addSink(DEAD_LETTER_SINK, t.deadLetters().name(), t.deadLetters().keySerde().serializer(),
        t.deadLetters().valueSerde().serializer(), PROCESSOR);
    return topology;
  }
}

package io.flowinspect.inspect.streams;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

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

  private InspectorTopology() {}

  public static Topology build(InspectorSettings settings) {
    var t = settings.topics();
    Topology topology = new Topology();
    topology.addSource(SOURCE, t.packets().keySerde().deserializer(),
        new PacketBatchReader(t.packets().valueSerde().deserializer()), t.packets().name());
    topology.addProcessor(PROCESSOR, () -> new InspectProcessor(settings), SOURCE);
    // Connections, touched by every packet, are cached decoded by their own store, which writes them
    // to RocksDB and the changelog when pushed out and at every commit. The other stores change once
    // or twice per connection and sit behind Kafka Streams' record cache. Either way a connection
    // written by many batches between two commits reaches RocksDB and its changelog once, and what
    // survives a crash is exactly what a commit wrote.
    topology.addStateStore(new ConnectionCacheStoreBuilder(CONNECTIONS_STORE, settings.connectionCache()), PROCESSOR);
    for (String store : List.of(EXPECTATIONS_STORE, EXPIRY_STORE, UNREPLIED_STORE, META_STORE)) {
      topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.Bytes(),
          Serdes.ByteArray()).withCachingEnabled(), PROCESSOR);
    }
    topology.addSink(VERDICTS_SINK, t.verdicts().name(), t.verdicts().keySerde().serializer(),
        t.verdicts().valueSerde().serializer(), PROCESSOR);
    topology.addSink(ALERTS_SINK, t.alerts().name(), t.alerts().keySerde().serializer(),
        t.alerts().valueSerde().serializer(), PROCESSOR);
    topology.addSink(FLOWS_SINK, t.flows().name(), t.flows().keySerde().serializer(),
        t.flows().valueSerde().serializer(), PROCESSOR);
    topology.addSink(DEAD_LETTER_SINK, t.deadLetters().name(), t.deadLetters().keySerde().serializer(),
        t.deadLetters().valueSerde().serializer(), PROCESSOR);
    return topology;
  }
}

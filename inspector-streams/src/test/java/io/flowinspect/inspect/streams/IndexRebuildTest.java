package io.flowinspect.inspect.streams;

import static io.flowinspect.inspect.streams.TopologyHarness.ACK;
import static io.flowinspect.inspect.streams.TopologyHarness.SECOND;
import static io.flowinspect.inspect.streams.TopologyHarness.SYN;
import static io.flowinspect.inspect.streams.TopologyHarness.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowinspect.inspect.Inspector;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.inspect.engine.Protocols;
import io.flowinspect.inspect.engine.StateCodec;
import io.flowinspect.inspect.engine.StateLimits;
import io.flowinspect.inspect.engine.TrackerConfig;
import io.flowinspect.inspect.engine.TrackerState;
import io.flowinspect.inspect.output.AlertEvent;
import io.flowinspect.inspect.output.FlowSummary;
import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.inspect.output.VerdictEvent;
import io.flowinspect.inspect.policy.RuleSet;
import io.flowinspect.schemas.PacketHeader;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The expiry and unreplied indexes are not changelogged: a task that starts where only its
 * changelogged stores came back (another instance, a lost disk) writes them again from the
 * connections. Specified here by comparing such a restarted inspector with one that never stopped:
 * they must evict and expire the same connections, in the same order, for the same reasons.
 */
class IndexRebuildTest {
  private static final int LIMIT = 5;
  private static final IpAddress SERVER = IpAddress.parse("93.184.216.34");

  @Test
  void aTaskStartedWithoutItsIndexesEvictsAndExpiresExactlyAsOneThatNeverStopped() {
    Changelogged logged = new Changelogged();
    Instance first = new Instance(logged, memory("expiry"), memory("unreplied"));
    FlowKey[] opened = openTheTable(first);
    first.commit();

    // Elsewhere: the changelogged stores come back, the local ones stay behind.
    Instance elsewhere = new Instance(logged, memory("expiry"), memory("unreplied"));
    StoreTables.Rebuilt rebuilt = elsewhere.start();

    assertThat(rebuilt.connections()).isEqualTo(opened.length);
    assertThat(rebuilt.dropped()).isZero();
    assertThat(endingOf(elsewhere)).isEqualTo(uninterrupted()).contains(
        "evicted " + opened[1], "evicted " + opened[2]); // the two oldest unanswered ones
  }

  @Test
  void aTaskRestartedOnItsOwnIndexesEndsEveryConnectionOnce() {
    Changelogged logged = new Changelogged();
    KeyValueStore<Bytes, byte[]> expiry = memory("expiry");
    KeyValueStore<Bytes, byte[]> unreplied = memory("unreplied");
    Instance first = new Instance(logged, expiry, unreplied);
    openTheTable(first);
    first.commit();
    // An expiry entry per connection, and a second, stale one for the answered connection, whose
    // deadline moved earlier with the SYN/ACK (SYN_RECV's 60 s); an unreplied entry per unanswered one.
    assertThat(expiry.approximateNumEntries()).isEqualTo(5 + 1);
    assertThat(unreplied.approximateNumEntries()).isEqualTo(4);

    Instance again = new Instance(logged, expiry, unreplied); // same host: the local stores are still there
    StoreTables.Rebuilt rebuilt = again.start();

    assertThat(rebuilt.dropped()).as("the unreplied index starts empty").isEqualTo(4);
    again.commit();
    assertThat(expiry.approximateNumEntries()).as("expiry keeps its entries, written again over themselves")
        .isEqualTo(5 + 1);
    assertThat(endingOf(again)).isEqualTo(uninterrupted()).doesNotHaveDuplicates();
  }

  @Test
  void aTaskResumedOverTheSameStoresStartsAgainFromWhatTheyHold() {
    // Kafka Streams resumes a suspended task on the same stores, without initializing them again:
    // the processor's start runs over a cache that still holds what the suspending commit wrote.
    Instance task = new Instance(new Changelogged(), memory("expiry"), memory("unreplied"));
    FlowKey[] opened = openTheTable(task);
    task.commit();

    StoreTables.Rebuilt rebuilt = task.start();

    assertThat(rebuilt.connections()).isEqualTo(opened.length);
    assertThat(endingOf(task)).isEqualTo(uninterrupted());
  }

  @Test
  void startingWithChangesNotYetWrittenIsRefused() {
    Instance task = new Instance(new Changelogged(), memory("expiry"), memory("unreplied"));
    openTheTable(task); // no commit

    assertThatThrownBy(task::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("not yet written");
  }

  @Test
  void oldEntriesLeftByACrashAreDroppedOrSkipped() {
    Changelogged logged = new Changelogged();
    Instance first = new Instance(logged, memory("expiry"), memory("unreplied"));
    FlowKey[] opened = openTheTable(first);
    first.commit();
    KeyValueStore<Bytes, byte[]> expiry = memory("expiry");
    KeyValueStore<Bytes, byte[]> unreplied = memory("unreplied");
    Instance again = new Instance(logged, expiry, unreplied);
    int leftBehind = 2 * StoreTables.CLEAR_SLICE + 17; // more than one slice of the clearing
    for (int i = 0; i < leftBehind; i++) { // entries of connections long gone, older than every live one
      Bytes key = Bytes.wrap(StoreTables.indexKey(T0 - SECOND + i, StateCodec.encode(tcp(i % 250 + 1))));
      expiry.put(key, new byte[0]);
      unreplied.put(key, new byte[0]);
    }

    StoreTables.Rebuilt rebuilt = again.start();
    again.commit(); // the index's deletes and puts wait for it, as everything written to the stores does

    assertThat(rebuilt.dropped()).isEqualTo(leftBehind);
    assertThat(unreplied.approximateNumEntries()).as("one entry per unanswered connection, nothing else")
        .isEqualTo(opened.length - 1);
    assertThat(endingOf(again)).as("the old expiry entries come due first and are skipped").isEqualTo(uninterrupted());
  }

  /**
   * The tests above keep every expiry entry on disk, where a restart finds them. Held in memory
   * in part or in whole (the default keeps the near ones there, and a start's rebuild fills it),
   * a task restarted elsewhere, or on its own disk after a crash left old entries there, still
   * ends the same connections in the same order as the all-on-disk one that never stopped.
   */
  @ParameterizedTest(name = "{0} expiry entries in memory")
  @ValueSource(ints = {1, 3, NearDeadlines.DEFAULT_LIMIT})
  void whereExpiryEntriesAreHeldChangesNothingARestartEnds(int inMemory) {
    Changelogged logged = new Changelogged();
    Instance first = new Instance(logged, memory("expiry"), memory("unreplied"), near(inMemory));
    openTheTable(first);
    first.commit();
    KeyValueStore<Bytes, byte[]> expiry = memory("expiry");
    Instance elsewhere = new Instance(logged, expiry, memory("unreplied"), near(inMemory));
    for (int i = 0; i < 40; i++) { // stale entries of connections long gone, on the new instance's disk
      expiry.put(Bytes.wrap(StoreTables.indexKey(T0 - SECOND + i, StateCodec.encode(tcp(i % 250 + 1)))),
          new byte[0]);
    }

    elsewhere.start();
    elsewhere.commit();

    assertThat(endingOf(elsewhere)).isEqualTo(uninterrupted());
  }

  private static NearDeadlines near(int limit) {
    return new NearDeadlines(limit, NearDeadlines.DEFAULT_HORIZON_NANOS);
  }

  /** The same traffic through an inspector that never stopped. */
  private static List<String> uninterrupted() {
    Instance i = new Instance(new Changelogged(), memory("expiry"), memory("unreplied"));
    openTheTable(i);
    i.commit();
    return endingOf(i);
  }

  /**
   * One answered TCP connection, three unanswered SYNs and a UDP flow without reply: the table is
   * full, and the indexes hold every kind of entry.
   */
  private static FlowKey[] openTheTable(Instance i) {
    FlowKey answered = tcp(1);
    i.inspect(answered, TopologyHarness.tcp(T0 + SECOND, false, SYN, 100, 0));
    i.inspect(answered, TopologyHarness.tcp(T0 + SECOND + 1, true, SYN | ACK, 900, 101));
    i.inspect(answered, TopologyHarness.tcp(T0 + SECOND + 2, false, ACK, 101, 901));
    FlowKey[] syns = {tcp(2), tcp(3), tcp(4)};
    for (int n = 0; n < syns.length; n++) {
      i.inspect(syns[n], TopologyHarness.tcp(T0 + (2 + n) * SECOND, false, SYN, 100, 0));
    }
    FlowKey udp = FlowKey.of(0, Protocols.UDP, IpAddress.parse("10.0.0.5"), 5353, SERVER, 53);
    i.inspect(udp, TopologyHarness.udp(T0 + 5 * SECOND, false, 30));
    return new FlowKey[] {answered, syns[0], syns[1], syns[2], udp};
  }

  /** Two more SYNs into the full table, then time moves past every timeout: what ended, in order. */
  private static List<String> endingOf(Instance i) {
    i.inspect(tcp(6), TopologyHarness.tcp(T0 + 10 * SECOND, false, SYN, 100, 0));
    i.inspect(tcp(7), TopologyHarness.tcp(T0 + 11 * SECOND, false, SYN, 100, 0));
    i.inspector.advanceTo(T0 + 30L * 86_400 * SECOND, Integer.MAX_VALUE);
    assertThat(i.inspector.connections()).isZero();
    return i.ended;
  }

  private static FlowKey tcp(int client) {
    return FlowKey.of(0, Protocols.TCP, IpAddress.parse("10.0.0." + client), 40000 + client, SERVER, 443);
  }

  private static KeyValueStore<Bytes, byte[]> memory(String name) {
    return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
        .withLoggingDisabled().build();
  }

  /** The changelogged stores: a restart gets them back as they were at the last commit. */
  private record Changelogged(KeyValueStore<Bytes, byte[]> connections, KeyValueStore<Bytes, byte[]> expectations,
      KeyValueStore<Bytes, byte[]> meta) {
    Changelogged() {
      this(memory(InspectorTopology.CONNECTIONS_STORE), memory(InspectorTopology.EXPECTATIONS_STORE),
          memory(InspectorTopology.META_STORE));
    }
  }

  /** One task's stores and engine over changelogged stores and its own two index stores. */
  private static final class Instance implements InspectionSink {
    final ConnectionCacheStore connections;
    final List<HoldingStore> held = new ArrayList<>();
    final StoreTables tables;
    final Inspector inspector;
    final List<String> ended = new ArrayList<>();

    /** Every expiry entry on disk (none held in memory): what a restart finds there is the point. */
    Instance(Changelogged logged, KeyValueStore<Bytes, byte[]> expiry, KeyValueStore<Bytes, byte[]> unreplied) {
      this(logged, expiry, unreplied, new NearDeadlines(0, 0));
    }

    Instance(Changelogged logged, KeyValueStore<Bytes, byte[]> expiry, KeyValueStore<Bytes, byte[]> unreplied,
        NearDeadlines near) {
      connections = new ConnectionCacheStore(logged.connections(), 100, 1 << 20);
      held.add(connections);
      tables = new StoreTables(writeBehind(logged.expectations(), false), writeBehind(expiry, true),
          writeBehind(unreplied, true), writeBehind(logged.meta(), false), near);
      init(connections);
      inspector = new Inspector(TrackerConfig.defaults().withLimits(StateLimits.of(LIMIT)),
          RuleSet.privateNetworksAsHome(), new TrackerState(connections, tables, tables, tables, tables), this);
    }

    StoreTables.Rebuilt start() {
      return tables.rebuildIndexes(connections);
    }

    void inspect(FlowKey key, PacketHeader header) {
      inspector.inspect(key, AvroMapping.packet(header));
    }

    /** What Kafka Streams does at a commit: every store writes what it holds. */
    void commit() {
      held.forEach(HoldingStore::flushCache);
    }

    private WriteBehindStore writeBehind(KeyValueStore<Bytes, byte[]> below, boolean putsAreNew) {
      WriteBehindStore s = new WriteBehindStore(below, InspectorTopology.WRITE_BEHIND_LIMIT, putsAreNew);
      init(s);
      held.add(s);
      return s;
    }

    private void init(HoldingStore s) {
      s.init(new MockProcessorContext<>().getStateStoreContext(), s);
    }

    @Override
    public void verdict(FlowKey key, VerdictEvent verdict) {}

    @Override
    public void alert(FlowKey key, AlertEvent alert) {}

    @Override
    public void flowEnded(FlowKey key, FlowSummary flow) {
      ended.add(flow.reason().name().toLowerCase(java.util.Locale.ROOT) + " " + key);
    }
  }
}

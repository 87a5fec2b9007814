package io.flowinspect.inspect.streams;

import static io.flowinspect.inspect.streams.TopologyHarness.SECOND;
import static io.flowinspect.inspect.streams.TopologyHarness.SYN;
import static io.flowinspect.inspect.streams.TopologyHarness.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.inspect.Inspector;
import io.flowinspect.inspect.engine.Conn;
import io.flowinspect.inspect.engine.Decision;
import io.flowinspect.inspect.engine.CtState;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.InMemoryState;
import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.inspect.engine.StateCodec;
import io.flowinspect.inspect.engine.TrackerConfig;
import io.flowinspect.inspect.engine.TrackerState;
import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.inspect.policy.RuleSet;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoded connection cache over a real (in-memory) Kafka Streams store, driven by the engine
 * itself, and once through the production topology to hold Kafka Streams to flushing it at commit.
 */
class ConnectionCacheStoreTest {
  private static final int UDP = 17;

  @TempDir Path stateDir;

  /** The store below, with every write it receives recorded as "put key" / "delete key". */
  private List<String> writesBelow;
  private KeyValueStore<Bytes, byte[]> below;

  /** Decoded connections only: whatever is pushed out goes below. */
  private ConnectionCacheStore cache(int capacity) {
    return cache(capacity, 0);
  }

  private ConnectionCacheStore cache(int capacity, long packedBytes) {
    RecordingStore recording = new RecordingStore(InspectorTopology.CONNECTIONS_STORE,
        k -> StateCodec.decodeKey(k.get()).toString());
    below = recording.store;
    writesBelow = recording.writes;
    ConnectionCacheStore store = new ConnectionCacheStore(below, capacity, packedBytes);
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    return store;
  }

  private static Inspector inspector(ConnectionCacheStore connections) {
    InMemoryState rest = new InMemoryState();
    return new Inspector(TrackerConfig.defaults(), RuleSet.privateNetworksAsHome(),
        new TrackerState(connections, rest, rest, rest, rest), InspectionSink.DISCARD);
  }

  @Test
  void aConnectionChangedByManyPacketsReachesTheStoreBelowOnceWhenTheCacheIsFlushed() {
    ConnectionCacheStore store = cache(100);
    Inspector engine = inspector(store);
    FlowKey dns = udpKey(1);

    for (int i = 0; i < 10; i++) {
      engine.inspect(dns, udp(i, i % 2 == 1));
    }
    assertThat(writesBelow).isEmpty();
    store.flushCache();

    assertThat(writesBelow).containsExactly("put " + dns);
    assertThat(below.get(Bytes.wrap(StateCodec.encode(dns)))).isEqualTo(StateCodec.encode(store.get(dns)));
  }

  @Test
  void aConnectionPushedOutOfTheCacheIsWrittenAndReadBackWithItsState() {
    ConnectionCacheStore store = cache(2);
    Inspector engine = inspector(store);
    FlowKey first = udpKey(1);

    engine.inspect(first, udp(0, false));
    engine.inspect(udpKey(2), udp(1, false));
    engine.inspect(udpKey(3), udp(2, false)); // three connections, room for two: the first goes below

    assertThat(writesBelow).containsExactly("put " + first);
    assertThat(engine.inspect(first, udp(3, true)).state())
        .as("the reply finds the connection read back from below").isEqualTo(CtState.ESTABLISHED);
    assertThat(store.cached()).isEqualTo(2);
  }

  @Test
  void everyChangedConnectionReachesTheStoreBelowHoweverSmallTheCache() {
    for (int capacity = 1; capacity <= 4; capacity++) {
      for (long packedBytes : PACKED_BUDGETS) {
        everyChangedConnectionReachesTheStoreBelow(capacity, packedBytes, false);
        everyChangedConnectionReachesTheStoreBelow(capacity, packedBytes, true);
      }
    }
  }

  /** None; a few kilobytes (so that packed connections are pushed out below too); plenty. */
  private static final long[] PACKED_BUDGETS = {0, 12 * 1024, 1 << 20};

  /** With commits between the rounds, packed connections are updated where they lie (see the next tests). */
  private void everyChangedConnectionReachesTheStoreBelow(int capacity, long packedBytes, boolean commitEachRound) {
    {
      ConnectionCacheStore store = cache(capacity, packedBytes);
      Inspector engine = inspector(store);
      for (int round = 0; round < 3; round++) {
        for (int client = 1; client <= 20; client++) {
          engine.inspect(udpKey(client), udp(round, round > 0));
        }
        if (commitEachRound) {
          store.flushCache();
        }
      }
      store.flushCache();
      if (commitEachRound && packedBytes >= 1 << 20) {
        assertThat(store.updatedPacked()).as("capacity %d", capacity).isPositive();
      }

      for (int client = 1; client <= 20; client++) {
        byte[] stored = below.get(Bytes.wrap(StateCodec.encode(udpKey(client))));
        String where = String.format("client %d, capacity %d, packed %d bytes, commits %s", client, capacity,
            packedBytes, commitEachRound ? "each round" : "at the end");
        assertThat(stored).as(where).isNotNull();
        assertThat(StateCodec.decodeConn(stored).replyPackets()).as(where).isEqualTo(2);
      }
    }
  }

  @Test
  void aCommitWritesTheConnectionsChangedSinceTheLastCommitAndNoOthers() {
    ConnectionCacheStore store = cache(100);
    Inspector engine = inspector(store);
    for (int client = 1; client <= 10; client++) {
      engine.inspect(udpKey(client), udp(0, false));
    }
    store.flushCache();
    writesBelow.clear();

    engine.inspect(udpKey(3), udp(1, true));
    engine.inspect(udpKey(7), udp(1, true));
    engine.inspect(udpKey(3), udp(2, false));
    store.flushCache();

    assertThat(writesBelow).containsExactlyInAnyOrder("put " + udpKey(3), "put " + udpKey(7));
  }

  @Test
  void connectionsPushedOutByTheThousandBetweenCommitsAreWrittenOnceAndTheCommitWritesOnlyTheRest() {
    ConnectionCacheStore store = cache(8);
    Inspector engine = inspector(store);
    int clients = 5_000; // enough pushed-out slots to make the list of changed ones compact itself
    for (int client = 1; client <= clients; client++) {
      engine.inspect(udpKey(client), udp(0, false));
    }
    assertThat(writesBelow).hasSize(clients - 8);
    writesBelow.clear();

    store.flushCache();

    assertThat(writesBelow).hasSize(8);
    for (int client = 1; client <= clients; client++) {
      assertThat(below.get(Bytes.wrap(StateCodec.encode(udpKey(client))))).as("client %d", client).isNotNull();
    }
  }

  @Test
  void writingAheadWritesTheOldestChangesUntilOnlyTheKeptNumberWaitsForTheCommit() {
    ConnectionCacheStore store = cache(1_000);
    Inspector engine = inspector(store);
    for (int client = 1; client <= 500; client++) {
      engine.inspect(udpKey(client), udp(0, false));
    }

    int written = store.writeOldestChanges(100, farFuture());

    assertThat(written).isEqualTo(400);
    assertThat(store.changedSlots()).isEqualTo(100);
    for (int client = 1; client <= 500; client++) {
      boolean stored = below.get(Bytes.wrap(StateCodec.encode(udpKey(client)))) != null;
      assertThat(stored).as("client %d: the first 400 changed are written ahead, the last 100 wait", client)
          .isEqualTo(client <= 400);
    }
    writesBelow.clear();
    store.flushCache();
    assertThat(writesBelow).hasSize(100);
  }

  @Test
  void aConnectionWrittenAheadAndChangedAgainIsWrittenAgainAtTheCommitWithItsNewState() {
    ConnectionCacheStore store = cache(100);
    Inspector engine = inspector(store);
    FlowKey dns = udpKey(1);
    engine.inspect(dns, udp(0, false));
    assertThat(store.writeOldestChanges(0, farFuture())).isEqualTo(1);

    engine.inspect(dns, udp(1, true)); // the reply: the connection changes state
    store.flushCache();

    assertThat(writesBelow).containsExactly("put " + dns, "put " + dns);
    assertThat(below.get(Bytes.wrap(StateCodec.encode(dns)))).isEqualTo(StateCodec.encode(store.get(dns)));
    assertThat(engine.inspect(dns, udp(2, false)).state()).isEqualTo(CtState.ESTABLISHED);
  }

  @Test
  void aRemovalWrittenAheadDeletesBelowOnceAndLeavesNothingForTheCommit() {
    ConnectionCacheStore store = cache(100);
    Inspector engine = inspector(store);
    FlowKey dns = udpKey(1);
    engine.inspect(dns, udp(0, false));
    store.flushCache();
    engine.advanceTo(T0 + 31 * SECOND, Integer.MAX_VALUE); // UDP unreplied times out after 30 s

    assertThat(store.writeOldestChanges(0, farFuture())).isEqualTo(1);
    store.flushCache();

    assertThat(writesBelow).containsExactly("put " + dns, "delete " + dns);
    assertThat(store.cached()).as("nothing left to remember of it").isZero();
    assertThat(store.get(dns)).isNull();
  }

  @Test
  void writingAheadLeavesPackedChangesToTheCommitWhichWritesEveryConnectionOnce() {
    ConnectionCacheStore store = cache(10, 1 << 20);
    Inspector engine = inspector(store);
    for (int client = 1; client <= 50; client++) {
      engine.inspect(udpKey(client), udp(0, false));
    }
    assertThat(store.packed()).isEqualTo(40);

    assertThat(store.writeOldestChanges(0, farFuture())).as("the ten decoded ones").isEqualTo(10);
    store.flushCache();

    assertThat(writesBelow).hasSize(50).doesNotHaveDuplicates();
    for (int client = 1; client <= 50; client++) {
      assertThat(below.get(Bytes.wrap(StateCodec.encode(udpKey(client))))).as("client %d", client).isNotNull();
    }
  }

  @Test
  void writingAheadStopsAtItsDeadlineAndWritesNothingOnceItHasPassed() {
    ConnectionCacheStore store = cache(100);
    Inspector engine = inspector(store);
    for (int client = 1; client <= 50; client++) {
      engine.inspect(udpKey(client), udp(0, false));
    }

    assertThat(store.writeOldestChanges(0, System.nanoTime() - 1)).isZero();
    assertThat(writesBelow).isEmpty();
    assertThat(store.changedSlots()).isEqualTo(50);
  }

  @Test
  void writingAheadWhileConnectionsKeepChangingWritesAWaitingChangeOnceAndTheStoreEndsWithTheLatest() {
    ConnectionCacheStore store = cache(100);
    Inspector engine = inspector(store);
    int rounds = 200; // each lists 7 connections again: enough for the list of changed ones to compact itself
    for (int round = 0; round < rounds; round++) {
      for (int client = 1; client <= 10; client++) {
        engine.inspect(udpKey(client), udp(round, round > 0));
      }
      store.writeOldestChanges(3, farFuture());
      assertThat(store.changedSlots()).isEqualTo(3);
    }
    assertThat(store.listedChanges()).as("compacted on the way").isLessThan(rounds * 7);
    store.flushCache();

    // Each round writes 7: the 3 still waiting since the round before (changed again, written once),
    // then this round's 4 oldest; the commit writes the last 3.
    assertThat(writesBelow).hasSize(rounds * 7 + 3);
    for (int client = 1; client <= 10; client++) {
      assertThat(below.get(Bytes.wrap(StateCodec.encode(udpKey(client)))))
          .isEqualTo(StateCodec.encode(store.get(udpKey(client))));
    }
  }

  @Test
  void aConnectionPushedOutIsPackedNotWrittenAndComesBackWithItsState() {
    ConnectionCacheStore store = cache(1, 1 << 20);
    Inspector engine = inspector(store);
    FlowKey first = udpKey(1);
    engine.inspect(first, udp(0, false));
    engine.inspect(first, udp(1, true));

    engine.inspect(udpKey(2), udp(2, false)); // room for one decoded: the first is packed

    assertThat(store.packed()).isEqualTo(1);
    assertThat(writesBelow).isEmpty();
    assertThat(store.get(first).replyPackets()).isEqualTo(1);
    assertThat(store.readsBelow()).isZero();
    store.flushCache();
    assertThat(writesBelow).containsExactlyInAnyOrder("put " + first, "put " + udpKey(2));
  }

  @Test
  void aPackedConnectionUnchangedSinceTheCommitIsUpdatedWhereItLiesAndWrittenAtTheNextCommit() {
    ConnectionCacheStore store = cache(1, 1 << 20);
    Inspector engine = inspector(store);
    FlowKey first = udpKey(1);
    engine.inspect(first, udp(0, false));
    engine.inspect(udpKey(2), udp(1, false)); // room for one decoded: the first is packed
    store.flushCache();
    writesBelow.clear();

    engine.inspect(first, udp(2, true));

    assertThat(store.updatedPacked()).isEqualTo(1);
    assertThat(store.packed()).isEqualTo(1);
    assertThat(store.cached()).as("the decoded connection was not pushed out for it").isEqualTo(1);
    assertThat(writesBelow).isEmpty();
    store.flushCache();
    assertThat(writesBelow).containsExactly("put " + first);
    assertThat(StateCodec.decodeConn(below.get(Bytes.wrap(StateCodec.encode(first)))).replyPackets()).isEqualTo(1);
  }

  @Test
  void aSecondPacketSoonAfterTheFirstTakesAPackedConnectionIntoTheDecodedCache() {
    ConnectionCacheStore store = cache(1, 1 << 20);
    Inspector engine = inspector(store);
    FlowKey first = udpKey(1);
    engine.inspect(first, udp(0, false));
    engine.inspect(udpKey(2), udp(1, false));
    store.flushCache();
    writesBelow.clear();

    engine.inspect(first, udp(2, true)); // updated where it lies
    engine.inspect(first, udp(3, false)); // looked up again at once: busy, so decoded

    assertThat(store.updatedPacked()).isEqualTo(1);
    assertThat(store.cached()).isEqualTo(1);
    assertThat(store.packed()).as("the other connection, pushed out to make room").isEqualTo(1);
    store.flushCache();
    assertThat(writesBelow).as("the other one was unchanged, so it is not written").containsExactly("put " + first);
    Conn stored = StateCodec.decodeConn(below.get(Bytes.wrap(StateCodec.encode(first))));
    assertThat(stored.replyPackets()).isEqualTo(1);
    assertThat(stored.origPackets()).isEqualTo(2);
  }

  @Test
  void aConnectionKeptByTheDecodedCacheIsNotTheObjectTheNextPackedLookupDecodesInto() {
    // One chunk of packed memory, filled until it pushes connections out: no block is free.
    ConnectionCacheStore store = cache(1, PackedConnections.MIN_INDEX_BYTES + 4096);
    Inspector engine = inspector(store);
    int added = 0;
    while (store.packed() == added - 1 || added < 2) {
      engine.inspect(udpKey(++added), udp(0, false));
    }
    FlowKey a = udpKey(added - 1); // packed just now, so still there
    FlowKey b = udpKey(added - 2);
    Conn first = store.get(a);
    String longRule = "a rule of the user's, spelled out in full: " + "x".repeat(200);
    first.decide(Decision.DENY, longRule); // too long for its block, and no larger block is free

    store.put(a, first); // so the decoded cache keeps this object
    Conn second = store.get(b);

    assertThat(second).isNotSameAs(first);
    assertThat(first.ruleId()).isEqualTo(longRule);
    assertThat(store.get(a)).isSameAs(first);
    store.flushCache();
    assertThat(StateCodec.decodeConn(below.get(Bytes.wrap(StateCodec.encode(a)))).ruleId()).isEqualTo(longRule);
  }

  @Test
  void aNewConnectionPushedOutBeforeItsNextPutIsHeldOnceNotTwice() {
    ConnectionCacheStore store = cache(1, 1 << 20);
    Inspector engine = inspector(store);
    engine.inspect(udpKey(1), udp(0, false));
    Conn state = store.get(udpKey(1));
    FlowKey fresh = udpKey(3);

    assertThat(store.get(fresh)).isNull(); // found nowhere: its first put needs no second look
    store.put(fresh, state);
    store.put(udpKey(2), state); // put without a lookup: pushes the fresh one out, into packed memory
    store.put(fresh, state); // which comes back without a lookup either

    assertThat(store.cached() + store.packed()).as("three connections, each held once").isEqualTo(3);
    store.flushCache();
    assertThat(store.cached() + store.packed()).isEqualTo(3);
  }

  @Test
  void whilePackedMemoryHoldsEveryConnectionNoneIsReadFromBelow() {
    ConnectionCacheStore store = cache(10, 1 << 20);
    Inspector engine = inspector(store);

    for (int round = 0; round < 2; round++) {
      for (int client = 1; client <= 2_000; client++) {
        engine.inspect(udpKey(client), udp(round, round > 0));
      }
    }

    assertThat(store.readsBelow()).isZero();
    assertThat(writesBelow).isEmpty();
    assertThat(store.get(udpKey(1)).replyPackets()).isEqualTo(1);
  }

  @Test
  void connectionsPushedOutOfPackedMemoryAreWrittenBelowAndReadBackFromThere() {
    ConnectionCacheStore store = cache(10, 32 * 1024);
    Inspector engine = inspector(store);
    for (int client = 1; client <= 2_000; client++) {
      engine.inspect(udpKey(client), udp(0, false));
    }
    assertThat(writesBelow).isNotEmpty(); // packed memory is full: the oldest went below

    for (int client = 1; client <= 2_000; client++) {
      engine.inspect(udpKey(client), udp(1, true));
    }

    assertThat(store.readsBelow()).isPositive();
    store.flushCache();
    for (int client = 1; client <= 2_000; client++) {
      byte[] stored = below.get(Bytes.wrap(StateCodec.encode(udpKey(client))));
      assertThat(StateCodec.decodeConn(stored).replyPackets()).as("client %d", client).isEqualTo(1);
    }
  }

  @Test
  void aPackedConnectionThatEndsIsDeletedBelowOnlyIfItWasWrittenThere() {
    ConnectionCacheStore store = cache(1, 1 << 20);
    Inspector engine = inspector(store);
    FlowKey written = udpKey(1);
    FlowKey neverWritten = udpKey(2);
    engine.inspect(written, udp(0, false));
    store.flushCache();
    engine.inspect(neverWritten, udp(0, false)); // packs the first
    engine.inspect(udpKey(3), udp(0, false)); // packs the second
    writesBelow.clear();

    store.remove(written);
    store.remove(neverWritten);
    store.flushCache();

    assertThat(writesBelow).contains("delete " + written).doesNotContain("delete " + neverWritten);
    assertThat(store.get(written)).isNull();
    assertThat(store.get(neverWritten)).isNull();
  }

  @Test
  void aRestartReadsTheConnectionsBelowIntoDecodedAndPackedMemoryWhenTheyFit() {
    ConnectionCacheStore first = cache(1_000);
    Inspector writer = inspector(first);
    for (int client = 1; client <= 500; client++) {
      writer.inspect(udpKey(client), udp(0, false));
    }
    first.flushCache();
    KeyValueStore<Bytes, byte[]> kept = below;
    ConnectionCacheStore restarted = cache(10, 1 << 20);
    try (var all = kept.all()) {
      all.forEachRemaining(e -> below.put(e.key, e.value)); // as a restore from the changelog would
    }
    writesBelow.clear();
    Inspector engine = inspector(restarted);

    for (int client = 1; client <= 600; client++) {
      engine.inspect(udpKey(client), udp(1, client <= 500));
    }

    assertThat(restarted.readsBelow()).isZero();
    assertThat(restarted.get(udpKey(250)).replyPackets()).isEqualTo(1);
  }

  @Test
  void aConnectionPushedOutBetweenItsLookupAndItsRemovalIsStillDeletedBelow() {
    for (long packedBytes : PACKED_BUDGETS) {
      aConnectionPushedOutBetweenItsLookupAndItsRemovalIsStillDeletedBelow(packedBytes);
    }
  }

  private void aConnectionPushedOutBetweenItsLookupAndItsRemovalIsStillDeletedBelow(long packedBytes) {
    ConnectionCacheStore store = cache(1, packedBytes);
    Inspector engine = inspector(store);
    FlowKey a = udpKey(1);
    FlowKey b = udpKey(2);
    engine.inspect(a, udp(0, false));
    engine.inspect(b, udp(0, false)); // room for one: a goes below
    Conn bState = store.get(b);

    if (packedBytes > 0) {
      store.flushCache(); // both below (without packed memory, a went below when b pushed it out)
    }
    assertThat(store.get(a)).as("read back").isNotNull(); // b goes out
    store.put(b, bState); // and comes back, pushing a out between its lookup and its removal
    store.remove(a);
    store.flushCache();

    assertThat(below.get(Bytes.wrap(StateCodec.encode(a)))).isNull();
    assertThat(below.get(Bytes.wrap(StateCodec.encode(b)))).isNotNull();
  }

  @Test
  void removingAConnectionThatIsNowhereChangesNothing() {
    ConnectionCacheStore store = cache(2);
    Inspector engine = inspector(store);
    engine.inspect(udpKey(1), udp(0, false));
    engine.inspect(udpKey(2), udp(0, false));
    engine.inspect(udpKey(3), udp(0, false)); // a stored connection went below: misses now read it
    writesBelow.clear();

    for (int client = 100; client < 3_000; client++) {
      assertThat(store.get(udpKey(client))).isNull(); // a miss, remembered
      store.remove(udpKey(client));
    }
    engine.inspect(udpKey(4), udp(1, false));

    assertThat(store.changedSlots()).as("the third and the fourth").isEqualTo(2);
    store.flushCache();
    assertThat(writesBelow).containsExactlyInAnyOrder("put " + udpKey(2), "put " + udpKey(3), "put " + udpKey(4));
  }

  @Test
  void aConnectionBornAndGoneBetweenTwoFlushesNeverReachesTheStoreBelow() {
    ConnectionCacheStore store = cache(100);
    Inspector engine = inspector(store);
    FlowKey dns = udpKey(1);

    engine.inspect(dns, udp(0, false));
    engine.advanceTo(T0 + 31 * SECOND, Integer.MAX_VALUE); // UDP unreplied times out after 30 s
    assertThat(store.get(dns)).isNull();
    store.flushCache();

    assertThat(writesBelow).isEmpty();
  }

  @Test
  void aConnectionThatWasBelowIsDeletedThereWhenItEnds() {
    ConnectionCacheStore store = cache(100);
    Inspector engine = inspector(store);
    FlowKey dns = udpKey(1);
    engine.inspect(dns, udp(0, false));
    store.flushCache();

    engine.advanceTo(T0 + 31 * SECOND, Integer.MAX_VALUE);
    store.flushCache();

    assertThat(writesBelow).containsExactly("put " + dns, "delete " + dns);
    assertThat(below.get(Bytes.wrap(StateCodec.encode(dns)))).isNull();
  }

  @Test
  void whileTheCacheHoldsEveryConnectionANewOneCostsNoReadBelow() {
    ConnectionCacheStore store = cache(100);
    Inspector engine = inspector(store);

    for (int client = 1; client <= 50; client++) {
      engine.inspect(udpKey(client), udp(client, false));
    }

    assertThat(store.readsBelow()).isZero();
  }

  @Test
  void onceAStoredConnectionIsPushedOutNewOnesAreLookedUpBelow() {
    ConnectionCacheStore store = cache(2);
    Inspector engine = inspector(store);
    engine.inspect(udpKey(1), udp(0, false));
    engine.inspect(udpKey(2), udp(0, false));
    assertThat(store.readsBelow()).isZero();

    engine.inspect(udpKey(3), udp(0, false)); // pushes the first out, into the store below
    engine.inspect(udpKey(4), udp(0, false)); // a new key might now be below

    assertThat(store.readsBelow()).isEqualTo(1);
  }

  @Test
  void connectionsAlreadyBelowAreReadOnceWhenTheyAllFitAndThenServedFromMemory() {
    ConnectionCacheStore first = cache(100);
    inspector(first).inspect(udpKey(1), udp(0, false));
    first.flushCache();
    KeyValueStore<Bytes, byte[]> kept = below;
    byte[] stored = kept.get(Bytes.wrap(StateCodec.encode(udpKey(1))));
    ConnectionCacheStore restarted = cache(100);
    below.put(Bytes.wrap(StateCodec.encode(udpKey(1))), stored); // as a restore from the changelog would
    writesBelow.clear();
    Inspector engine = inspector(restarted);

    assertThat(engine.inspect(udpKey(1), udp(1, true)).state()).isEqualTo(CtState.ESTABLISHED);
    engine.inspect(udpKey(2), udp(1, false));

    assertThat(restarted.readsBelow()).isZero();
  }

  @Test
  void clearingTheCacheForgetsWhatWasNotWritten() {
    ConnectionCacheStore store = cache(100);
    Inspector engine = inspector(store);
    FlowKey kept = udpKey(1);
    FlowKey lost = udpKey(2);
    engine.inspect(kept, udp(0, false));
    store.flushCache();
    engine.inspect(lost, udp(1, false));
    engine.inspect(kept, udp(2, true));

    store.clearCache();

    assertThat(store.get(lost)).isNull();
    assertThat(store.get(kept).replyPackets()).as("as the last flush left it").isZero();
  }

  @Test
  void closingWritesWhatIsStillCached() {
    ConnectionCacheStore store = cache(100);
    FlowKey dns = udpKey(1);
    inspector(store).inspect(dns, udp(0, false));

    store.close();

    assertThat(writesBelow).containsExactly("put " + dns);
  }

  @Test
  void kafkaStreamsFlushesTheCacheWhenItCommits() {
    // The topology test driver commits after every record, through the same task code as a real
    // application: the connection must be in the changelog then, though it is still cached.
    try (TopologyHarness t = new TopologyHarness(InspectorSettings.defaults(), stateDir)) {
      var changelog = t.driver.createOutputTopic("topology-test-" + InspectorTopology.CONNECTIONS_STORE
          + "-changelog", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
      var key = TopologyHarness.tcpKey("10.0.0.1", 40000, "198.51.100.7", 443);

      t.send(key, TopologyHarness.tcp(T0, false, SYN, 1000, 0));

      var written = changelog.readRecordsToList();
      assertThat(written).hasSize(1);
      ConnectionCacheStore store = (ConnectionCacheStore) t.driver.getStateStore(InspectorTopology.CONNECTIONS_STORE);
      FlowKey engineKey = AvroMapping.flowKey(key);
      assertThat(written.get(0).value()).isEqualTo(StateCodec.encode(store.get(engineKey)));
    }
  }

  @Test
  void aMetricCountsTheLookupsThatHadToReadRocksDb() {
    try (TopologyHarness t = new TopologyHarness(InspectorSettings.defaults().withConnectionCache(1).withConnectionMemory(0),
        stateDir)) {
      var first = TopologyHarness.tcpKey("10.0.0.1", 40000, "198.51.100.7", 443);
      var second = TopologyHarness.tcpKey("10.0.0.2", 40000, "198.51.100.7", 443);

      t.send(first, TopologyHarness.tcp(T0, false, SYN, 1000, 0));
      t.send(second, TopologyHarness.tcp(T0 + 1, false, SYN, 1000, 0)); // room for one: the first goes below
      t.send(first, TopologyHarness.tcp(T0 + 2, true, SYN | TopologyHarness.ACK, 5000, 1001));

      assertThat(storeReads(t)).isEqualTo(1.0);
    }
  }

  private static double storeReads(TopologyHarness t) {
    return t.driver.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals(InspectorMetrics.STORE_READS_TOTAL))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
  }

  private static long farFuture() {
    return System.nanoTime() + 3_600_000_000_000L;
  }

  static FlowKey udpKey(int client) {
    String client4 = "10.0." + (client / 250) + "." + (1 + client % 250);
    return FlowKey.of(0, UDP, IpAddress.parse(client4), 40000, IpAddress.parse("198.51.100.53"), 53);
  }

  /** A DNS-sized datagram at {@code second} seconds, from the server when {@code fromServer}. */
  static io.flowinspect.inspect.engine.Packet udp(int second, boolean fromServer) {
    return AvroMapping.packet(TopologyHarness.udp(T0 + second * SECOND, fromServer, 40));
  }

}

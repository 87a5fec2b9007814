package io.flowinspect.inspect.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.inspect.engine.Protocols;
import io.flowinspect.inspect.engine.StateCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The expiry index in two parts, near deadlines in memory and the rest in the RocksDB store
 * (here Kafka Streams' in-memory store, which orders keys the same way): which part holds an
 * entry changes neither what is handed over nor in which order.
 */
class ExpiryIndexPartsTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 1_700_000_000L * SECOND;

  @Test
  void entriesDrainInOneOrderWhicheverPartHoldsThem() {
    List<String> allOnDisk = drainRandomEntries(0, Long.MAX_VALUE);
    List<String> allInMemory = drainRandomEntries(100_000, Long.MAX_VALUE);
    List<String> split = drainRandomEntries(150, Long.MAX_VALUE);
    List<String> shortHorizon = drainRandomEntries(100_000, 20 * SECOND);

    assertThat(allOnDisk).hasSizeGreaterThan(390).doesNotHaveDuplicates(); // 400 added, a few twice
    assertThat(allInMemory).isEqualTo(allOnDisk);
    assertThat(split).isEqualTo(allOnDisk);
    assertThat(shortHorizon).isEqualTo(allOnDisk);
    List<String> sorted = new ArrayList<>(allOnDisk);
    sorted.sort(null); // zero-padded deadlines first, then the key's bytes as hex: the disk's own order
    assertThat(allOnDisk).isEqualTo(sorted);
  }

  @Test
  void anEntryInBothPartsIsHandedOverOnceAndLeavesNeither() {
    KeyValueStore<Bytes, byte[]> disk = store();
    FlowKey key = key(7);
    // What a previous run on this disk left, and the same entry written again by this run's start.
    disk.put(Bytes.wrap(StoreTables.indexKey(T0 + SECOND, StateCodec.encode(key))), new byte[0]);
    StoreTables tables = tables(disk, 10);
    tables.add(T0 + SECOND, key);

    List<String> handed = new ArrayList<>();
    int count = tables.drainDue(T0 + 2 * SECOND, 100, (deadline, k) -> handed.add(name(deadline, k)));

    assertThat(count).isEqualTo(1);
    assertThat(handed).containsExactly(name(T0 + SECOND, key));
    assertThat(entriesOn(disk)).isZero();
    assertThat(tables.drainDue(T0 + 3 * SECOND, 100, (deadline, k) -> handed.add(name(deadline, k)))).isZero();
  }

  @Test
  void deadlinesBeyondTheHorizonGoToDiskOnceTheClockIsKnown() {
    KeyValueStore<Bytes, byte[]> disk = store();
    StoreTables tables = new StoreTables(store(), disk, store(), store(), new NearDeadlines(10, 60 * SECOND));
    tables.drainDue(T0, 10, (deadline, k) -> { }); // the clock is now T0

    tables.add(T0 + 60 * SECOND, key(1));
    tables.add(T0 + 61 * SECOND, key(2));

    assertThat(entriesOn(disk)).isEqualTo(1);
    List<String> handed = new ArrayList<>();
    tables.drainDue(T0 + 100 * SECOND, 10, (deadline, k) -> handed.add(name(deadline, k)));
    assertThat(handed).containsExactly(name(T0 + 60 * SECOND, key(1)), name(T0 + 61 * SECOND, key(2)));
  }

  @Test
  void aDrainWhoseNowMovedBackHandsOverNothingAfterIt() {
    for (int limit : new int[] {0, 10}) {
      StoreTables tables = tables(store(), limit);
      tables.drainDue(T0 + 20 * SECOND, 10, (deadline, k) -> { });
      tables.add(T0 + 15 * SECOND, key(1));

      List<String> handed = new ArrayList<>();
      int count = tables.drainDue(T0 + 10 * SECOND, 10, (deadline, k) -> handed.add(name(deadline, k)));

      assertThat(count).as("memory limit %d", limit).isZero();
      assertThat(handed).isEmpty();
      tables.drainDue(T0 + 15 * SECOND, 10, (deadline, k) -> handed.add(name(deadline, k)));
      assertThat(handed).containsExactly(name(T0 + 15 * SECOND, key(1)));
    }
  }

  @Test
  void theDiskIsNotReadWhileNothingOnItCanBeDue() {
    WriteBehindStore disk = new WriteBehindStore(store(), 1_000, true);
    disk.init(new MockProcessorContext<>().getStateStoreContext(), disk);
    StoreTables tables = new StoreTables(store(), disk, store(), store(), new NearDeadlines(0, 0));
    tables.drainDue(T0, 10, (deadline, k) -> { }); // reads the disk once: a start does not know what it holds

    tables.add(T0 + 30 * SECOND, key(1));
    tables.drainDue(T0 + 29 * SECOND, 10, (deadline, k) -> { });

    assertThat(disk.waiting()).as("a scan would have written the waiting entry first").isEqualTo(1);
    List<String> handed = new ArrayList<>();
    tables.drainDue(T0 + 30 * SECOND, 10, (deadline, k) -> handed.add(name(deadline, k)));
    assertThat(handed).containsExactly(name(T0 + 30 * SECOND, key(1)));
  }

  /**
   * 400 entries with deadlines over 100 s, some sharing a deadline and a few added twice, while
   * the clock moves;
   * drained with a budget of 7 per call at steps of 3 s: what was handed over, in order.
   */
  private static List<String> drainRandomEntries(int memoryLimit, long horizonNanos) {
    Random random = new Random(42);
    StoreTables tables = new StoreTables(store(), store(), store(), store(),
        new NearDeadlines(memoryLimit, horizonNanos));
    List<String> handed = new ArrayList<>();
    int added = 0;
    for (long now = T0; now <= T0 + 200 * SECOND; now += 3 * SECOND) {
      for (int i = 0; i < 12 && added < 400; i++, added++) {
        long deadline = now + (random.nextInt(100) + 1) * SECOND / (random.nextBoolean() ? 1 : 2);
        tables.add(deadline, key(random.nextInt(300)));
      }
      long clock = now;
      tables.drainDue(now, 7, (deadline, k) -> {
        assertThat(deadline).isLessThanOrEqualTo(clock);
        handed.add(name(deadline, k));
      });
    }
    while (tables.drainDue(Long.MAX_VALUE - 1, 7, (deadline, k) -> handed.add(name(deadline, k))) > 0) {
      // drain what is left
    }
    return handed;
  }

  private static StoreTables tables(KeyValueStore<Bytes, byte[]> expiry, int memoryLimit) {
    return new StoreTables(store(), expiry, store(), store(),
        new NearDeadlines(memoryLimit, NearDeadlines.DEFAULT_HORIZON_NANOS));
  }

  private static String name(long deadline, FlowKey key) {
    return String.format("%020d %s", deadline, java.util.HexFormat.of().formatHex(StateCodec.encode(key)));
  }

  private static FlowKey key(int n) {
    return FlowKey.of(0, n % 3 == 0 ? Protocols.UDP : Protocols.TCP, IpAddress.parse("10.0." + (n / 200) + "." + n % 200),
        1024 + n, IpAddress.parse("192.0.2.1"), 443);
  }

  private static long entriesOn(KeyValueStore<Bytes, byte[]> store) {
    long n = 0;
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  private static KeyValueStore<Bytes, byte[]> store() {
    KeyValueStore<Bytes, byte[]> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("expiry"),
        Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
    s.init(new MockProcessorContext<>().getStateStoreContext(), s);
    return s;
  }
}

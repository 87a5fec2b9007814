package io.flowinspect.inspect.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.CompactionStyle;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the off-heap memory of every RocksDB store of the JVM and tunes each store for how the
 * inspector uses it. Enabled with {@code rocksdb.config.setter}; its keys are in
 * {@link BoundedRocksDbSettings}.
 *
 * <p>Kafka Streams gives each store instance (one per partition and store) its own 50 MB block
 * cache and up to 3 × 16 MB memtables, and keeps index and filter blocks outside any cache, so
 * memory grows with partitions and data. Here all stores share one {@link LRUCache} and one
 * {@link WriteBufferManager} charged to that cache, and index and filter blocks live in the cache
 * at high priority: the total stays within {@code flowinspect.rocksdb.memory.bytes} (the Kafka
 * Streams developer guide, "Bounded memory usage"; RocksDB wiki, "Memory usage in RocksDB" and
 * "Write Buffer Manager"). Outside the bound: Kafka Streams' small offsets column family keeps its
 * own block cache (its memtables are charged to the shared manager), and allocator fragmentation.
 *
 * <p>Per store: the connection and expectation tables are point-lookup tables where most lookups
 * of a new connection miss, so every level keeps its bloom filter (Kafka Streams' default
 * {@code optimize_filters_for_hits} drops the last level's, which holds most keys). Time-ordered
 * stores (the expiry and unreplied indexes) are scanned from their first key, and their gets
 * (Kafka Streams' {@code delete} reads the old value) always hit, so they do without last-level
 * filters, and they get small memtables and an early L0 compaction so that the tombstones left
 * by deleting from the front are dropped soon instead of being skipped by every scan (RocksDB
 * wiki, "Implement Queue Service Using RocksDB").
 *
 * <p>Not settable here: deletion-triggered compaction ({@code CompactOnDeletionCollectorFactory}).
 * Kafka Streams 4.4 hands the setter an adapter that forwards {@code Options} calls to separate
 * DB and column-family options, and it does not forward {@code setTablePropertiesCollectorFactory}
 * (RocksJava 10.1 has no column-family variant), so the call would be silently lost.
 */
public class BoundedRocksDb implements RocksDBConfigSetter {
  private static final Logger LOG = LoggerFactory.getLogger(BoundedRocksDb.class);

  /** One cache and one write-buffer manager per distinct budget, for the life of the JVM. */
  private static final Map<Budget, SharedMemory> SHARED = new ConcurrentHashMap<>();

  /** The Kafka Streams default (16 MiB) for point-lookup tables; the budget caps the sum anyway. */
  static final long TABLE_WRITE_BUFFER_BYTES = 16L * 1024 * 1024;
  /** Fewer tombstones for a scan from the front to skip in the memtable, flushed and compacted sooner. */
  static final long TIME_ORDERED_WRITE_BUFFER_BYTES = 4L * 1024 * 1024;
  static final int TIME_ORDERED_L0_COMPACTION_TRIGGER = 2;
  /**
   * The write-buffer manager counts a memtable by the arena blocks it has allocated, by default
   * min(1 MiB, write_buffer_size / 8). With dozens of stores, their first blocks alone exceed the
   * budget and the manager flushes memtables holding a few entries, over and over, stopping writes
   * at 3 memtables waiting (measured with BoundedRocksDbTimeOrderedTest's 0.8 MiB budget: 7,872
   * flushes and 12,161 write stops, 78 s; with 64 KiB blocks, 3 s).
   */
  static final long ARENA_BLOCK_BYTES = 64 * 1024;
  /**
   * Below this much write budget per store instance flushes get small and frequent: besides its
   * own memtable each store has Kafka Streams' offsets column family (1 MiB write buffer, 128 KiB
   * arena blocks), also charged to the manager.
   */
  static final long MIN_WRITE_BUFFER_BYTES_PER_STORE = 512 * 1024;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    BoundedRocksDbSettings settings = BoundedRocksDbSettings.from(configs);
    SharedMemory memory = shared(settings);
    boolean timeOrdered = settings.timeOrdered(storeName);

    // Kafka Streams checks that the table config it created is still the one in use (it reads its
    // block cache for metrics), so change that instance rather than setting a new one.
    BlockBasedTableConfig table = options.tableFormatConfig() instanceof BlockBasedTableConfig t
        ? t : new BlockBasedTableConfig();
    table.setBlockCache(memory.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    // L0 files are searched on every lookup and are few: evicting their index and filter would cost
    // a disk read per lookup (RocksDB wiki, "Block Cache").
    table.setPinL0FilterAndIndexBlocksInCache(true);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(memory.writeBuffers());
    options.setArenaBlockSize(ARENA_BLOCK_BYTES);
    memory.opened(storeName);

    // Leveled compaction with dynamic level sizes: a key deleted shortly after it was written meets
    // its tombstone in the first compaction that reaches the last level, and space amplification
    // stays near 1.1 instead of up to 2 with Kafka Streams' universal compaction (RocksDB wiki,
    // "Leveled Compaction", "Universal Compaction").
    options.setCompactionStyle(CompactionStyle.LEVEL);
    options.setLevelCompactionDynamicLevelBytes(true);
    options.setCompressionType(settings.compression());
    options.setOptimizeFiltersForHits(timeOrdered);
    if (timeOrdered) {
      options.setWriteBufferSize(TIME_ORDERED_WRITE_BUFFER_BYTES);
      options.setLevel0FileNumCompactionTrigger(TIME_ORDERED_L0_COMPACTION_TRIGGER);
    } else {
      options.setWriteBufferSize(TABLE_WRITE_BUFFER_BYTES);
    }
  }

  /**
   * Closes nothing, only counts the store out: every object this setter gives a store is shared
   * with the other stores of the JVM, including ones reopened after a rebalance, so none may be
   * closed with one store.
   */
  @Override
  public void close(String storeName, Options options) {
    for (SharedMemory memory : SHARED.values()) {
      if (memory.writeBuffers() == options.writeBufferManager()) {
        memory.closed();
      }
    }
  }

  static SharedMemory shared(BoundedRocksDbSettings settings) {
    Budget budget = new Budget(settings.memoryBytes(), settings.writeBufferBytes(), settings.indexFilterFraction());
    return SHARED.computeIfAbsent(budget, SharedMemory::create);
  }

  private record Budget(long cacheBytes, long writeBufferBytes, double highPriorityFraction) {}

  /** The block cache, the write-buffer manager charged to it, and how many open stores use them. */
  record SharedMemory(Budget budget, LRUCache cache, WriteBufferManager writeBuffers, AtomicInteger stores,
      AtomicBoolean warned) {
    static SharedMemory create(Budget b) {
      // Not a strict limit: with strict_capacity_limit a full cache fails reads and writes instead
      // of overshooting briefly (RocksDB wiki, "Block Cache").
      LRUCache cache = new LRUCache(b.cacheBytes(), -1, false, b.highPriorityFraction());
      return new SharedMemory(b, cache, new WriteBufferManager(b.writeBufferBytes(), cache), new AtomicInteger(),
          new AtomicBoolean());
    }

    void opened(String storeName) {
      int n = stores.incrementAndGet();
      if (n * MIN_WRITE_BUFFER_BYTES_PER_STORE > budget.writeBufferBytes() && !warned.getAndSet(true)) {
        LOG.warn("{} RocksDB store instances (the last {}) share {} MiB of write buffers, less than {} KiB each: "
                + "memtables will be flushed small and often. Raise {} or {}.", n, storeName,
            budget.writeBufferBytes() >> 20, MIN_WRITE_BUFFER_BYTES_PER_STORE >> 10,
            BoundedRocksDbSettings.MEMORY_BYTES, BoundedRocksDbSettings.WRITE_BUFFER_FRACTION);
      }
    }

    void closed() {
      stores.decrementAndGet();
    }
  }
}

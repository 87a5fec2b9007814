package io.flowinspect.bench;

import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.StateCodec;
import io.flowinspect.inspect.streams.BoundedRocksDb;
import io.flowinspect.inspect.streams.BoundedRocksDbSettings;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.metrics.StreamsMetricsImpl;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.apache.kafka.streams.state.Stores;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ConfigOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.IndexType;
import org.rocksdb.Options;
import org.rocksdb.OptionsUtil;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The inspector's RocksDB stores under the inspector's access pattern, with Kafka Streams' default
 * RocksDB settings and with {@link BoundedRocksDb} (and a few variants of it, to decide its choices).
 *
 * <p>The stores are Kafka Streams' own ({@code Stores.persistentKeyValueStore(name).get()}, a
 * {@code RocksDBStore}) opened through a minimal {@link StateStoreContext}: Kafka Streams builds the
 * RocksDB options, applies {@code rocksdb.config.setter} and registers its RocksDB property metrics
 * exactly as in an application. The changelog, record-cache and metering layers around a store are
 * left out; they cost the same under both settings. Each variant runs in a JVM of its own with a
 * fixed, pre-touched heap, so that resident memory compares off-heap use.
 *
 * <p>Workload, per run of N connections spread over P partitions (one connection table and one
 * expiry index per partition): insert (get that misses, then put: a new connection); churn (75 %
 * get + put of a random live connection, 25 % delete of one and insert of a new one); expiry index
 * fill (N time-first keys: 8-byte big-endian deadline + 22-byte flow key, deadlines 1 ms apart with up
 * to 1 s of jitter); expiry drain (rounds in which every partition scans from its first key up to
 * "now" for at most one chunk of due entries, as {@code StoreTables.drainDue} does, deletes them and
 * adds as many later ones, until N entries were drained). Then memory is read from Kafka Streams'
 * RocksDB metrics and /proc, the stores are closed (which flushes them), reopened with their own
 * persisted options to let background compaction settle, and compacted fully, with SST bytes taken
 * after each.
 *
 * <p>Values imitate {@code StateCodec.encode(Conn)} for an established TCP connection (~90 bytes:
 * times and counters as varints, sequence numbers random), so compression sees realistic entropy.
 */
public final class StateStoreBench {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final byte[] EMPTY = new byte[0];
  private static final int[] SERVER_PORTS = {443, 443, 443, 80, 53, 22, 8080, 993};

  /**
   * A configuration under test: a config setter (none for Kafka Streams' defaults), extra Streams
   * config, and whether the expiry drain seeks past the last key it drained instead of scanning
   * from the first key as {@code StoreTables.drainDue} does.
   */
  record Variant(String name, Class<? extends RocksDBConfigSetter> setter, Map<String, String> configs,
      boolean seekPastDrained, String what) {}

  static final List<Variant> VARIANTS = List.of(
      new Variant("default", null, Map.of(), false, "Kafka Streams 4.4 defaults"),
      new Variant("bounded", BoundedRocksDb.class, Map.of(), false, "BoundedRocksDb"),
      new Variant("bounded-hits", FiltersForHits.class, Map.of(), false, "+ no last-level filters in the tables"),
      new Variant("bounded-partitioned", PartitionedFilters.class, Map.of(), false,
          "+ partitioned index and filters"),
      new Variant("bounded-none", BoundedRocksDb.class, Map.of(BoundedRocksDbSettings.COMPRESSION, "none"), false,
          "compression none"),
      new Variant("bounded-zstd", BoundedRocksDb.class, Map.of(BoundedRocksDbSettings.COMPRESSION, "zstd"), false,
          "compression zstd"),
      new Variant("bounded-index16m", LargeIndexMemtables.class, Map.of(), false,
          "+ 16 MiB memtables, L0 trigger 4 in the indexes"),
      new Variant("bounded-arena-auto", AutoArena.class, Map.of(), false,
          "+ RocksDB's own arena block size, min(1 MiB, write buffer / 8)"),
      new Variant("default-seek", null, Map.of(), true, "Kafka Streams defaults, drain seeks past the last drained key"),
      new Variant("bounded-seek", BoundedRocksDb.class, Map.of(), true,
          "BoundedRocksDb, drain seeks past the last drained key"));

  private StateStoreBench() {}

  public static void main(String[] args) throws Exception {
    Args a = Args.parse(args);
    if (a.child != null) {
      runChild(a);
      return;
    }
    Map<String, Map<String, String>> results = new LinkedHashMap<>();
    for (String v : a.variants) {
      results.put(v, runInChildJvm(a, v));
    }
    printTable(a, results);
  }

  // ---------------------------------------------------------------- the parent: one JVM per variant

  private static Map<String, String> runInChildJvm(Args a, String variant) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path"),
        StateStoreBench.class.getName(), "--child", variant));
    cmd.addAll(a.passOn());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Map<String, String> result = new LinkedHashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) {
          String[] kv = line.substring(7).split("=", 2);
          result.put(kv[0], kv[1]);
        }
        System.out.println("[" + variant + "] " + line);
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException(variant + ": child JVM exited with " + p.exitValue());
    }
    return result;
  }

  private static void printTable(Args a, Map<String, Map<String, String>> results) {
    String[][] rows = {
        {"insert: get (miss) + put", "insert_ops", "ops/s"},
        {"churn: 3/4 get+put, 1/4 delete+insert", "churn_ops", "ops/s"},
        {"expiry index fill: put", "fill_ops", "ops/s"},
        {"expiry drain: scan+delete+add", "drain_entries", "entries/s"},
        {"  scan of one chunk, median", "scan_p50_ms", "ms"},
        {"  scan of one chunk, p90", "scan_p90_ms", "ms"},
        {"  scan of one chunk, max", "scan_max_ms", "ms"},
        {"  scan of one chunk, last", "scan_last_ms", "ms"},
        {"connections SST, settled", "conn_sst_settled", "B/conn"},
        {"connections SST, compacted", "conn_sst_compacted", "B/conn"},
        {"expiry index SST, settled", "index_sst_settled", "B/entry"},
        {"expiry index SST, compacted", "index_sst_compacted", "B/entry"},
        {"block cache capacity", "cache_capacity_mb", "MiB"},
        {"block cache usage (max seen)", "cache_usage_mb", "MiB"},
        {"table readers (outside cache)", "table_readers_mb", "MiB"},
        {"memtables (max seen)", "memtables_mb", "MiB"},
        {"RSS at end of workload", "rss_mb", "MiB"},
        {"RSS peak (VmHWM)", "rss_peak_mb", "MiB"},
        {"wall time of the workload", "wall_s", "s"},
    };
    System.out.println();
    System.out.printf(Locale.ROOT, "StateStoreBench: %,d connections over %d partition(s), %,d churn ops, chunks of %,d, "
        + "commit every %,d ms; Kafka Streams RocksDBStore, RocksDB %s; JVM heap 256 MiB (pre-touched)%n", a.connections,
        a.partitions, a.churn, a.chunk, a.commitMs, results.values().iterator().next().getOrDefault("rocksdb", "?"));
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-40s %-9s", "metric", "unit"));
    for (String v : results.keySet()) {
      header.append(String.format(Locale.ROOT, " %14s", v));
    }
    System.out.println(header);
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-40s %-9s", row[0], row[2]));
      for (Map<String, String> r : results.values()) {
        line.append(String.format(Locale.ROOT, " %14s", r.getOrDefault(row[1], "-")));
      }
      System.out.println(line);
    }
    for (String v : results.keySet()) {
      VARIANTS.stream().filter(x -> x.name().equals(v)).findFirst()
          .ifPresent(x -> System.out.println("  " + v + ": " + x.what()));
    }
    System.out.println("reproduce: java -cp benchmarks/target/classes:$(cat benchmarks/target/runtime.classpath) "
        + StateStoreBench.class.getName() + " " + String.join(" ", a.reproduce()));
  }

  // ---------------------------------------------------------------- the child: one variant

  private static void runChild(Args a) throws Exception {
    Variant variant = VARIANTS.stream().filter(v -> v.name().equals(a.child)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown variant " + a.child + "; known: "
            + VARIANTS.stream().map(Variant::name).toList()));
    Path root = a.dir.resolve(variant.name());
    deleteTree(root);
    Map<String, Object> configs = new LinkedHashMap<>();
    configs.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "INFO");
    configs.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    if (variant.setter() != null) {
      configs.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, variant.setter());
    }
    configs.putAll(a.configs);
    configs.putAll(variant.configs());

    Metrics metrics = new Metrics();
    StreamsMetricsImpl streamsMetrics = new StreamsMetricsImpl(metrics, "state-store-bench", Time.SYSTEM);
    List<KeyValueStore<Bytes, byte[]>> tables = new ArrayList<>();
    List<KeyValueStore<Bytes, byte[]>> indexes = new ArrayList<>();
    for (int p = 0; p < a.partitions; p++) {
      BenchContext context = new BenchContext(new TaskId(0, p), root.resolve("0_" + p).toFile(), streamsMetrics, configs);
      tables.add(open("connections", context));
      indexes.add(open("expiry-index", context));
    }
    Gauges gauges = new Gauges(metrics, variant.setter() != null);
    Workload w = new Workload(a, variant.seekPastDrained(), tables, indexes, gauges);
    long start = System.nanoTime();
    w.run();
    report("wall_s", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
    gauges.sample();
    report("cache_capacity_mb", mib(gauges.capacity()));
    report("cache_usage_mb", mib(gauges.maxCacheUsage));
    report("table_readers_mb", mib(gauges.maxTableReaders));
    report("memtables_mb", mib(gauges.maxMemtables));
    report("rss_mb", mib(procStatusBytes("VmRSS:")));
    report("rss_peak_mb", mib(procStatusBytes("VmHWM:")));
    report("rocksdb", RocksDB.rocksdbVersion().toString());
    for (KeyValueStore<Bytes, byte[]> s : tables) {
      s.close();
    }
    for (KeyValueStore<Bytes, byte[]> s : indexes) {
      s.close();
    }
    long[] conn = sstBytes(root, "connections");
    long[] index = sstBytes(root, "expiry-index");
    report("conn_sst_settled", perEntry(conn[0], w.liveConnections()));
    report("conn_sst_compacted", perEntry(conn[1], w.liveConnections()));
    report("index_sst_settled", perEntry(index[0], w.liveIndexEntries()));
    report("index_sst_compacted", perEntry(index[1], w.liveIndexEntries()));
    report("value_bytes", String.format(Locale.ROOT, "%.1f", w.averageValueBytes()));
    System.out.printf(Locale.ROOT, "average value %.1f bytes, key 22 bytes%n", w.averageValueBytes());
    deleteTree(root);
  }

  static KeyValueStore<Bytes, byte[]> open(String name, StateStoreContext context) {
    KeyValueStore<Bytes, byte[]> store = Stores.persistentKeyValueStore(name).get();
    store.init(context, store);
    return store;
  }

  static void report(String key, String value) {
    System.out.println("RESULT " + key + "=" + value);
  }

  private static String mib(double bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
  }

  private static String perEntry(long bytes, long entries) {
    return String.format(Locale.ROOT, "%.1f", (double) bytes / entries);
  }

  private static long procStatusBytes(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
      }
    }
    return -1;
  }

  /**
   * SST bytes of every partition's store of that name: after reopening it with the options it
   * persisted and letting background compaction finish, then after a full manual compaction.
   */
  private static long[] sstBytes(Path root, String store) throws RocksDBException, InterruptedException {
    long settled = 0;
    long compacted = 0;
    try (Stream<Path> dirs = list(root)) {
      for (Path task : dirs.toList()) {
        Path db = task.resolve("rocksdb").resolve(store);
        try (ConfigOptions config = new ConfigOptions(); DBOptions dbOptions = new DBOptions()) {
          List<ColumnFamilyDescriptor> families = new ArrayList<>();
          OptionsUtil.loadLatestOptions(config, db.toString(), dbOptions, families);
          List<ColumnFamilyHandle> handles = new ArrayList<>();
          try (RocksDB rocks = RocksDB.open(dbOptions, db.toString(), families, handles)) {
            awaitQuiet(rocks);
            settled += liveSst(rocks, handles);
            for (ColumnFamilyHandle h : handles) {
              rocks.compactRange(h);
            }
            compacted += liveSst(rocks, handles);
            handles.forEach(ColumnFamilyHandle::close);
          }
        }
      }
    }
    return new long[] {settled, compacted};
  }

  /**
   * Waits until no compaction has run for a second (at most two minutes). Not until
   * "compaction-pending" is 0: under universal compaction it can stay 1 while the picker declines
   * every candidate.
   */
  private static void awaitQuiet(RocksDB rocks) throws RocksDBException, InterruptedException {
    long deadline = System.nanoTime() + 120_000 * MS;
    int quiet = 0;
    while (quiet < 20 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      quiet = rocks.getLongProperty("rocksdb.num-running-compactions") == 0 ? quiet + 1 : 0;
    }
  }

  private static long liveSst(RocksDB rocks, List<ColumnFamilyHandle> handles) throws RocksDBException {
    long sum = 0;
    for (ColumnFamilyHandle h : handles) {
      sum += rocks.getLongProperty(h, "rocksdb.live-sst-files-size");
    }
    return sum;
  }

  private static Stream<Path> list(Path dir) {
    try {
      return Files.list(dir);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }

  // ---------------------------------------------------------------- workload

  /** The phases, timed; one loop drives every partition's store, as one stream thread drives its tasks. */
  static final class Workload {
    private final Args a;
    private final boolean seekPastDrained;
    private final List<KeyValueStore<Bytes, byte[]>> tables;
    private final List<KeyValueStore<Bytes, byte[]>> indexes;
    private final Gauges gauges;
    private final SplittableRandom random = new SplittableRandom(1);
    private final int[] live;
    private int nextConnection;
    private long nextIndexEntry;
    private long valueBytes;
    private long values;
    private long lastCommit = System.nanoTime();
    private long commits;

    Workload(Args a, boolean seekPastDrained, List<KeyValueStore<Bytes, byte[]>> tables,
        List<KeyValueStore<Bytes, byte[]>> indexes, Gauges gauges) {
      this.a = a;
      this.seekPastDrained = seekPastDrained;
      this.tables = tables;
      this.indexes = indexes;
      this.gauges = gauges;
      this.live = new int[a.connections];
    }

    void run() {
      timed("insert_ops", a.connections, this::insert);
      timed("churn_ops", a.churn, this::churn);
      timed("fill_ops", a.connections, this::fill);
      drain();
      System.out.printf(Locale.ROOT, "%d commits%n", commits);
    }

    private void timed(String key, long ops, Runnable phase) {
      long t = System.nanoTime();
      phase.run();
      double seconds = (System.nanoTime() - t) / 1e9;
      report(key, String.format(Locale.ROOT, "%.0f", ops / seconds));
      System.out.printf(Locale.ROOT, "%s: %,d in %.1f s%n", key, ops, seconds);
      gauges.sample();
    }

    private void insert() {
      for (int i = 0; i < a.connections; i++) {
        live[i] = i;
        create(i);
        sampleEvery(i);
      }
      nextConnection = a.connections;
    }

    private void churn() {
      for (long op = 0; op < a.churn; op++) {
        int slot = random.nextInt(live.length);
        int id = live[slot];
        Bytes key = connectionKey(id);
        KeyValueStore<Bytes, byte[]> table = table(id);
        if (random.nextInt(4) != 0) {
          if (table.get(key) == null) {
            throw new IllegalStateException("live connection " + id + " not found");
          }
          table.put(key, value(id));
        } else {
          table.delete(key);
          int fresh = nextConnection++;
          create(fresh);
          live[slot] = fresh;
        }
        sampleEvery(op);
      }
    }

    private void create(int id) {
      Bytes key = connectionKey(id);
      KeyValueStore<Bytes, byte[]> table = table(id);
      // The tracker looks a connection up before creating it: on a real link most lookups of a new
      // connection's first packet miss.
      if (table.get(key) != null) {
        throw new IllegalStateException("new connection " + id + " already present");
      }
      table.put(key, value(id));
    }

    private void fill() {
      for (int i = 0; i < a.connections; i++) {
        addIndexEntry(nextIndexEntry++);
        sampleEvery(i);
      }
    }

    private void addIndexEntry(long i) {
      long deadline = T0 + i * MS + random.nextLong(1000 * MS);
      indexes.get(partition(i)).put(indexKey(deadline, (int) i), EMPTY);
    }

    /** Rounds of: every partition drains up to a chunk of due entries, then as many later ones are added. */
    private void drain() {
      List<Long> scans = new ArrayList<>();
      long drained = 0;
      long now = T0;
      Bytes[] from = new Bytes[indexes.size()];
      long t = System.nanoTime();
      while (drained < a.connections) {
        now += (long) a.chunk * a.partitions * MS;
        Bytes to = Bytes.wrap(ByteBuffer.allocate(8).putLong(sortable(now) + 1).array());
        for (int p = 0; p < indexes.size(); p++) {
          KeyValueStore<Bytes, byte[]> index = indexes.get(p);
          long s = System.nanoTime();
          List<Bytes> due = new ArrayList<>(a.chunk);
          // Added entries all come after the drained ones here, so seeking past the last drained
          // key misses nothing; it skips the tombstones in front of it.
          try (KeyValueIterator<Bytes, byte[]> it = index.range(seekPastDrained ? from[p] : null, to)) {
            while (due.size() < a.chunk && it.hasNext()) {
              due.add(it.next().key);
            }
          }
          scans.add(System.nanoTime() - s);
          if (!due.isEmpty()) {
            from[p] = due.get(due.size() - 1);
          }
          for (Bytes k : due) {
            index.delete(k);
          }
          for (int i = 0; i < due.size(); i++) {
            addIndexEntry(nextIndexEntry++);
          }
          drained += due.size();
        }
        maybeCommit();
        gauges.sample();
      }
      double seconds = (System.nanoTime() - t) / 1e9;
      report("drain_entries", String.format(Locale.ROOT, "%.0f", drained / seconds));
      long[] sorted = scans.stream().mapToLong(Long::longValue).sorted().toArray();
      report("scan_p50_ms", ms(sorted[sorted.length / 2]));
      report("scan_p90_ms", ms(sorted[(int) (sorted.length * 0.9)]));
      report("scan_max_ms", ms(sorted[sorted.length - 1]));
      report("scan_last_ms", ms(scans.get(scans.size() - 1)));
      System.out.printf(Locale.ROOT, "drain: %,d entries in %.1f s, %d scans, first %s ms, median %s ms, max %s ms%n",
          drained, seconds, scans.size(), ms(scans.get(0)), ms(sorted[sorted.length / 2]),
          ms(sorted[sorted.length - 1]));
    }

    private void sampleEvery(long i) {
      if (i % 10_000 == 9_999) {
        maybeCommit();
      }
      if (i % 100_000 == 99_999) {
        gauges.sample();
      }
    }

    /**
     * Commits every store as a task does each {@code commit.interval.ms}. In Kafka Streams 4.4 a
     * commit writes the changelog offset to the store's offsets column family and flushes nothing,
     * but that write lets the shared write-buffer manager flush the store's oldest memtable.
     */
    private void maybeCommit() {
      if (System.nanoTime() - lastCommit < a.commitMs * MS) {
        return;
      }
      commits++;
      for (List<KeyValueStore<Bytes, byte[]>> stores : List.of(tables, indexes)) {
        for (int p = 0; p < stores.size(); p++) {
          stores.get(p).commit(Map.of(new TopicPartition("state-store-bench-changelog", p), commits));
        }
      }
      lastCommit = System.nanoTime();
    }

    long liveConnections() {
      return live.length;
    }

    long liveIndexEntries() {
      return a.connections;
    }

    double averageValueBytes() {
      return (double) valueBytes / values;
    }

    private KeyValueStore<Bytes, byte[]> table(long id) {
      return tables.get(partition(id));
    }

    private int partition(long id) {
      return Integer.remainderUnsigned(scramble((int) id), a.partitions);
    }

    private byte[] value(int id) {
      byte[] v = connValue(id, random);
      valueBytes += v.length;
      values++;
      return v;
    }

    private static String ms(long nanos) {
      return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }
  }

  /** A connection's key: a distinct client endpoint per id in 10.0.0.0/14, in an order unrelated to the id. */
  static Bytes connectionKey(int id) {
    return Bytes.wrap(StateCodec.encode(flow(id)));
  }

  static FlowKey flow(int id) {
    int x = scramble(id);
    int client = 0x0A00_0000 | (x >>> 14);
    int clientPort = 1024 + (x & 0x3FFF);
    int server = 0x5DB8_0000 | (scramble(~id) & 0xFFF);
    return FlowKey.ofIpv4(0, 6, client, clientPort, server, SERVER_PORTS[id & 7]);
  }

  /** A bijection of int: every id gets its own pseudo-random 32 bits. */
  static int scramble(int id) {
    int x = id * 0x9E37_79B1;
    x ^= x >>> 16;
    x *= 0x85EB_CA6B;
    x ^= x >>> 13;
    return x;
  }

  static Bytes indexKey(long deadline, int id) {
    byte[] flow = StateCodec.encode(flow(id));
    return Bytes.wrap(ByteBuffer.allocate(8 + flow.length).putLong(sortable(deadline)).put(flow).array());
  }

  static long sortable(long v) {
    return v ^ Long.MIN_VALUE;
  }

  /** Shaped like {@code StateCodec.encode(Conn)} of an established TCP connection. */
  static byte[] connValue(int id, SplittableRandom r) {
    ByteBuffer b = ByteBuffer.allocate(128);
    b.put((byte) 1).put((byte) 0x04).put((byte) 0x03);
    long first = T0 + id * MS;
    varLong(b, first);
    varLong(b, zigzag(r.nextLong(60_000 * MS)));
    varLong(b, zigzag(432_000_000 * MS));
    varLong(b, zigzag(r.nextLong(1000 * MS)));
    int packets = 3 + r.nextInt(200);
    varLong(b, packets);
    varLong(b, packets * 60L + r.nextInt(100_000));
    varLong(b, packets - 1);
    varLong(b, (packets - 1) * 60L + r.nextInt(1_000_000));
    b.put((byte) 3).put("out".getBytes(StandardCharsets.US_ASCII));
    b.put((byte) 3);
    int seqOrig = r.nextInt();
    int seqReply = r.nextInt();
    side(b, seqOrig, seqReply, r);
    side(b, seqReply, seqOrig, r);
    b.put((byte) 2).put((byte) 0);
    b.putInt(seqOrig).putInt(seqReply).putInt(seqOrig + r.nextInt(1460));
    varLong(b, 502);
    b.put((byte) 7).put((byte) 0x18);
    varLong(b, 0);
    return Arrays.copyOf(b.array(), b.position());
  }

  private static void side(ByteBuffer b, int seq, int ack, SplittableRandom r) {
    b.putInt(seq + r.nextInt(100_000)).putInt(ack + 65_535);
    varLong(b, 64_240);
    b.put((byte) 7).put((byte) 0x0c);
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static void varLong(ByteBuffer b, long v) {
    while ((v & ~0x7FL) != 0) {
      b.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    b.put((byte) v);
  }

  // ---------------------------------------------------------------- Kafka Streams plumbing

  /** Kafka Streams' RocksDB property metrics (KIP-607), read while the stores are open. */
  static final class Gauges {
    private final Metrics metrics;
    private final boolean sharedCache;
    double maxCacheUsage;
    double maxTableReaders;
    double maxMemtables;

    Gauges(Metrics metrics, boolean sharedCache) {
      this.metrics = metrics;
      this.sharedCache = sharedCache;
    }

    void sample() {
      maxCacheUsage = Math.max(maxCacheUsage, cache("block-cache-usage"));
      maxTableReaders = Math.max(maxTableReaders, sum("estimate-table-readers-mem"));
      maxMemtables = Math.max(maxMemtables, sum("cur-size-all-mem-tables"));
    }

    double capacity() {
      return cache("block-cache-capacity");
    }

    /** A shared cache reports the same figure through every store: count it once. */
    private double cache(String name) {
      return sharedCache ? values(name).stream().mapToDouble(d -> d).max().orElse(0) : sum(name);
    }

    private double sum(String name) {
      return values(name).stream().mapToDouble(d -> d).sum();
    }

    private List<Double> values(String name) {
      List<Double> out = new ArrayList<>();
      for (KafkaMetric m : metrics.metrics().values()) {
        if (m.metricName().name().equals(name) && m.metricValue() instanceof Number n) {
          out.add(n.doubleValue());
        }
      }
      return out;
    }
  }

  /** Just enough of a task's context for a store to open, with Kafka Streams' own metrics. */
  static final class BenchContext implements StateStoreContext {
    private final TaskId taskId;
    private final File stateDir;
    private final StreamsMetricsImpl metrics;
    private final Map<String, Object> configs;

    BenchContext(TaskId taskId, File stateDir, StreamsMetricsImpl metrics, Map<String, Object> configs) {
      this.taskId = taskId;
      this.stateDir = stateDir;
      this.metrics = metrics;
      this.configs = configs;
    }

    @Override
    public String applicationId() {
      return "state-store-bench";
    }

    @Override
    public TaskId taskId() {
      return taskId;
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
      return Optional.empty();
    }

    @Override
    public Serde<?> keySerde() {
      return Serdes.Bytes();
    }

    @Override
    public Serde<?> valueSerde() {
      return Serdes.ByteArray();
    }

    @Override
    public File stateDir() {
      return stateDir;
    }

    @Override
    public StreamsMetrics metrics() {
      return metrics;
    }

    @Override
    public void register(StateStore store, StateRestoreCallback callback) {}

    @Override
    public void register(StateStore store, StateRestoreCallback callback, CommitCallback onCommit) {}

    @Override
    public Map<String, Object> appConfigs() {
      return configs;
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
      Map<String, Object> out = new LinkedHashMap<>();
      configs.forEach((k, v) -> {
        if (k.startsWith(prefix)) {
          out.put(k.substring(prefix.length()), v);
        }
      });
      return out;
    }
  }

  // ---------------------------------------------------------------- variants of BoundedRocksDb

  /** Kafka Streams' default: no bloom filter in the last level of any store. */
  public static final class FiltersForHits extends BoundedRocksDb {
    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
      super.setConfig(storeName, options, configs);
      options.setOptimizeFiltersForHits(true);
    }
  }

  /** Index and filters split into partitions paged through the cache, only their top level pinned. */
  public static final class PartitionedFilters extends BoundedRocksDb {
    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
      super.setConfig(storeName, options, configs);
      BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
      table.setIndexType(IndexType.kTwoLevelIndexSearch);
      table.setPartitionFilters(true);
      table.setPinTopLevelIndexAndFilter(true);
      options.setTableFormatConfig(table);
    }
  }

  /** The indexes with the tables' memtable size and Kafka Streams' L0 compaction trigger. */
  public static final class LargeIndexMemtables extends BoundedRocksDb {
    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
      super.setConfig(storeName, options, configs);
      if (storeName.endsWith("index")) {
        options.setWriteBufferSize(16L * 1024 * 1024);
        options.setLevel0FileNumCompactionTrigger(4);
      }
    }
  }

  /** Memtables allocate in RocksDB's default blocks, which the write-buffer manager counts whole. */
  public static final class AutoArena extends BoundedRocksDb {
    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
      super.setConfig(storeName, options, configs);
      options.setArenaBlockSize(0);
    }
  }

  // ---------------------------------------------------------------- arguments

  static final class Args {
    int connections = 1_000_000;
    long churn = -1;
    int partitions = 1;
    int chunk = 10_000;
    long commitMs = 30_000;
    List<String> variants = List.of("default", "bounded");
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "flowinspect-state-bench");
    Map<String, String> configs = new LinkedHashMap<>();
    String child;

    static Args parse(String[] args) {
      Args a = new Args();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help")) {
          System.out.println("StateStoreBench [--connections N] [--churn OPS] [--partitions P] [--chunk C]"
              + " [--commit-ms MS] [--variants a,b,...] [--dir PATH] [--set streams.key=value]...\nvariants: "
              + VARIANTS.stream().map(v -> v.name() + " (" + v.what() + ")").toList());
          System.exit(0);
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String v = args[++i];
        switch (flag) {
          case "--connections" -> a.connections = Integer.parseInt(v.replace("_", ""));
          case "--churn" -> a.churn = Long.parseLong(v.replace("_", ""));
          case "--partitions" -> a.partitions = Integer.parseInt(v);
          case "--chunk" -> a.chunk = Integer.parseInt(v.replace("_", ""));
          case "--commit-ms" -> a.commitMs = Long.parseLong(v.replace("_", ""));
          case "--variants" -> a.variants = List.of(v.split(","));
          case "--dir" -> a.dir = Path.of(v);
          case "--set" -> {
            String[] kv = v.split("=", 2);
            a.configs.put(kv[0], kv[1]);
          }
          case "--child" -> a.child = v;
          default -> throw new IllegalArgumentException("unknown option " + flag);
        }
      }
      if (a.churn < 0) {
        a.churn = a.connections;
      }
      if (a.connections < 1 || a.partitions < 1 || a.chunk < 1) {
        throw new IllegalArgumentException("connections, partitions and chunk must be positive");
      }
      return a;
    }

    /** The arguments a child needs (everything but the variant list). */
    List<String> passOn() {
      List<String> out = new ArrayList<>(List.of("--connections", Integer.toString(connections), "--churn",
          Long.toString(churn), "--partitions", Integer.toString(partitions), "--chunk", Integer.toString(chunk),
          "--commit-ms", Long.toString(commitMs),
          "--dir", dir.toString()));
      configs.forEach((k, v) -> out.addAll(List.of("--set", k + "=" + v)));
      return out;
    }

    List<String> reproduce() {
      List<String> out = new ArrayList<>(passOn());
      int dirAt = out.indexOf("--dir");
      out.remove(dirAt + 1);
      out.remove(dirAt);
      out.addAll(List.of("--variants", String.join(",", variants)));
      return out;
    }
  }
}

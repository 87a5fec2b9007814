package io.flowinspect.inspect.streams;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.rocksdb.CompressionType;

/**
 * What {@link BoundedRocksDb} reads from the Kafka Streams configuration. Every key is optional;
 * a value that cannot be used fails at store opening with the key's name (Kafka's
 * {@link ConfigException}), before any data is written.
 *
 * <table>
 * <caption>keys</caption>
 * <tr><th>key</th><th>type</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@value #MEMORY_BYTES}</td><td>long, bytes, at least 16 MiB</td><td>268435456 (256 MiB)</td>
 *     <td>off-heap memory of all RocksDB stores of the JVM together: one block cache of this
 *     capacity, which also holds the memtables (write buffers are charged to it)</td></tr>
 * <tr><td>{@value #WRITE_BUFFER_FRACTION}</td><td>double, in (0, 1)</td><td>0.25</td>
 *     <td>part of that memory the memtables of all stores may fill before the largest is
 *     flushed</td></tr>
 * <tr><td>{@value #INDEX_FILTER_FRACTION}</td><td>double, in [0, 1)</td><td>0.1</td>
 *     <td>part of the cache reserved (high priority) for index and bloom-filter blocks, so that
 *     data blocks cannot evict them</td></tr>
 * <tr><td>{@value #COMPRESSION}</td><td>none, lz4 or zstd</td><td>lz4</td>
 *     <td>block compression of SST files</td></tr>
 * <tr><td>{@value #TIME_ORDERED_STORES}</td><td>comma-separated store names</td>
 *     <td>expiry-index,unreplied-index</td><td>stores keyed time first, read by scanning from their
 *     first key and deleted from the front; a store name matches if it ends with one of these</td></tr>
 * </table>
 */
public record BoundedRocksDbSettings(long memoryBytes, double writeBufferFraction, double indexFilterFraction,
    CompressionType compression, Set<String> timeOrderedStores) {

  public static final String MEMORY_BYTES = "flowinspect.rocksdb.memory.bytes";
  public static final String WRITE_BUFFER_FRACTION = "flowinspect.rocksdb.write.buffer.fraction";
  public static final String INDEX_FILTER_FRACTION = "flowinspect.rocksdb.index.filter.fraction";
  public static final String COMPRESSION = "flowinspect.rocksdb.compression";
  public static final String TIME_ORDERED_STORES = "flowinspect.rocksdb.time.ordered.stores";

  public static final long DEFAULT_MEMORY_BYTES = 256L * 1024 * 1024;
  public static final double DEFAULT_WRITE_BUFFER_FRACTION = 0.25;
  public static final double DEFAULT_INDEX_FILTER_FRACTION = 0.1;
  public static final String DEFAULT_COMPRESSION = "lz4";
  public static final String DEFAULT_TIME_ORDERED_STORES = InspectorTopology.EXPIRY_STORE + ",unreplied-index";

  /** Below this a block cache shared by dozens of stores thrashes; a typo (MB read as bytes) fails. */
  static final long MIN_MEMORY_BYTES = 16L * 1024 * 1024;

  public BoundedRocksDbSettings {
    timeOrderedStores = Set.copyOf(timeOrderedStores);
  }

  public static BoundedRocksDbSettings defaults() {
    return from(Map.of());
  }

  /** Reads the keys from a Streams configuration (values as strings or numbers), defaults for the absent ones. */
  public static BoundedRocksDbSettings from(Map<String, ?> configs) {
    long memory = longValue(configs, MEMORY_BYTES, DEFAULT_MEMORY_BYTES);
    if (memory < MIN_MEMORY_BYTES) {
      throw new ConfigException(MEMORY_BYTES, configs.get(MEMORY_BYTES), "must be at least " + MIN_MEMORY_BYTES);
    }
    double writeBuffers = doubleValue(configs, WRITE_BUFFER_FRACTION, DEFAULT_WRITE_BUFFER_FRACTION);
    if (!(writeBuffers > 0 && writeBuffers < 1)) {
      throw new ConfigException(WRITE_BUFFER_FRACTION, configs.get(WRITE_BUFFER_FRACTION), "must be in (0, 1)");
    }
    double indexFilter = doubleValue(configs, INDEX_FILTER_FRACTION, DEFAULT_INDEX_FILTER_FRACTION);
    if (!(indexFilter >= 0 && indexFilter < 1)) {
      throw new ConfigException(INDEX_FILTER_FRACTION, configs.get(INDEX_FILTER_FRACTION), "must be in [0, 1)");
    }
    return new BoundedRocksDbSettings(memory, writeBuffers, indexFilter, compression(configs),
        storeNames(configs.get(TIME_ORDERED_STORES)));
  }

  public long writeBufferBytes() {
    return (long) (memoryBytes * writeBufferFraction);
  }

  /** Whether a store (its name as Kafka Streams passes it, possibly prefixed) is keyed time first. */
  public boolean timeOrdered(String storeName) {
    for (String name : timeOrderedStores) {
      if (storeName.endsWith(name)) {
        return true;
      }
    }
    return false;
  }

  private static long longValue(Map<String, ?> configs, String key, long defaultValue) {
    Object v = configs.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, v, "not a whole number of bytes");
    }
  }

  private static double doubleValue(Map<String, ?> configs, String key, double defaultValue) {
    Object v = configs.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, v, "not a number");
    }
  }

  private static CompressionType compression(Map<String, ?> configs) {
    Object v = configs.get(COMPRESSION);
    String name = v == null ? DEFAULT_COMPRESSION : v.toString().trim().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "none" -> CompressionType.NO_COMPRESSION;
      case "lz4" -> CompressionType.LZ4_COMPRESSION;
      case "zstd" -> CompressionType.ZSTD_COMPRESSION;
      default -> throw new ConfigException(COMPRESSION, v, "must be one of none, lz4, zstd");
    };
  }

  private static Set<String> storeNames(Object v) {
    Collection<?> names;
    if (v == null) {
      names = Arrays.asList(DEFAULT_TIME_ORDERED_STORES.split(","));
    } else if (v instanceof Collection<?> c) {
      names = c;
    } else {
      names = Arrays.asList(v.toString().split(","));
    }
    return names.stream().map(n -> n.toString().trim()).filter(n -> !n.isEmpty()).collect(Collectors.toSet());
  }
}

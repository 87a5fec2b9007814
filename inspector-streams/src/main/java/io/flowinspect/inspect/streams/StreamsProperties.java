package io.flowinspect.inspect.streams;

import io.flowinspect.schemas.Topics;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/** The Kafka Streams configuration flowinspect runs with, before the user's overrides. */
public final class StreamsProperties {
  public static final String DEFAULT_APPLICATION_ID = "flowinspect-inspector";
  public static final long DEFAULT_COMMIT_INTERVAL_MS = 5_000;

  private StreamsProperties() {}

  public static Properties of(String bootstrapServers, String applicationId, Topics topics, Map<String, String> overrides) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // A record the serdes cannot read goes, untouched and with the exception in its headers, to
    // the dead-letter topic; one poison record must not stop the inspection of everything else.
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName());
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetters().name());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    // No record cache: verdicts are forwarded, never materialized, and the stores cache in their
    // own way (ConnectionCacheStore, WriteBehindStore), so Kafka Streams' cache would hold nothing.
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
    // All RocksDB stores of the JVM share one bounded block cache and write-buffer budget, tuned per
    // store (see BoundedRocksDb); without it memory grows with every partition assigned.
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class.getName());
    p.put(StreamsConfig.producerPrefix("linger.ms"), "5");
    // No compression (Kafka's default) for what the inspector writes. With lz4 the producer
    // allocates a 64 KiB block buffer and a 64 KiB output buffer for every batch, and against one
    // broker it drains every partition's batch whenever any is due, so batches stay small: 13 % of
    // the stream thread went to creating them (JFR, default benchmark). The inspector's output is
    // a few records per connection; the packets topic, the large one, is compressed by the agent.
    p.putAll(overrides);
    // At-least-once commits every 5 s (Kafka Streams' default is 30 s; exactly-once keeps its
    // 100 ms). A commit writes every connection changed since the last one while inspection
    // waits: the longer the interval, the fewer times a long-lived connection is written and the
    // less a crash replays, but each commit stalls about as long as the active connections take to
    // write (~100 ms for 10 k). An inline enforcer that needs verdicts fast sets
    // commit.interval.ms=100: p99 capture-to-verdict about halves, packets/s per thread drop by
    // 10-20 % on a mix and by half with 10 k busy long-lived connections (BENCHMARKS.md).
    if (StreamsConfig.AT_LEAST_ONCE.equals(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
      p.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(DEFAULT_COMMIT_INTERVAL_MS));
    }
    if ("".equals(p.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))) {
      p.remove(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG); // asked for Kafka Streams' own settings
    }
    // RocksDB settings are read only when a store opens, inside a stream thread; a bad one should
    // stop the command now, naming the key, rather than kill the thread later.
    Map<String, Object> all = new java.util.HashMap<>();
    p.forEach((k, v) -> all.put(String.valueOf(k), v));
    BoundedRocksDbSettings.from(all);
    return p;
  }
}

package io.flowinspect.inspect.streams;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A store that holds changes in memory over a RocksDB store (changelogged or local) and writes
 * them there when Kafka Streams is about to commit. Registered as the store (the store below is
 * initialized with it as root), it is the one Kafka Streams calls {@link #flushCache()} on before
 * committing input offsets or a transaction, so a changelog holds every change up to the
 * committed offsets.
 * {@link WrappedStateStore} and {@code CachedStateStore} are Kafka Streams internals: the build pins
 * the Kafka version, and {@code kafkaStreamsFlushesTheCacheWhenItCommits} tests fail if a new
 * version stops calling them.
 */
abstract class HoldingStore extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]> {

  HoldingStore(KeyValueStore<Bytes, byte[]> below) {
    super(below);
  }

  /** Writes every held change to the store below. */
  abstract void writeHeld();

  /** Drops every held change unwritten, and whatever else was learned of the store below. */
  abstract void forgetHeld();

  @Override
  public void init(StateStoreContext context, StateStore root) {
    forgetHeld(); // a store re-initialized after a failure starts from what the store below holds
    super.init(context, root);
  }

  @Override
  public void flushCache() {
    writeHeld();
    super.flushCache();
  }

  /**
   * Forgets what was not written. Kafka Streams calls this when it recycles a task (active to
   * standby or back) after a clean commit, when nothing should be left to forget.
   */
  @Override
  public void clearCache() {
    forgetHeld();
    super.clearCache();
  }

  /** Like Kafka Streams' own caching stores: what is still held is written before closing. */
  @Override
  public void close() {
    try {
      if (isOpen()) {
        writeHeld();
      }
    } finally { // RocksDB is closed (and its directory lock released) even if the last write fails
      forgetHeld();
      super.close();
    }
  }
}

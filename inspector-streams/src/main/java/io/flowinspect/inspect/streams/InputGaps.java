package io.flowinspect.inspect.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Notices records of the packets topic that a task never inspected: a record whose offset lies
 * past the one after the last record the task inspected. The broker deletes records by retention
 * whether or not anyone has read them, so an inspector that falls further behind than the topic
 * keeps loses the oldest unread packets, and Kafka Streams then goes on from the oldest record
 * left, saying so only in an INFO line of its log. The same gap appears when someone moves the
 * group's offsets past unread records.
 *
 * <p>The offset after the last inspected record is kept in the task's meta store, so it is
 * written at each commit with the task's other state (and its changelog): a restart, here or on
 * another instance, compares the first record it reads with it. A record before it (read again
 * after a crash, under at-least-once) is no gap. Offsets of a topic that only
 * non-transactional producers write (flowinspect's capture agents) are consecutive; a
 * transactional producer would leave gaps of its own (commit markers, aborted records), which
 * this would report too. Not thread-safe: one per task.
 */
final class InputGaps {
  /** The meta store's key of the offset after the last record inspected (8 bytes, big-endian). */
  static final Bytes NEXT_OFFSET = Bytes.wrap("packets-next-offset".getBytes(StandardCharsets.US_ASCII));

  /** Offsets {@code from} (inclusive) to {@code to} (exclusive) of a partition, never inspected. */
  record Gap(int partition, long from, long to) {
    long records() {
      return to - from;
    }
  }

  private final KeyValueStore<Bytes, byte[]> meta;
  /** The offset expected next; -1 when this task has inspected nothing yet, here or before. */
  private long next;

  InputGaps(KeyValueStore<Bytes, byte[]> meta) {
    this.meta = meta;
    byte[] stored = meta.get(NEXT_OFFSET);
    next = stored == null ? -1 : ByteBuffer.wrap(stored).getLong();
  }

  /** The record at {@code offset} of {@code partition} is being inspected: the gap before it, or null. */
  Gap inspecting(int partition, long offset) {
    Gap gap = next >= 0 && offset > next ? new Gap(partition, next, offset) : null;
    next = offset + 1;
    meta.put(NEXT_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(next).array());
    return gap;
  }
}

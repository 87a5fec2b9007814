package io.flowinspect.inspect.streams;

/**
 * Tells the connection stores of one Kafka Streams instance, with quiet changes on
 * ({@link InspectorSettings#quietChanges()}), that their next commits must write the quiet changes
 * too: the instance is about to close, or a rebalance may be taking tasks away. Kafka Streams gives
 * a store no "last commit" signal of its own, and a write made when a store closes lands after the
 * task's last commit, where a new owner may already have restored the task. So the instance raises
 * this before it closes and while it rebalances ({@link InspectorRunner}), and the commits that
 * Kafka Streams makes then (on closing, on giving partitions up) write everything.
 *
 * <p>Set and cleared by whichever thread changes the instance's state; read by stream threads.
 */
final class QuietWrites {
  private volatile boolean due;

  /** From now on, commits write quiet changes too. */
  void raise() {
    due = true;
  }

  /** Commits write transitions only again (quiet changes stay in memory). */
  void lower() {
    due = false;
  }

  boolean due() {
    return due;
  }
}

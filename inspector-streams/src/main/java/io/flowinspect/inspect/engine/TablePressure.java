package io.flowinspect.inspect.engine;

/**
 * Decides when a full or filling connection table is worth telling the listener about. Reports go
 * out at once when pressure gets worse (timeouts start to shrink, evictions start, refusals
 * start) and otherwise at most once per {@link #REPORT_INTERVAL_NANOS} of capture time, carrying
 * the counts since the previous report, so a flood yields a handful of alerts rather than one per
 * packet.
 */
final class TablePressure {
  /** Capture time between two reports while connections keep being evicted or refused. */
  static final long REPORT_INTERVAL_NANOS = 60_000_000_000L;

  private static final int NONE = 0;
  private static final int EVICTING = 1;
  private static final int REFUSING = 2;

  private final TrackerListener listener;
  private long evicted;
  private long refused;
  private int lastLevel = -1;
  private long lastReportNanos = Long.MIN_VALUE / 2;

  TablePressure(TrackerListener listener) {
    this.listener = listener;
  }

  void evicted() {
    evicted++;
  }

  boolean evictedSinceReport() {
    return evicted > 0;
  }

  /** Timeouts are no longer scaled down: the next crossing into the adaptive range is news again. */
  void relieved() {
    lastLevel = -1;
  }

  /** Considers a report now; {@code refusal} counts a connection that could not be tracked. */
  void report(FlowKey trigger, long connections, double timeoutScale, boolean refusal, long now) {
    if (refusal) {
      refused++;
    }
    int level = refused > 0 ? REFUSING : evicted > 0 ? EVICTING : NONE;
    boolean worse = level > lastLevel;
    boolean due = now - lastReportNanos >= REPORT_INTERVAL_NANOS && (level > NONE || worse);
    if (!worse && !due) {
      return;
    }
    listener.pressure(trigger, connections, timeoutScale, evicted, refused > 0, now);
    evicted = 0;
    refused = 0;
    lastLevel = level;
    lastReportNanos = now;
  }
}

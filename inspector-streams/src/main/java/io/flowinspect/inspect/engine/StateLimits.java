package io.flowinspect.inspect.engine;

/**
 * How many connections one tracker (one Kafka Streams task) may hold, and when it starts to
 * defend itself. Past {@code adaptiveStart} × max connections, new timeouts shrink linearly until
 * they reach zero at {@code adaptiveEnd} × max (pf's adaptive timeouts: at max, with the defaults,
 * a third of their length). At max, a new connection first evicts the oldest connection that
 * never saw a reply (conntrack's early drop); when there is none, it is not tracked.
 *
 * @param maxConnections most connections tracked at once
 * @param adaptiveStart fraction of max where timeouts start to shrink (pf: 0.6)
 * @param adaptiveEnd fraction of max where they would reach zero (pf: 1.2)
 */
public record StateLimits(long maxConnections, double adaptiveStart, double adaptiveEnd) {
  public StateLimits {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("max connections must be at least 1: " + maxConnections);
    }
    if (!(adaptiveStart > 0 && adaptiveStart < adaptiveEnd && adaptiveEnd > 1)) {
      throw new IllegalArgumentException("need 0 < adaptive start < adaptive end and adaptive end > 1: "
          + adaptiveStart + ", " + adaptiveEnd);
    }
  }

  /** Four million connections per task: about 400 MB of RocksDB state at the measured ~100 bytes each. */
  public static StateLimits defaults() {
    return of(4_000_000);
  }

  public static StateLimits of(long maxConnections) {
    return new StateLimits(maxConnections, 0.6, 1.2);
  }

  /** The factor applied to new timeouts with {@code connections} tracked: 1 below the adaptive start. */
  double timeoutScale(long connections) {
    double start = adaptiveStart * maxConnections;
    if (connections <= start) {
      return 1;
    }
    double end = adaptiveEnd * maxConnections;
    // Quantized so that the timeouts in force change at most 64 times between start and end.
    double exact = Math.max(0, (end - connections) / (end - start));
    return Math.floor(exact * 64) / 64;
  }
}

package io.flowinspect.inspect.streams;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Up to which capture time every sensor writing to a partition has sent everything. Connections
 * are expired only up to the lowest of these, so that a packet still waiting in some agent's batch
 * never finds its connection gone. A sensor silent for {@link #SILENCE_NANOS} of stream time is no
 * longer waited for (it was switched off, or its partitions moved): one dead agent must not stop
 * expiry for everybody.
 */
final class SensorWatermarks {
  static final long SILENCE_NANOS = 60_000_000_000L;

  private record Mark(long watermarkNanos, long seenNanos) {}

  private final Map<String, Mark> marks = new HashMap<>();

  void observe(String sensor, long watermarkNanos, long recordNanos) {
    Mark old = marks.get(sensor);
    long w = old == null ? watermarkNanos : Math.max(old.watermarkNanos, watermarkNanos);
    long seen = old == null ? recordNanos : Math.max(old.seenNanos, recordNanos);
    marks.put(sensor, new Mark(w, seen));
  }

  /** How far expiry may go when stream time is {@code streamNanos}. */
  long safeTime(long streamNanos) {
    long safe = streamNanos;
    Iterator<Mark> it = marks.values().iterator();
    while (it.hasNext()) {
      Mark m = it.next();
      if (streamNanos - m.seenNanos > SILENCE_NANOS) {
        it.remove();
      } else {
        safe = Math.min(safe, m.watermarkNanos);
      }
    }
    return safe;
  }
}

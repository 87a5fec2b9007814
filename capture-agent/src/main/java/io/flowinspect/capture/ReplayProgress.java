package io.flowinspect.capture;

import io.flowinspect.capture.publish.PublisherStats;

/** Told about a replay's progress a few times a second, from the replaying thread. */
@FunctionalInterface
public interface ReplayProgress {
  ReplayProgress NONE = (frames, packets, fraction, stats) -> { };

  /**
   * @param fraction how much of the file has been read, 0 to 1, or -1 when unknown
   */
  void update(long frames, long packets, double fraction, PublisherStats stats);
}

package io.flowinspect.capture;

import java.time.Duration;

/**
 * How a capture file is replayed into Kafka.
 *
 * @param speed 0 for as fast as possible; otherwise the capture's own timing sped up this many
 *     times (1 = real time)
 * @param clockAdvance after the last packet, a heartbeat this much later, so that connections idle
 *     at the end of the file time out as if the capture had gone on silently
 * @param restamp give every packet the wall-clock time at which it is published instead of its
 *     capture time: the inspector's verdicts then carry their packet's send time, which is how
 *     the benchmark measures capture-to-verdict latency
 * @param limit stop after publishing this many packets; 0 for the whole file
 */
public record ReplayOptions(double speed, Duration clockAdvance, boolean restamp, long limit) {
  public ReplayOptions {
    if (speed < 0 || Double.isNaN(speed)) {
      throw new IllegalArgumentException("speed must be 0 (as fast as possible) or positive: " + speed);
    }
    if (clockAdvance.isNegative()) {
      throw new IllegalArgumentException("clock advance must not be negative: " + clockAdvance);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("packet limit must not be negative: " + limit);
    }
  }

  public ReplayOptions(double speed, Duration clockAdvance) {
    this(speed, clockAdvance, false, 0);
  }

  public static ReplayOptions asFastAsPossible() {
    return new ReplayOptions(0, Duration.ZERO);
  }

  public ReplayOptions withClockAdvance(Duration value) {
    return new ReplayOptions(speed, value, restamp, limit);
  }

  public ReplayOptions restamped() {
    return new ReplayOptions(speed, clockAdvance, true, limit);
  }

  public ReplayOptions withLimit(long packets) {
    return new ReplayOptions(speed, clockAdvance, restamp, packets);
  }

  public ReplayOptions withSpeed(double value) {
    return new ReplayOptions(value, clockAdvance, restamp, limit);
  }
}

package io.flowinspect.capture;

import java.time.Duration;

/**
 * How a capture file is replayed into Kafka.
 *
 * @param speed 0 for as fast as possible; otherwise the capture's own timing sped up this many
 *     times (1 = real time)
 * @param clockAdvance after the last packet, a heartbeat this much later, so that connections idle
 *     at the end of the file time out as if the capture had gone on silently
 */
public record ReplayOptions(double speed, Duration clockAdvance) {
  public ReplayOptions {
    if (speed < 0 || Double.isNaN(speed)) {
      throw new IllegalArgumentException("speed must be 0 (as fast as possible) or positive: " + speed);
    }
    if (clockAdvance.isNegative()) {
      throw new IllegalArgumentException("clock advance must not be negative: " + clockAdvance);
    }
  }

  public static ReplayOptions asFastAsPossible() {
    return new ReplayOptions(0, Duration.ZERO);
  }

  public ReplayOptions withClockAdvance(Duration value) {
    return new ReplayOptions(speed, value);
  }
}

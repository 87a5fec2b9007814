package io.flowinspect.capture;

import io.flowinspect.capture.decode.DecodeCounters;
import java.time.Duration;

/**
 * What publishing a capture file did.
 *
 * @param frames frames read from the file
 * @param packets packets decoded and sent
 * @param decoder frames decoded and skipped, by reason
 * @param records records the broker acknowledged (packets and heartbeats)
 * @param failed records the broker did not take
 * @param lastPacketNanos capture time of the last packet, or 0 when there was none
 */
public record FilePublishReport(long frames, long packets, DecodeCounters decoder, long records, long heartbeats,
    long failed, long lastPacketNanos, Duration elapsed) {

  public double packetsPerSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : packets / s;
  }
}

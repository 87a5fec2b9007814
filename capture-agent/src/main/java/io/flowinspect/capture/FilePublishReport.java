package io.flowinspect.capture;

import io.flowinspect.capture.decode.DecodeCounters;
import io.flowinspect.capture.publish.PublisherStats;
import java.time.Duration;

/**
 * What publishing a capture file did.
 *
 * @param frames frames read from the file
 * @param packets packets decoded and handed to the publisher
 * @param decoder frames decoded and skipped, by reason
 * @param publisher what the publisher sent, and what the broker acknowledged
 * @param firstPacketNanos capture time of the first packet published, or 0 when there was none
 * @param lastPacketNanos latest capture time among the packets published, or 0 when there was none
 * @param elapsed wall-clock time from opening the file to the last acknowledgement
 */
public record FilePublishReport(long frames, long packets, DecodeCounters decoder, PublisherStats publisher,
    long firstPacketNanos, long lastPacketNanos, Duration elapsed) {

  /** Packets per second of capture time: the rate at which the capture was recorded. */
  public double capturedPacketsPerSecond() {
    double s = (lastPacketNanos - firstPacketNanos) / 1e9;
    return s <= 0 ? 0 : packets / s;
  }

  public double packetsPerSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : packets / s;
  }

  public double recordsPerSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : publisher.recordsSent() / s;
  }

  /** Packets decoded but not acknowledged: dropped under backpressure or refused by the broker. */
  public long lost() {
    return publisher.packetsDropped() + publisher.packetsFailed();
  }
}

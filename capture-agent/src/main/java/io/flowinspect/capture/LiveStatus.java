package io.flowinspect.capture;

import io.flowinspect.capture.decode.DecodeCounters;
import io.flowinspect.capture.publish.PublisherStats;
import io.flowinspect.capture.source.CaptureStats;
import java.time.Duration;

/**
 * Where a live capture stands: what libpcap saw and dropped, what the decoder kept and skipped,
 * what the publisher sent, dropped, and has in flight.
 */
public record LiveStatus(Duration running, long frames, CaptureStats kernel, DecodeCounters decoder,
    PublisherStats publisher) {

  /** One line for a log or a terminal. */
  public String line() {
    return String.format(java.util.Locale.ROOT,
        "%ds: frames %,d (libpcap received %,d, dropped %,d by kernel, %,d by interface); decoder %s; "
            + "published %,d packets in %,d records, %,d in flight, dropped %,d, failed %,d",
        running.toSeconds(), frames, kernel.received(), kernel.droppedByKernel(), kernel.droppedByInterface(),
        decoder, publisher.packetsAcked(), publisher.recordsAcked(), publisher.inFlight(),
        publisher.packetsDropped(), publisher.packetsFailed());
  }
}

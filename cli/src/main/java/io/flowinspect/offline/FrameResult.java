package io.flowinspect.offline;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.SkipReason;
import io.flowinspect.inspect.engine.Classification;

/**
 * What happened to one frame of a capture: decoded and classified, or skipped with a reason.
 * The decoded packet is the decoder's reusable buffer: read it before the next frame.
 */
public record FrameResult(long index, DecodedPacket packet, SkipReason skipped, Classification classification) {
  /** The state column of the packet report, as ct-oracle names states. */
  public String stateLabel() {
    if (skipped != null) {
      return skipped.notIp() ? "non-ip" : "skipped";
    }
    return classification.state().label();
  }

  public String directionLabel() {
    return classification == null || classification.direction() == null ? "-" : classification.direction().label();
  }
}

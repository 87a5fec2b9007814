package io.flowinspect.capture.source;

/** Receives the frames of a capture in order. The frame array is the consumer's to keep. */
@FunctionalInterface
public interface FrameConsumer {
  /**
   * @param index 1-based position in the capture (Wireshark's frame number)
   * @param capturedLength bytes of {@code frame} that were captured
   * @param wireLength the frame's length on the wire, larger when the snap length cut it
   * @param timeNanos capture time, nanoseconds since the Unix epoch
   */
  void accept(long index, int linkType, byte[] frame, int capturedLength, int wireLength, long timeNanos);
}

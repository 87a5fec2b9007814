package io.flowinspect.capture.source;

/**
 * Receives the frames of a capture in order. The frame array may be reused for the next frame
 * (the file reader does, to allocate nothing per frame): read or copy it during the call, and
 * only its first {@code capturedLength} bytes.
 */
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

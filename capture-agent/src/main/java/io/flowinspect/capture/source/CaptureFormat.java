package io.flowinspect.capture.source;

/** A capture file format's reader: its file header is read when it is made, its frames on request. */
sealed interface CaptureFormat permits PcapFormat, PcapngFormat {
  /** Delivers every frame after the file header; returns the number of frames delivered. */
  long readFrames() throws CaptureException;
}

package io.flowinspect.capture.publish;

/** What the agent does when the broker cannot keep up and the in-flight bound is reached. */
public enum Backpressure {
  /**
   * Drop the packets and count them: a live capture must keep reading, or the kernel drops
   * packets anyway, unseen. The default for interfaces.
   */
  DROP,
  /** Wait for the broker: nothing is lost, the reader slows down. The default for files. */
  WAIT
}

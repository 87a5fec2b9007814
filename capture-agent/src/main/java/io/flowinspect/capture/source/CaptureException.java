package io.flowinspect.capture.source;

/** A capture could not be opened or read. */
public class CaptureException extends Exception {
  public CaptureException(String message) {
    super(message);
  }

  public CaptureException(String message, Throwable cause) {
    super(message, cause);
  }
}

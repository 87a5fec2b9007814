package io.flowinspect.inspect.policy;

/** Which way a connection was opened, relative to the home networks. */
public enum FlowDirection {
  /** From a home network to the outside. */
  OUTBOUND,
  /** From the outside to a home network. */
  INBOUND,
  /** Between home networks. */
  INTERNAL,
  /** Between two outside addresses (transit traffic seen on the mirror). */
  EXTERNAL;

  public static FlowDirection of(boolean originatorHome, boolean responderHome) {
    if (originatorHome) {
      return responderHome ? INTERNAL : OUTBOUND;
    }
    return responderHome ? INBOUND : EXTERNAL;
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

package io.flowinspect.inspect.output;

/** What an alert is about. */
public enum AlertKind {
  /** A new connection the rule set denies. */
  DENIED_CONNECTION,
  /** Packets that fit no connection or break its protocol. */
  INVALID_PACKET,
  /** An answer from an address that was not asked (e.g. a DNS reply from the wrong server). */
  UNEXPECTED_REPLY,
  /** An ICMP error about a connection nobody has. */
  ICMP_ERROR_WITHOUT_CONNECTION,
  SYN_FLOOD,
  PORT_SCAN,
  STATE_TABLE_PRESSURE,
  /**
   * Records of the packets topic that were never inspected (deleted by retention while the
   * inspector lagged, or skipped by moving offsets): their connections are picked up mid-stream.
   */
  PACKETS_LOST
}

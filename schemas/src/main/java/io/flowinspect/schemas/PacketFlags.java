package io.flowinspect.schemas;

/**
 * Bit layout of {@link PacketHeader#getFlags()} and {@link PacketHeader#getTcpOptions()}: part of
 * the topic's contract, so writer and reader share these constants and nothing else.
 */
public final class PacketFlags {
  /** The sender is the key's high endpoint (else the low one). */
  public static final int FROM_HIGH = 1;
  /** The transport checksum was verified and is wrong. */
  public static final int CHECKSUM_BAD = 1 << 1;
  /** The transport checksum could not be verified (payload cut by the snap length, or offloaded). */
  public static final int CHECKSUM_UNVERIFIED = 1 << 2;
  /** An ICMP/ICMPv6 error message; the key is the key of the embedded (inner) packet. */
  public static final int ICMP_ERROR = 1 << 3;
  /** ICMP error: its destination is not the inner packet's source, so it cannot be about that packet. */
  public static final int ERROR_DESTINATION_MISMATCH = 1 << 4;
  /** ICMP error: the embedded packet was sent by the key's high endpoint. */
  public static final int INNER_FROM_HIGH = 1 << 5;
  /** First fragment of a fragmented IP datagram (later fragments never reach the topic). */
  public static final int FIRST_FRAGMENT = 1 << 6;
  /**
   * ICMP error: the embedded packet can never belong to a tracked connection (it is itself an ICMP
   * error, an ICMP type that has no reply, or too short to name its ports).
   */
  public static final int INNER_NOT_TRACKABLE = 1 << 7;
  /** The transport header is malformed in a way a firewall rejects (e.g. UDP length, TCP data offset). */
  public static final int TRANSPORT_MALFORMED = 1 << 8;
  /**
   * FTP control connections only: the segment's payload was captured whole and ends with a line
   * feed. The kernel's FTP helper reads a command only where a previous segment ended a line.
   */
  public static final int PAYLOAD_ENDS_LINE = 1 << 9;

  public static final int WSCALE_MASK = 0x0f;
  public static final int OPT_WSCALE = 1 << 4;
  public static final int OPT_SACK_PERMITTED = 1 << 5;
  public static final int OPT_SACK = 1 << 6;
  public static final int MSS_SHIFT = 16;

  private PacketFlags() {}

  public static boolean has(int flags, int bit) {
    return (flags & bit) != 0;
  }
}

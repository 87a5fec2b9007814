package io.flowinspect.inspect.engine;

/**
 * The headers of one packet as the engine sees them: which side of the {@link FlowKey} sent it,
 * and the fields a stateful firewall looks at. Time is the capture time; the engine never reads a
 * clock, so the same packets always give the same results.
 *
 * @param timeNanos capture time, nanoseconds since the epoch
 * @param fromHigh the sender is the key's high endpoint
 * @param length IP total length, the unit of byte counters
 * @param payloadLength transport payload bytes (TCP segment data)
 * @param tcpFlags TCP flag byte (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, ECE 64, CWR 128)
 * @param seq TCP sequence number, unsigned 32 bits held in an int
 * @param ack TCP acknowledgement number
 * @param window TCP window field as sent, unscaled
 * @param windowScale window-scale option shift (clipped to 14), or -1 when the option is absent
 * @param sackPermitted the SACK-permitted option is present
 * @param sackEdge highest right edge among SACK blocks, or {@link #NO_SACK} when there are none
 * @param icmpType ICMP type, or -1 for other protocols
 * @param icmpCode ICMP code
 * @param attributes bit set of {@link #CHECKSUM_BAD}, {@link #MALFORMED} and {@link #ENDS_LINE}
 * @param icmpError details of an ICMP error message, else null
 * @param ftpLine a PORT, EPRT, 227 or 229 line from an FTP control connection, else null
 */
public record Packet(
    long timeNanos,
    boolean fromHigh,
    int length,
    int payloadLength,
    int tcpFlags,
    int seq,
    int ack,
    int window,
    int windowScale,
    boolean sackPermitted,
    long sackEdge,
    int icmpType,
    int icmpCode,
    int attributes,
    IcmpError icmpError,
    String ftpLine) {

  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;
  public static final int URG = 0x20;
  public static final int ECE = 0x40;
  public static final int CWR = 0x80;

  /** The transport checksum was verified and is wrong. */
  public static final int CHECKSUM_BAD = 1;
  /** The transport header contradicts the IP header (a length or offset that cannot be). */
  public static final int MALFORMED = 1 << 1;
  /** The payload (known whole) ends with a line feed; FTP's helper needs to know where lines start. */
  public static final int ENDS_LINE = 1 << 2;

  public static final long NO_SACK = -1L;

  public boolean has(int tcpFlag) {
    return (tcpFlags & tcpFlag) != 0;
  }

  public boolean checksumBad() {
    return (attributes & CHECKSUM_BAD) != 0;
  }

  public boolean malformed() {
    return (attributes & MALFORMED) != 0;
  }

  public boolean endsLine() {
    return (attributes & ENDS_LINE) != 0;
  }

  public boolean hasSack() {
    return sackEdge != NO_SACK;
  }

  /** Sequence number just past this segment: SYN and FIN each occupy one (RFC 793). */
  public int end() {
    return seq + payloadLength + (has(SYN) ? 1 : 0) + (has(FIN) ? 1 : 0);
  }

  /**
   * What an ICMP error message says about the packet it quotes.
   *
   * @param innerFromHigh the quoted packet was sent by the key's high endpoint
   * @param innerTrackable the quoted packet could belong to a connection (false for an error about an error)
   * @param destinationMismatch the error is not addressed to the quoted packet's sender
   * @param source who sent the error, often a router outside the connection
   */
  public record IcmpError(boolean innerFromHigh, boolean innerTrackable, boolean destinationMismatch, IpAddress source) {}
}

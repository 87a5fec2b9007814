package io.flowinspect.inspect.engine;

/** Test-only builder of engine packets with sensible defaults. */
final class PacketBuilder {
  private long timeNanos = 1_000_000_000L;
  private boolean fromHigh;
  private int length = 40;
  private int payload;
  private int tcpFlags;
  private int seq;
  private int ack;
  private int window = 64240;
  private int windowScale = -1;
  private boolean sackPermitted;
  private long sackEdge = Packet.NO_SACK;
  private int icmpType = -1;
  private int icmpCode;
  private int attributes;
  private Packet.IcmpError icmpError;
  private String ftpLine;

  static PacketBuilder at(long timeNanos) {
    PacketBuilder b = new PacketBuilder();
    b.timeNanos = timeNanos;
    return b;
  }

  PacketBuilder fromHigh(boolean value) {
    fromHigh = value;
    return this;
  }

  PacketBuilder tcp(int flags, int seq, int ack) {
    this.tcpFlags = flags;
    this.seq = seq;
    this.ack = ack;
    return this;
  }

  PacketBuilder payload(int bytes) {
    payload = bytes;
    length = 40 + bytes;
    return this;
  }

  PacketBuilder window(int value) {
    window = value;
    return this;
  }

  PacketBuilder windowScale(int shift) {
    windowScale = shift;
    return this;
  }

  PacketBuilder sackPermitted() {
    sackPermitted = true;
    return this;
  }

  PacketBuilder sack(int rightEdge) {
    sackEdge = rightEdge & 0xffff_ffffL;
    return this;
  }

  PacketBuilder icmp(int type, int code) {
    icmpType = type;
    icmpCode = code;
    return this;
  }

  PacketBuilder icmpError(boolean innerFromHigh, boolean trackable, boolean destinationMismatch) {
    icmpError = new Packet.IcmpError(innerFromHigh, trackable, destinationMismatch, IpAddress.parse("198.51.100.254"));
    return this;
  }

  PacketBuilder attributes(int bits) {
    attributes = bits;
    return this;
  }

  PacketBuilder ftp(String line) {
    ftpLine = line;
    attributes |= Packet.ENDS_LINE;
    payload = line.length() + 2;
    length = 40 + payload;
    return this;
  }

  /** Data on an FTP control connection that is not a command of interest, ending a line. */
  PacketBuilder ftpOtherLine(int bytes) {
    payload = bytes;
    length = 40 + bytes;
    attributes |= Packet.ENDS_LINE;
    return this;
  }

  Packet build() {
    return new Packet(timeNanos, fromHigh, length, payload, tcpFlags, seq, ack, window, windowScale, sackPermitted,
        sackEdge, icmpType, icmpCode, attributes, icmpError, ftpLine);
  }
}

package io.flowinspect.capture.decode;

import io.flowinspect.schemas.PacketFlags;
import java.util.Arrays;

/** What must hold for every packet the decoder returns, whatever the input bytes were. */
final class DecodedPacketInvariants {
  private DecodedPacketInvariants() {}

  /** Null when the packet is consistent, else what is wrong. */
  static String violation(DecodedPacket p) {
    if (p.ipVersion() != 4 && p.ipVersion() != 6) return "ip version " + p.ipVersion();
    if (p.addressLength() != (p.ipVersion() == 4 ? 4 : 16)) return "address length " + p.addressLength();
    if (p.length() < (p.ipVersion() == 4 ? 20 : 40) || p.length() > 0xffff + 40) return "length " + p.length();
    if (p.payloadLength() < 0 || p.payloadLength() > p.length()) return "payload length " + p.payloadLength();
    if (p.protocol() < 0 || p.protocol() > 255 || p.keyProtocol() < 0 || p.keyProtocol() > 255) return "protocol";
    if (p.icmpType() < -1 || p.icmpType() > 255 || p.icmpCode() < 0 || p.icmpCode() > 255) return "icmp type/code";
    if (Protocols.hasPorts(p.keyProtocol()) && (outOfPortRange(p.lowPort()) || outOfPortRange(p.highPort()))) return "port";
    if ((p.tcpFlags() & ~0xff) != 0) return "tcp flags";
    int order = Arrays.compareUnsigned(p.lowAddress(), 0, p.addressLength(), p.highAddress(), 0, p.addressLength());
    if (order > 0 || (order == 0 && Integer.compareUnsigned(p.lowPort(), p.highPort()) > 0)) return "key not ordered";
    boolean error = (p.flags() & PacketFlags.ICMP_ERROR) != 0;
    if (error != (p.errorSource() != null)) return "error source";
    if (error && p.errorSource().length != p.addressLength()) return "error source length";
    if (p.ftpLine() != null && (p.protocol() != 6 || p.ftpLine().length > 128)) return "ftp line";
    if (p.describeTuple().isEmpty() || p.describeInfo() == null) return "text";
    return null;
  }

  private static boolean outOfPortRange(int port) {
    return port < 0 || port > 0xffff;
  }
}

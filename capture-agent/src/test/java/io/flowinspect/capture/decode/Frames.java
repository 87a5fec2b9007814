package io.flowinspect.capture.decode;

/** Link-layer framing around an IP packet, for tests. */
final class Frames {
  static final int ETHERTYPE_IPV4 = 0x0800;
  static final int ETHERTYPE_IPV6 = 0x86dd;
  static final int ETHERTYPE_ARP = 0x0806;
  static final int ETHERTYPE_MPLS = 0x8847;

  private Frames() {}

  static int etherTypeOf(byte[] ip) {
    return (ip[0] & 0xf0) == 0x60 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
  }

  static byte[] ethernet(byte[] ip) {
    return ethernet(etherTypeOf(ip), ip);
  }

  static byte[] ethernet(int etherType, byte[] payload) {
    return tagged(etherType, payload);
  }

  /** Ethernet with one tag per TPID given (outermost first), VLAN ids 100, 101, ... */
  static byte[] tagged(int etherType, byte[] payload, int... tpids) {
    byte[] f = new byte[14 + 4 * tpids.length + payload.length];
    for (int i = 0; i < 6; i++) {
      f[i] = (byte) (0x02 + i);
      f[6 + i] = (byte) (0x12 + i);
    }
    int at = 12;
    for (int i = 0; i < tpids.length; i++) {
      PacketBuilder.put16(f, at, tpids[i]);
      PacketBuilder.put16(f, at + 2, 100 + i);
      at += 4;
    }
    PacketBuilder.put16(f, at, etherType);
    System.arraycopy(payload, 0, f, at + 2, payload.length);
    return f;
  }

  static byte[] padded(byte[] frame, int minimum) {
    if (frame.length >= minimum) return frame;
    byte[] f = new byte[minimum];
    System.arraycopy(frame, 0, f, 0, frame.length);
    for (int i = frame.length; i < minimum; i++) f[i] = (byte) 0xee;
    return f;
  }

  /** Linux cooked v1: packet type 0 (to us), ARPHRD_ETHER, 6-byte address. */
  static byte[] sll(int protocol, byte[] payload) {
    byte[] f = new byte[16 + payload.length];
    PacketBuilder.put16(f, 2, 1);
    PacketBuilder.put16(f, 4, 6);
    for (int i = 0; i < 6; i++) f[6 + i] = (byte) (0x20 + i);
    PacketBuilder.put16(f, 14, protocol);
    System.arraycopy(payload, 0, f, 16, payload.length);
    return f;
  }

  /** Linux cooked v2: protocol first, interface index 3, ARPHRD_ETHER. */
  static byte[] sll2(int protocol, byte[] payload) {
    byte[] f = new byte[20 + payload.length];
    PacketBuilder.put16(f, 0, protocol);
    f[7] = 3;
    PacketBuilder.put16(f, 8, 1);
    f[11] = 6;
    System.arraycopy(payload, 0, f, 20, payload.length);
    return f;
  }

  /** BSD loopback header: the family as a 32-bit number in either byte order. */
  static byte[] bsdLoopback(int family, boolean littleEndian, byte[] payload) {
    byte[] f = new byte[4 + payload.length];
    if (littleEndian) {
      f[0] = (byte) family;
      f[1] = (byte) (family >>> 8);
    } else {
      f[2] = (byte) (family >>> 8);
      f[3] = (byte) family;
    }
    System.arraycopy(payload, 0, f, 4, payload.length);
    return f;
  }
}

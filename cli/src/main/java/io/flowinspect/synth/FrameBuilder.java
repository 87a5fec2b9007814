package io.flowinspect.synth;

import io.flowinspect.inspect.engine.IpAddress;

/**
 * Builds Ethernet frames carrying IPv4 or IPv6 with TCP, UDP or ICMP, with correct checksums so
 * that a real kernel accepts them (the conntrack oracle verifies checksums by default).
 */
public final class FrameBuilder {
  private static final int ETHERNET = 14;
  private int ipId = 1;

  public byte[] tcp(Host src, int srcPort, Host dst, int dstPort, int flags, int seq, int ack, int window,
      TcpOptions options, byte[] payload) {
    byte[] opts = options.encode();
    int tcpLength = 20 + opts.length + payload.length;
    byte[] t = new byte[tcpLength];
    put16(t, 0, srcPort);
    put16(t, 2, dstPort);
    put32(t, 4, seq);
    put32(t, 8, ack);
    t[12] = (byte) (((20 + opts.length) / 4) << 4);
    t[13] = (byte) flags;
    put16(t, 14, window);
    System.arraycopy(opts, 0, t, 20, opts.length);
    System.arraycopy(payload, 0, t, 20 + opts.length, payload.length);
    put16(t, 16, transportChecksum(src.address(), dst.address(), 6, t));
    return ip(src, dst, 6, t);
  }

  public byte[] udp(Host src, int srcPort, Host dst, int dstPort, byte[] payload) {
    byte[] u = new byte[8 + payload.length];
    put16(u, 0, srcPort);
    put16(u, 2, dstPort);
    put16(u, 4, u.length);
    System.arraycopy(payload, 0, u, 8, payload.length);
    int c = transportChecksum(src.address(), dst.address(), 17, u);
    put16(u, 6, c == 0 ? 0xffff : c);
    return ip(src, dst, 17, u);
  }

  /** An ICMP or ICMPv6 message; {@code rest} is the 4 bytes after the checksum, then the body. */
  public byte[] icmp(Host src, Host dst, int type, int code, int rest, byte[] body) {
    boolean v6 = src.ipv6();
    byte[] m = new byte[8 + body.length];
    m[0] = (byte) type;
    m[1] = (byte) code;
    put32(m, 4, rest);
    System.arraycopy(body, 0, m, 8, body.length);
    int c = v6 ? transportChecksum(src.address(), dst.address(), 58, m) : Checksum.fold(Checksum.sum(m, 0, m.length));
    put16(m, 2, c);
    return ip(src, dst, v6 ? 58 : 1, m);
  }

  /** The IP packet inside an Ethernet frame, as an ICMP error quotes it. */
  public static byte[] ipPacketOf(byte[] frame) {
    return java.util.Arrays.copyOfRange(frame, ETHERNET, frame.length);
  }

  private byte[] ip(Host src, Host dst, int protocol, byte[] transport) {
    boolean v6 = src.ipv6();
    int ipHeader = v6 ? 40 : 20;
    byte[] f = new byte[ETHERNET + ipHeader + transport.length];
    System.arraycopy(dst.mac(), 0, f, 0, 6);
    System.arraycopy(src.mac(), 0, f, 6, 6);
    put16(f, 12, v6 ? 0x86dd : 0x0800);
    int ip = ETHERNET;
    if (v6) {
      f[ip] = 0x60;
      put16(f, ip + 4, transport.length);
      f[ip + 6] = (byte) protocol;
      f[ip + 7] = 64;
      System.arraycopy(src.address().toBytes(), 0, f, ip + 8, 16);
      System.arraycopy(dst.address().toBytes(), 0, f, ip + 24, 16);
    } else {
      f[ip] = 0x45;
      put16(f, ip + 2, 20 + transport.length);
      put16(f, ip + 4, ipId++);
      f[ip + 6] = 0x40; // don't fragment
      f[ip + 8] = 64;
      f[ip + 9] = (byte) protocol;
      System.arraycopy(src.address().toBytes(), 0, f, ip + 12, 4);
      System.arraycopy(dst.address().toBytes(), 0, f, ip + 16, 4);
      put16(f, ip + 10, Checksum.fold(Checksum.sum(f, ip, 20)));
    }
    System.arraycopy(transport, 0, f, ip + ipHeader, transport.length);
    return f;
  }

  private static int transportChecksum(IpAddress src, IpAddress dst, int protocol, byte[] segment) {
    byte[] s = src.toBytes();
    byte[] d = dst.toBytes();
    long sum = Checksum.sum(s, 0, s.length) + Checksum.sum(d, 0, d.length) + protocol + segment.length
        + Checksum.sum(segment, 0, segment.length);
    return Checksum.fold(sum);
  }

  static void put16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  static void put32(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}

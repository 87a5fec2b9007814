package io.flowinspect.inspect.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address as two longs (IPv4 in the low 32 bits of {@code lo}). */
public record IpAddress(boolean ipv6, long hi, long lo) implements Comparable<IpAddress> {

  public static IpAddress ofBytes(byte[] bytes) {
    return ofBytes(bytes, 0, bytes.length);
  }

  /** The address in {@code length} (4 or 16) bytes of {@code bytes} from {@code offset}, network order. */
  public static IpAddress ofBytes(byte[] bytes, int offset, int length) {
    if (length == 4) {
      return new IpAddress(false, 0, readInt(bytes, offset) & 0xffff_ffffL);
    }
    if (length == 16) {
      return new IpAddress(true, readLong(bytes, offset), readLong(bytes, offset + 8));
    }
    throw new IllegalArgumentException("address length " + length + " (expected 4 or 16)");
  }

  public static IpAddress parse(String text) {
    try {
      return ofBytes(InetAddress.getByName(requireLiteral(text)).getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + text, e);
    }
  }

  public byte[] toBytes() {
    if (!ipv6) {
      byte[] b = new byte[4];
      writeInt(b, 0, (int) lo);
      return b;
    }
    byte[] b = new byte[16];
    writeLong(b, 0, hi);
    writeLong(b, 8, lo);
    return b;
  }

  @Override
  public int compareTo(IpAddress other) {
    int byHi = Long.compareUnsigned(hi, other.hi);
    return byHi != 0 ? byHi : Long.compareUnsigned(lo, other.lo);
  }

  @Override
  public String toString() {
    if (!ipv6) {
      return ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
    }
    return Ipv6Text.format(hi, lo);
  }

  private static String requireLiteral(String text) {
    // InetAddress would otherwise resolve host names; configuration must never depend on DNS.
    if (text == null || !text.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an IP address literal: " + text);
    }
    return text;
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }

  private static long readLong(byte[] b, int at) {
    return (readInt(b, at) & 0xffff_ffffL) << 32 | (readInt(b, at + 4) & 0xffff_ffffL);
  }

  private static void writeInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static void writeLong(byte[] b, int at, long v) {
    writeInt(b, at, (int) (v >>> 32));
    writeInt(b, at + 4, (int) v);
  }
}

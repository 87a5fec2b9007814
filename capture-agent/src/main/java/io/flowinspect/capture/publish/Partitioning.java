package io.flowinspect.capture.publish;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.schemas.FlowKey;
import java.nio.ByteBuffer;

/**
 * Which partition a connection's packets go to. By default the hash of the zone and the two
 * addresses, not of the whole 5-tuple: an FTP data connection and its control connection, or an
 * ICMP error and the connection it reports on, then meet in one stream task and see each other's
 * state without a cross-partition join. The hash is murmur2 over zone (4 bytes, big-endian), low
 * address, high address (and, for five_tuple, protocol, low port and high port as 4 bytes each) —
 * the hash Kafka's own partitioner uses, so any agent, in any language, can compute it.
 */
public enum Partitioning {
  ADDRESS_PAIR,
  FIVE_TUPLE;

  public int partition(FlowKey key, int partitions) {
    ByteBuffer low = key.getLowAddress().duplicate();
    ByteBuffer high = key.getHighAddress().duplicate();
    byte[] scratch = new byte[48];
    ByteBuffer b = ByteBuffer.wrap(scratch);
    b.putInt(key.getZone()).put(low).put(high);
    if (this == FIVE_TUPLE) {
      b.putInt(key.getProtocol()).putInt(key.getLowPort()).putInt(key.getHighPort());
    }
    return toPositive(Murmur2.hash(scratch, b.position())) % partitions;
  }

  /** The same as {@link #partition(FlowKey, int)}, from the decoder's buffers, into a reused scratch array. */
  int partition(DecodedPacket p, int partitions, byte[] scratch) {
    int n = putInt(scratch, 0, p.zone());
    System.arraycopy(p.lowAddress(), 0, scratch, n, p.addressLength());
    n += p.addressLength();
    System.arraycopy(p.highAddress(), 0, scratch, n, p.addressLength());
    n += p.addressLength();
    if (this == FIVE_TUPLE) {
      n = putInt(scratch, n, p.keyProtocol());
      n = putInt(scratch, n, p.lowPort());
      n = putInt(scratch, n, p.highPort());
    }
    return toPositive(Murmur2.hash(scratch, n)) % partitions;
  }

  private static int putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
    return at + 4;
  }

  private static int toPositive(int h) {
    return h & 0x7fffffff;
  }
}

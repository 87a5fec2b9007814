package io.flowinspect.capture.publish;

import io.flowinspect.schemas.FlowKey;
import java.nio.ByteBuffer;

/**
 * A flow key as primitives, for finding a connection in a batch's key list: hashing the Avro
 * record would walk its schema for every packet.
 */
record BatchKey(int zone, int protocol, long lowHi, long lowLo, int lowPort, long highHi, long highLo, int highPort) {
  static BatchKey of(FlowKey k) {
    ByteBuffer low = k.getLowAddress();
    ByteBuffer high = k.getHighAddress();
    return new BatchKey(k.getZone(), k.getProtocol(), part(low, 0), part(low, 1), k.getLowPort(), part(high, 0),
        part(high, 1), k.getHighPort());
  }

  /** The first or second eight bytes of an address (an IPv4 address is its own first part). */
  private static long part(ByteBuffer address, int which) {
    int start = address.position();
    if (address.remaining() == 16) {
      return address.getLong(start + 8 * which);
    }
    return which == 0 ? address.getInt(start) & 0xffff_ffffL : -1L;
  }
}

package io.flowinspect.capture.publish;

import io.flowinspect.schemas.FlowKey;
import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition a connection's packets go to. By default the hash of the zone and the two
 * addresses, not of the whole 5-tuple: an FTP data connection and its control connection, or an
 * ICMP error and the connection it reports on, then meet in one stream task and see each other's
 * state without a cross-partition join. The hash is murmur2 like Kafka's own partitioner, so every
 * agent, in any language, can compute it.
 */
public enum Partitioning {
  ADDRESS_PAIR,
  FIVE_TUPLE;

  public int partition(FlowKey key, int partitions) {
    ByteBuffer low = key.getLowAddress().duplicate();
    ByteBuffer high = key.getHighAddress().duplicate();
    ByteBuffer b = ByteBuffer.allocate(4 + low.remaining() + high.remaining() + (this == FIVE_TUPLE ? 12 : 0));
    b.putInt(key.getZone()).put(low).put(high);
    if (this == FIVE_TUPLE) {
      b.putInt(key.getProtocol()).putInt(key.getLowPort()).putInt(key.getHighPort());
    }
    return Utils.toPositive(Utils.murmur2(b.array())) % partitions;
  }
}

package io.flowinspect.demo;

import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketFlags;
import io.flowinspect.schemas.PacketHeader;
import java.nio.ByteBuffer;

/** The connections of the restart tests: client 10.0.0.n, the lower address, to one HTTPS server. */
final class ClientsToOneServer {
  private ClientsToOneServer() {}

  static FlowKey key(int n) {
    return FlowKey.newBuilder().setZone(0).setProtocol(6)
        .setLowAddress(ByteBuffer.wrap(new byte[] {10, 0, 0, (byte) n})).setLowPort(40000 + n)
        .setHighAddress(ByteBuffer.wrap(new byte[] {93, (byte) 184, (byte) 216, 34})).setHighPort(443).build();
  }

  /** A TCP segment without payload, from the server when {@code fromHigh}. */
  static PacketHeader tcp(long time, boolean fromHigh, int flags, int seq, int ack) {
    return PacketHeader.newBuilder().setTimeNanos(time).setFlags(fromHigh ? PacketFlags.FROM_HIGH : 0)
        .setLength(54).setPayloadLength(0).setTcpFlags(flags).setSeq(seq).setAck(ack).setWindow(64000)
        .setTcpOptions(0).setSackEdge(0).setIcmpType(-1).setIcmpCode(0).build();
  }
}

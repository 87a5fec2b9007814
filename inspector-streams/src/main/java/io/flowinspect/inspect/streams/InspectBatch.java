package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.Packet;

/**
 * A packets-topic record as the inspector uses it: the engine's keys and packets, read straight
 * from the wire by {@link PacketBatchReader}. A record that is valid Avro but names something no
 * capture agent could have written (an address of 3 bytes, a packet pointing past the key list)
 * still arrives, with {@link #problem()} set. Every batch keeps the bytes it was read from, so that
 * the processor can send a record it refuses to the dead-letter topic exactly as it was written.
 *
 * @param keys the batch's key list; empty when the batch holds one connection, named by the record key
 * @param keyIndex for each packet, its key's index in {@code keys} (0 when {@code keys} is empty); checked
 */
record InspectBatch(String sensor, long watermarkNanos, FlowKey[] keys, Packet[] packets, int[] keyIndex,
    String problem, byte[] raw) {

  static InspectBatch valid(String sensor, long watermarkNanos, FlowKey[] keys, Packet[] packets, int[] keyIndex,
      byte[] raw) {
    return new InspectBatch(sensor, watermarkNanos, keys, packets, keyIndex, null, raw);
  }

  /** A readable record that must not be inspected: why, and its bytes as they were written. */
  static InspectBatch unusable(String sensor, long watermarkNanos, String problem, byte[] raw) {
    return new InspectBatch(sensor, watermarkNanos, new FlowKey[0], new Packet[0], new int[0], problem, raw);
  }

  boolean isHeartbeat() {
    return packets.length == 0 && problem == null;
  }
}

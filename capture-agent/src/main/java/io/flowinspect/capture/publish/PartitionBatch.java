package io.flowinspect.capture.publish;

import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketHeader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The headers waiting for one partition, in capture order, with the list of their connections:
 * each header names its connection by index, so a connection's key is written once per record
 * however many of its packets the record holds.
 */
final class PartitionBatch {
  private final int partition;
  private final Map<BatchKey, Integer> indexes = new HashMap<>();
  private final List<FlowKey> keys = new ArrayList<>();
  private List<PacketHeader> packets;
  private final int capacity;
  private long firstNanos;
  private long openedWallNanos;

  PartitionBatch(int partition, int capacity) {
    this.partition = partition;
    this.capacity = capacity;
    this.packets = new ArrayList<>(Math.min(capacity, 64));
  }

  void add(FlowKey key, PacketHeader header, long timeNanos) {
    if (packets.isEmpty()) {
      firstNanos = timeNanos;
      openedWallNanos = System.nanoTime();
    }
    BatchKey bk = BatchKey.of(key);
    Integer index = indexes.get(bk);
    if (index == null) {
      index = keys.size();
      indexes.put(bk, index);
      keys.add(key);
    }
    header.setKeyIndex(index);
    packets.add(header);
  }

  int size() {
    return packets.size();
  }

  int partition() {
    return partition;
  }

  long firstNanos() {
    return firstNanos;
  }

  long openedWallNanos() {
    return openedWallNanos;
  }

  /** The only connection of the batch, or null when it holds several. */
  FlowKey singleKey() {
    return keys.size() == 1 ? keys.get(0) : null;
  }

  List<FlowKey> keys() {
    return List.copyOf(keys);
  }

  /** Hands the headers over and empties the batch. */
  List<PacketHeader> takePackets() {
    List<PacketHeader> out = packets;
    packets = new ArrayList<>(Math.min(capacity, 64));
    keys.clear();
    indexes.clear();
    return out;
  }
}

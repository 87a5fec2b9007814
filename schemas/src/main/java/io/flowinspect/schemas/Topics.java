package io.flowinspect.schemas;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics flowinspect reads and writes, named from one prefix ({@code flowinspect} by default) so
 * that several deployments, or a replay under test, can share a cluster.
 */
public record Topics(
    Topic<FlowKey, PacketBatch> packets,
    Topic<FlowKey, Verdict> verdicts,
    Topic<FlowKey, Alert> alerts,
    Topic<FlowKey, FlowRecord> flows,
    Topic<byte[], byte[]> deadLetters) {

  public static final String DEFAULT_PREFIX = "flowinspect";

  public static Topics withPrefix(String prefix) {
    if (prefix == null || !prefix.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("topic prefix must be letters, digits, '.', '_' or '-': " + prefix);
    }
    AvroSerde<FlowKey> keys = AvroSerde.of(FlowKey.class);
    return new Topics(
        new Topic<>(prefix + ".packets", keys, AvroSerde.of(PacketBatch.class)),
        new Topic<>(prefix + ".verdicts", keys, AvroSerde.of(Verdict.class)),
        new Topic<>(prefix + ".alerts", keys, AvroSerde.of(Alert.class)),
        new Topic<>(prefix + ".flows", keys, AvroSerde.of(FlowRecord.class)),
        new Topic<>(prefix + ".dlq", Serdes.ByteArray(), Serdes.ByteArray()));
  }

  public static Topics defaults() {
    return withPrefix(DEFAULT_PREFIX);
  }

  public List<String> outputNames() {
    return List.of(verdicts.name(), alerts.name(), flows.name(), deadLetters.name());
  }
}

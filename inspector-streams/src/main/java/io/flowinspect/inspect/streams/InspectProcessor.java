package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.Inspector;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.TrackerState;
import io.flowinspect.inspect.output.AlertEvent;
import io.flowinspect.inspect.output.FlowSummary;
import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.inspect.output.VerdictEvent;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.PacketHeader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The thin adapter between Kafka Streams and the {@link Inspector}: loads nothing itself, hands
 * each packet of a batch to the engine over store-backed tables, forwards what the engine
 * concludes, and lets stream time (packet time, never the wall clock) expire connections.
 */
final class InspectProcessor implements Processor<io.flowinspect.schemas.FlowKey, PacketBatch, Object, Object> {
  private final InspectorSettings settings;
  private ProcessorContext<Object, Object> context;
  private Inspector inspector;
  private BatchCache connections;
  private long recordTimestamp;
  private final SensorWatermarks watermarks = new SensorWatermarks();
  private InspectorMetrics metrics;

  InspectProcessor(InspectorSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    KeyValueStore<Bytes, byte[]> connectionStore = context.getStateStore(InspectorTopology.CONNECTIONS_STORE);
    KeyValueStore<Bytes, byte[]> expectations = context.getStateStore(InspectorTopology.EXPECTATIONS_STORE);
    KeyValueStore<Bytes, byte[]> expiry = context.getStateStore(InspectorTopology.EXPIRY_STORE);
    KeyValueStore<Bytes, byte[]> unreplied = context.getStateStore(InspectorTopology.UNREPLIED_STORE);
    KeyValueStore<Bytes, byte[]> meta = context.getStateStore(InspectorTopology.META_STORE);
    StoreTables tables = new StoreTables(connectionStore, expectations, expiry, unreplied, meta);
    this.connections = new BatchCache(tables);
    inspector = new Inspector(settings.tracker(), settings.rules(),
        new TrackerState(this.connections, tables, tables, tables, tables), new Forwarder());
    metrics = new InspectorMetrics(context.metrics(), Thread.currentThread().getName(), context.taskId().toString());
    metrics.connections(inspector.connections());
    context.schedule(settings.expiryInterval(), PunctuationType.STREAM_TIME, this::expireDue);
  }

  @Override
  public void close() {
    if (metrics != null) {
      metrics.close();
    }
  }

  @Override
  public void process(Record<io.flowinspect.schemas.FlowKey, PacketBatch> record) {
    recordTimestamp = record.timestamp();
    PacketBatch batch = record.value();
    if (batch == null) {
      return;
    }
    watermarks.observe(batch.getSensor(), batch.getWatermarkNanos(), Duration.ofMillis(record.timestamp()).toNanos());
    if (batch.getPackets().isEmpty()) {
      return; // a heartbeat: it advanced stream time and its sensor's watermark, nothing more
    }
    FlowKey[] keys;
    try {
      keys = keysOf(record.key(), batch);
    } catch (IllegalArgumentException e) {
      deadLetter(record, e.getMessage());
      return;
    }
    for (PacketHeader h : batch.getPackets()) {
      inspector.inspect(keys[h.getKeyIndex()], AvroMapping.packet(h));
    }
    connections.flush();
    metrics.inspected(batch.getPackets().size(), inspector.connections());
  }

  /** The connections a batch names, checked before any packet is inspected, so a bad record changes nothing. */
  private static FlowKey[] keysOf(io.flowinspect.schemas.FlowKey recordKey, PacketBatch batch) {
    FlowKey[] keys;
    if (batch.getKeys().isEmpty()) {
      if (recordKey == null) {
        throw new IllegalArgumentException("packets without a key: neither the record nor the batch names one");
      }
      keys = new FlowKey[] {AvroMapping.flowKey(recordKey)};
    } else {
      keys = new FlowKey[batch.getKeys().size()];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = AvroMapping.flowKey(batch.getKeys().get(i));
      }
    }
    for (PacketHeader h : batch.getPackets()) {
      if (h.getKeyIndex() < 0 || h.getKeyIndex() >= keys.length) {
        throw new IllegalArgumentException("packet names key " + h.getKeyIndex() + " of " + keys.length);
      }
    }
    return keys;
  }

  /**
   * Punctuator. Stream time is the latest record timestamp this task has seen (milliseconds);
   * expiry stops at the sensors' watermark, below which every packet has already arrived.
   */
  private void expireDue(long streamTimeMillis) {
    long started = System.nanoTime(); // measured for the metric only; nothing depends on it
    recordTimestamp = streamTimeMillis;
    long now = watermarks.safeTime(Duration.ofMillis(streamTimeMillis).toNanos());
    inspector.advanceTo(now, settings.expiryBudget());
    connections.flush();
    metrics.connections(inspector.connections());
    metrics.expiryRan(System.nanoTime() - started);
  }

  private void deadLetter(Record<io.flowinspect.schemas.FlowKey, PacketBatch> record, String reason) {
    // The dead-letter topic keeps the record as it was written, with the reason in a header.
    String topic = settings.topics().packets().name();
    byte[] key = settings.topics().packets().keySerde().serializer().serialize(topic, record.key());
    byte[] value = settings.topics().packets().valueSerde().serializer().serialize(topic, record.value());
    RecordHeaders headers = new RecordHeaders();
    headers.add("flowinspect.error", reason.getBytes(StandardCharsets.UTF_8));
    headers.add("flowinspect.source.topic", topic.getBytes(StandardCharsets.UTF_8));
    context.forward(new Record<Object, Object>(key, value, record.timestamp(), headers),
        InspectorTopology.DEAD_LETTER_SINK);
  }

  private final class Forwarder implements InspectionSink {
    @Override
    public void verdict(FlowKey key, VerdictEvent verdict) {
      Object value = verdict == null ? null : AvroMapping.verdict(verdict);
      long ts = verdict == null ? recordTimestamp : Duration.ofNanos(verdict.timeNanos()).toMillis();
      context.forward(new Record<>(AvroMapping.flowKey(key), value, ts), InspectorTopology.VERDICTS_SINK);
    }

    @Override
    public void alert(FlowKey key, AlertEvent alert) {
      context.forward(new Record<>(AvroMapping.flowKey(key), AvroMapping.alert(alert),
          Duration.ofNanos(alert.timeNanos()).toMillis()), InspectorTopology.ALERTS_SINK);
    }

    @Override
    public void flowEnded(FlowKey key, FlowSummary flow) {
      context.forward(new Record<>(AvroMapping.flowKey(key), AvroMapping.flow(flow), recordTimestamp),
          InspectorTopology.FLOWS_SINK);
    }
  }
}

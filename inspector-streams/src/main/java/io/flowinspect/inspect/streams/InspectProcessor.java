package io.flowinspect.inspect.streams;

import io.flowinspect.inspect.Inspector;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.IpAddress;
import io.flowinspect.inspect.engine.Packet;
import io.flowinspect.inspect.engine.TrackerState;
import io.flowinspect.inspect.output.AlertEvent;
import io.flowinspect.inspect.output.AlertKind;
import io.flowinspect.inspect.output.FlowSummary;
import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.inspect.output.Severity;
import io.flowinspect.inspect.output.VerdictEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin adapter between Kafka Streams and the {@link Inspector}: at start has the indexes
 * written again from the stored connections ({@link StoreTables#rebuildIndexes}), then hands
 * each packet of a batch to the engine over store-backed tables (connections through their
 * decoded cache, {@link ConnectionCacheStore}), forwards what the engine
 * concludes, and lets stream time (packet time, never the wall clock) expire connections.
 * The wall clock decides one thing only, which changes no output: when, while the thread waits
 * for records, changed connections are written ahead of the commit ({@link IdleTime}).
 */
final class InspectProcessor implements Processor<io.flowinspect.schemas.FlowKey, InspectBatch, Object, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(InspectProcessor.class);
  private static final Duration IDLE_WRITES_EVERY = Duration.ofMillis(10);
  private final InspectorSettings settings;
  private ProcessorContext<Object, Object> context;
  private Inspector inspector;
  private ConnectionCacheStore connections;
  private long recordTimestamp;
  private final SensorWatermarks watermarks = new SensorWatermarks();
  private InspectorMetrics metrics;
  /** This stream thread's idle time, while idle writes are on; else null. */
  private IdleTime idle;
  private final IdleTime.Share idleShare = new IdleTime.Share();
  private InputGaps gaps;
  private final Forwarder forwarder = new Forwarder();

  InspectProcessor(InspectorSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    connections = context.getStateStore(InspectorTopology.CONNECTIONS_STORE);
    KeyValueStore<Bytes, byte[]> expectations = context.getStateStore(InspectorTopology.EXPECTATIONS_STORE);
    KeyValueStore<Bytes, byte[]> expiry = context.getStateStore(InspectorTopology.EXPIRY_STORE);
    KeyValueStore<Bytes, byte[]> unreplied = context.getStateStore(InspectorTopology.UNREPLIED_STORE);
    KeyValueStore<Bytes, byte[]> meta = context.getStateStore(InspectorTopology.META_STORE);
    StoreTables tables = new StoreTables(expectations, expiry, unreplied, meta);
    rebuildIndexes(tables, context.taskId().toString());
    inspector = new Inspector(settings.tracker(), settings.rules(),
        new TrackerState(connections, tables, tables, tables, tables), forwarder);
    gaps = new InputGaps(meta);
    metrics = new InspectorMetrics(context.metrics(), Thread.currentThread().getName(), context.taskId().toString());
    metrics.connections(inspector.connections());
    context.schedule(settings.expiryInterval(), PunctuationType.STREAM_TIME, this::expireDue);
    if (settings.idleWrites()) {
      idle = IdleTime.ofCurrentThread();
      idle.taskStarted();
      context.schedule(IDLE_WRITES_EVERY, PunctuationType.WALL_CLOCK_TIME, t -> writeAheadWhileIdle());
    }
  }

  /** Wall-clock punctuator: spends this task's share of the thread's idle time writing changes. */
  private void writeAheadWhileIdle() {
    long allowance = idle.allowance(idleShare);
    if (allowance > 0) {
      metrics.writtenAhead(connections.writeOldestChanges(InspectorSettings.IDLE_WRITES_KEEP_FOR_COMMIT,
          idle.nowNanos() + allowance));
      idle.workEnds(); // that was work, not idle time
    }
  }

  /**
   * The expiry and unreplied indexes are local stores, not changelogged: what they hold follows
   * from the connections, which are. So at every start (after a restore, a move to another
   * instance, or a crash that lost local writes) they are written again from the connections.
   */
  private void rebuildIndexes(StoreTables tables, String task) {
    long started = System.nanoTime();
    StoreTables.Rebuilt r = tables.rebuildIndexes(connections);
    if (r.dropped() + r.connections() > 0) {
      LOG.info("task {}: indexed {} stored connections ({} old unreplied entries dropped) in {} ms", task,
          r.connections(), r.dropped(), (System.nanoTime() - started) / 1_000_000);
    }
  }

  @Override
  public void close() {
    if (connections != null && connections.updatedPacked() + connections.takenFromPacked() > 0) {
      LOG.info("task {}: {} packets updated connections in packed memory ({} of them in place, never decoded), {} "
          + "took one out into the decoded cache", context.taskId(), connections.updatedPacked(),
          connections.updatedInPlace(), connections.takenFromPacked());
    }
    if (idle != null) {
      idle.taskClosed();
      idle = null;
    }
    if (metrics != null) {
      metrics.close();
    }
  }

  @Override
  public void process(Record<io.flowinspect.schemas.FlowKey, InspectBatch> record) {
    if (idle == null) {
      inspect(record);
      return;
    }
    idle.workStarts();
    try {
      inspect(record);
    } finally {
      idle.workEnds();
    }
  }

  private void inspect(Record<io.flowinspect.schemas.FlowKey, InspectBatch> record) {
    recordTimestamp = record.timestamp();
    RecordMetadata source = context.recordMetadata().orElse(null);
    if (source != null) {
      InputGaps.Gap gap = gaps.inspecting(source.partition(), source.offset());
      if (gap != null) {
        packetsLost(gap, source.topic());
      }
    }
    InspectBatch batch = record.value();
    if (batch == null) {
      return;
    }
    watermarks.observe(batch.sensor(), batch.watermarkNanos(), Duration.ofMillis(record.timestamp()).toNanos());
    if (batch.isHeartbeat()) {
      return; // it advanced stream time and its sensor's watermark, nothing more
    }
    if (batch.problem() != null) {
      deadLetter(record, batch.problem());
      return;
    }
    FlowKey[] keys;
    try {
      keys = keysOf(record.key(), batch);
    } catch (IllegalArgumentException e) {
      deadLetter(record, e.getMessage());
      return;
    }
    Packet[] packets = batch.packets();
    int[] keyIndex = batch.keyIndex();
    connections.startLookups(keys);
    for (int i = 0; i < packets.length; i++) {
      inspector.inspect(keys[keyIndex[i]], packets[i]);
    }
    metrics.inspected(packets.length, inspector.connections(), connections.readsBelow());
  }

  /**
   * The connections a batch names, checked before any packet is inspected, so a bad record changes
   * nothing. The reader has checked the key list and the packets' indexes; a batch without a list
   * names the record's key.
   */
  private static FlowKey[] keysOf(io.flowinspect.schemas.FlowKey recordKey, InspectBatch batch) {
    if (batch.keys().length > 0) {
      return batch.keys();
    }
    if (recordKey == null) {
      throw new IllegalArgumentException("packets without a key: neither the record nor the batch names one");
    }
    return new FlowKey[] {AvroMapping.flowKey(recordKey)};
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
    metrics.connections(inspector.connections());
    metrics.expiryRan(System.nanoTime() - started);
  }

  /**
   * Says, in the log, a metric and an alert, that records of the packets topic were never
   * inspected. Whether records are lost depends on when the broker deleted them; the alert itself
   * depends only on the offsets read and the next record's time (packet time), not on the clock.
   */
  private void packetsLost(InputGaps.Gap gap, String topic) {
    String message = String.format(java.util.Locale.ROOT, "%d records of %s partition %d (offsets %d to %d) were "
        + "never inspected: deleted by retention while the inspector lagged, or skipped by moving the group's "
        + "offsets; their connections are picked up mid-stream", gap.records(), topic, gap.partition(), gap.from(),
        gap.to() - 1);
    LOG.warn("task {}: {}", context.taskId(), message);
    metrics.recordsLost(gap.records());
    IpAddress none = IpAddress.ofBytes(new byte[4]);
    forwarder.alert(null, new AlertEvent(Duration.ofMillis(recordTimestamp).toNanos(), AlertKind.PACKETS_LOST,
        Severity.HIGH, 0, 0, none, 0, none, 0, null, gap.records(), message));
  }

  private void deadLetter(Record<io.flowinspect.schemas.FlowKey, InspectBatch> record, String reason) {
    // The dead-letter topic keeps the value as it was written (the key as the agent's serde writes
    // it), with the reason in a header.
    String topic = settings.topics().packets().name();
    byte[] key = settings.topics().packets().keySerde().serializer().serialize(topic, record.key());
    byte[] value = record.value().raw();
    RecordHeaders headers = new RecordHeaders();
    headers.add("flowinspect.error", reason.getBytes(StandardCharsets.UTF_8));
    headers.add("flowinspect.source.topic", topic.getBytes(StandardCharsets.UTF_8));
    context.forward(new Record<Object, Object>(key, value, record.timestamp(), headers),
        InspectorTopology.DEAD_LETTER_SINK);
  }

  private final class Forwarder implements InspectionSink {
    @Override
    public void verdict(FlowKey key, VerdictEvent verdict) {
      long ts = verdict == null ? recordTimestamp : Duration.ofNanos(verdict.timeNanos()).toMillis();
      context.forward(new Record<>(key, verdict, ts), InspectorTopology.VERDICTS_SINK); // OutputWire serializes
    }

    @Override
    public void alert(FlowKey key, AlertEvent alert) {
      context.forward(new Record<>(key, AvroMapping.alert(alert),
          Duration.ofNanos(alert.timeNanos()).toMillis()), InspectorTopology.ALERTS_SINK);
    }

    @Override
    public void flowEnded(FlowKey key, FlowSummary flow) {
      context.forward(new Record<>(key, AvroMapping.flow(flow), recordTimestamp),
          InspectorTopology.FLOWS_SINK);
    }
  }
}

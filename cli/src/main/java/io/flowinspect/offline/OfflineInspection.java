package io.flowinspect.offline;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.DecodeCounters;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.decode.FrameDecoder;
import io.flowinspect.capture.decode.PacketRecords;
import io.flowinspect.capture.decode.SkipReason;
import io.flowinspect.capture.source.CaptureException;
import io.flowinspect.capture.source.CaptureFileReader;
import io.flowinspect.inspect.Inspector;
import io.flowinspect.inspect.engine.Classification;
import io.flowinspect.inspect.engine.CtState;
import io.flowinspect.inspect.engine.EndReason;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.engine.InMemoryState;
import io.flowinspect.inspect.engine.Packet;
import io.flowinspect.inspect.engine.TrackerConfig;
import io.flowinspect.inspect.engine.TrackerState;
import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.inspect.policy.RuleSet;
import io.flowinspect.inspect.streams.AvroMapping;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a capture file through the same decoder, the same Avro records and the same engine as the
 * capture agent and the Kafka Streams inspector, without a broker: for checking the engine against
 * the kernel, for trying a rule set, and for quick answers about a capture.
 */
public final class OfflineInspection {
  /** Capture time between expiry sweeps, like the streams topology's punctuation interval. */
  private static final long SWEEP_NANOS = 1_000_000_000L;

  public record Options(TrackerConfig tracker, RuleSet rules, DecoderOptions decoder) {
    public static Options defaults() {
      return new Options(TrackerConfig.defaults(), RuleSet.privateNetworksAsHome(), DecoderOptions.defaults());
    }
  }

  /** Counts for the summary. */
  public record Summary(long frames, Map<CtState, Long> packetsByState, long nonIp, Map<SkipReason, Long> skipped,
      long connectionsOpenAtEnd, DecodeCounters decoder) {
    public long inspected() {
      return packetsByState.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private OfflineInspection() {}

  /**
   * Inspects every frame of {@code pcap} in order, telling {@code frames} about each one and
   * {@code sink} about verdicts, alerts and ended connections; connections still open at the end
   * are ended with reason END_OF_INPUT.
   */
  public static Summary run(Path pcap, Options options, Consumer<FrameResult> frames, InspectionSink sink)
      throws CaptureException {
    FrameDecoder decoder = new FrameDecoder(options.decoder());
    DecodedPacket decoded = new DecodedPacket();
    InMemoryState state = new InMemoryState();
    Inspector inspector = new Inspector(options.tracker(), options.rules(), TrackerState.inMemory(state), sink);
    Map<CtState, Long> byState = new EnumMap<>(CtState.class);
    long[] lastSweep = {Long.MIN_VALUE};
    long[] lastTime = {Long.MIN_VALUE};
    long count;
    try (CaptureFileReader source = CaptureFileReader.open(pcap)) {
      count = source.forEach((index, linkType, frame, captured, wire, timeNanos) -> {
        SkipReason skip = decoder.decode(linkType, frame, captured, wire, timeNanos, decoded);
        if (skip != null) {
          frames.accept(new FrameResult(index, decoded, skip, null));
          return;
        }
        if (timeNanos - lastSweep[0] >= SWEEP_NANOS || lastSweep[0] == Long.MIN_VALUE) {
          inspector.advanceTo(timeNanos, Integer.MAX_VALUE);
          lastSweep[0] = timeNanos;
        }
        lastTime[0] = Math.max(lastTime[0], timeNanos);
        // Through the topic's Avro records, exactly as a packet reaches the streams inspector.
        FlowKey key = AvroMapping.flowKey(PacketRecords.key(decoded));
        Packet packet = AvroMapping.packet(PacketRecords.header(decoded));
        Classification c = inspector.inspect(key, packet);
        byState.merge(c.state(), 1L, Long::sum);
        frames.accept(new FrameResult(index, decoded, null, c));
      });
    }
    int open = state.size();
    long end = lastTime[0] == Long.MIN_VALUE ? 0 : lastTime[0];
    state.forEachConnection((key, conn) -> inspector.end(key, conn, EndReason.END_OF_INPUT, end));
    DecodeCounters counters = decoder.counters();
    Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    long nonIp = 0;
    for (Map.Entry<SkipReason, Long> e : counters.skippedByReason().entrySet()) {
      if (e.getKey().notIp()) {
        nonIp += e.getValue();
      } else if (e.getValue() > 0) {
        skipped.put(e.getKey(), e.getValue());
      }
    }
    return new Summary(count, byState, nonIp, skipped, open, counters);
  }
}

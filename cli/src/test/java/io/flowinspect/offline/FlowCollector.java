package io.flowinspect.offline;

import io.flowinspect.capture.decode.PacketRecords;
import io.flowinspect.inspect.engine.CtState;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.output.AlertEvent;
import io.flowinspect.inspect.output.FlowSummary;
import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.inspect.output.VerdictEvent;
import io.flowinspect.inspect.streams.AvroMapping;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Collects what an offline inspection ended (flow records with their keys), and per tuple the
 * times of frames the engine tracked in no connection (invalid or untracked), so that a comparison
 * with another tool can tell which flows the engine saw whole.
 */
final class FlowCollector implements Consumer<FrameResult>, InspectionSink {
  record Ended(FlowKey key, FlowSummary summary) {}

  final List<Ended> flows = new ArrayList<>();
  /** Connections opened: each got a verdict (a null verdict withdraws one when it ends). */
  int opened;
  /** IP frames the decoder dropped (bad IPv4 header checksum, later fragments, ...). */
  int dropped;
  private final Map<FlowKey, List<Long>> refused = new HashMap<>();

  @Override
  public void accept(FrameResult f) {
    if (f.skipped() != null) {
      if (!f.skipped().notIp()) {
        dropped++;
      }
      return;
    }
    if (f.classification() == null) {
      return;
    }
    CtState state = f.classification().state();
    if (state == CtState.INVALID || state == CtState.UNTRACKED) {
      FlowKey key = AvroMapping.flowKey(PacketRecords.key(f.packet()));
      refused.computeIfAbsent(key, k -> new ArrayList<>()).add(f.packet().timeNanos());
    }
  }

  /**
   * Frames of the flow's tuple that the engine refused before the flow began or after it ended:
   * they belonged to no connection, so the flow's history never saw them.
   */
  int framesOutside(Ended flow) {
    int n = 0;
    for (long t : refused.getOrDefault(flow.key(), List.of())) {
      if (t < flow.summary().firstNanos() || t > flow.summary().lastNanos()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void verdict(FlowKey key, VerdictEvent verdict) {
    if (verdict != null) {
      opened++;
    }
  }

  @Override
  public void alert(FlowKey key, AlertEvent alert) {}

  @Override
  public void flowEnded(FlowKey key, FlowSummary flow) {
    flows.add(new Ended(key, flow));
  }
}

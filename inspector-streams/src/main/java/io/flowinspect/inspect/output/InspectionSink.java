package io.flowinspect.inspect.output;

import io.flowinspect.inspect.engine.FlowKey;

/**
 * Where the inspector's conclusions go: Kafka topics in the streams topology, files and a summary
 * in the offline command, lists in tests.
 */
public interface InspectionSink {
  /** The decision about {@code key} was made or changed; null when the connection ended. */
  void verdict(FlowKey key, VerdictEvent verdict);

  void alert(FlowKey key, AlertEvent alert);

  void flowEnded(FlowKey key, FlowSummary flow);
}

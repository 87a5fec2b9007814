package io.flowinspect.inspect.output;

import io.flowinspect.inspect.engine.FlowKey;

/**
 * Where the inspector's conclusions go: Kafka topics in the streams topology, files and a summary
 * in the offline command, lists in tests.
 */
public interface InspectionSink {
  /** Drops everything: for benchmarks and tests that look at state alone. */
  InspectionSink DISCARD = new InspectionSink() {
    @Override
    public void verdict(FlowKey key, VerdictEvent verdict) {}

    @Override
    public void alert(FlowKey key, AlertEvent alert) {}

    @Override
    public void flowEnded(FlowKey key, FlowSummary flow) {}
  };

  /** The decision about {@code key} was made or changed; null when the connection ended. */
  void verdict(FlowKey key, VerdictEvent verdict);

  void alert(FlowKey key, AlertEvent alert);

  void flowEnded(FlowKey key, FlowSummary flow);
}

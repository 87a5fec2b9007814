package io.flowinspect.inspect.engine;

import java.util.ArrayList;
import java.util.List;

/** A tracker over in-memory tables that records which connections ended and why. */
final class Tracking {
  final InMemoryState state = new InMemoryState();
  final List<String> ended = new ArrayList<>();
  final List<FlowKey> opened = new ArrayList<>();
  final List<FlowKey> endedKeys = new ArrayList<>();
  final List<String> pressure = new ArrayList<>();
  final ConnectionTracker tracker;

  Tracking() {
    this(TrackerConfig.defaults());
  }

  Tracking(TrackerConfig config) {
    tracker = new ConnectionTracker(config, TrackerState.inMemory(state), new TrackerListener() {
      @Override
      public void opened(FlowKey key, Conn conn, Packet first, Expectation expectation) {
        opened.add(key);
      }

      @Override
      public void ended(FlowKey key, Conn conn, EndReason reason, long nowNanos) {
        ended.add(reason.name());
        endedKeys.add(key);
      }

      @Override
      public void pressure(FlowKey trigger, long connections, double timeoutScale, long evicted, boolean refused,
          long nowNanos) {
        pressure.add(connections + " scale=" + timeoutScale + " evicted=" + evicted + (refused ? " refused" : ""));
      }
    });
  }

  Classification send(FlowKey key, Packet p) {
    return tracker.process(key, p);
  }
}

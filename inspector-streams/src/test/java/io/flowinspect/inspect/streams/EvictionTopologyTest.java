package io.flowinspect.inspect.streams;

import static io.flowinspect.inspect.streams.TopologyHarness.ACK;
import static io.flowinspect.inspect.streams.TopologyHarness.SECOND;
import static io.flowinspect.inspect.streams.TopologyHarness.SYN;
import static io.flowinspect.inspect.streams.TopologyHarness.T0;
import static io.flowinspect.inspect.streams.TopologyHarness.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.inspect.engine.StateLimits;
import io.flowinspect.inspect.engine.TrackerConfig;
import io.flowinspect.schemas.Alert;
import io.flowinspect.schemas.AlertType;
import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.FlowRecord;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state limit through the production topology and its RocksDB stores: the index of unanswered
 * connections must give them back oldest first, and answered ones must survive.
 */
class EvictionTopologyTest {
  private static final int LIMIT = 3;

  @TempDir Path stateDir;
  private TopologyHarness t;

  @BeforeEach
  void start() {
    TrackerConfig config = TrackerConfig.defaults().withLimits(StateLimits.of(LIMIT));
    t = new TopologyHarness(InspectorSettings.defaults().withTracker(config), stateDir);
  }

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void unansweredConnectionsAreEvictedOldestFirstAndAnsweredOnesNever() {
    FlowKey answeredFirst = handshake(1);
    FlowKey unansweredA = syn(2);
    FlowKey unansweredB = syn(3);

    FlowKey newC = syn(4); // table full: the oldest unanswered (A) makes room, not the older answered one
    FlowKey newD = syn(5); // then B

    List<TestRecord<FlowKey, FlowRecord>> ended = t.flows.readRecordsToList();
    assertThat(ended).extracting(TestRecord::key).containsExactly(unansweredA, unansweredB);
    assertThat(ended).extracting(r -> r.value().getEndReason().name()).containsOnly("EVICTED");
    assertThat(List.of(answeredFirst, newC, newD)).doesNotContainAnyElementsOf(
        ended.stream().map(TestRecord::key).toList());
  }

  @Test
  void evictionRaisesAPressureAlertAndAFullTableOfAnsweredConnectionsRefusesNewOnes() {
    handshake(1);
    handshake(2);
    handshake(3);

    syn(4);

    assertThat(t.flows.isEmpty()).as("no answered connection is evicted").isTrue();
    List<Alert> alerts = t.alerts.readValuesToList();
    assertThat(alerts).extracting(Alert::getType).contains(AlertType.STATE_TABLE_PRESSURE);
    assertThat(alerts.get(alerts.size() - 1).getMessage()).contains("could not be tracked");
  }

  @Test
  void anEvictedConnectionsVerdictIsTombstoned() {
    syn(1);
    syn(2);
    syn(3);
    t.verdicts.readRecordsToList();

    syn(4);

    List<TestRecord<FlowKey, io.flowinspect.schemas.Verdict>> v = t.verdicts.readRecordsToList();
    assertThat(v).hasSize(2);
    assertThat(v.get(0).value()).as("the evicted connection's verdict is withdrawn first").isNull();
    assertThat(v.get(1).value()).isNotNull();
  }

  private FlowKey syn(int n) {
    FlowKey k = key(n);
    t.send(k, tcp(T0 + n * SECOND, false, SYN, 100, 0));
    return k;
  }

  private FlowKey handshake(int n) {
    FlowKey k = key(n);
    long at = T0 + n * SECOND;
    t.send(k, tcp(at, false, SYN, 100, 0), tcp(at + 1, true, SYN | ACK, 900, 101), tcp(at + 2, false, ACK, 101, 901));
    return k;
  }

  private static FlowKey key(int n) {
    return TopologyHarness.tcpKey("10.0.0." + n, 40000 + n, "93.184.216.34", 443);
  }
}

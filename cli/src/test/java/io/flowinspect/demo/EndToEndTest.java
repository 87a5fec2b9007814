package io.flowinspect.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.output.AlertEvent;
import io.flowinspect.inspect.output.FlowSummary;
import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.inspect.output.VerdictEvent;
import io.flowinspect.inspect.policy.RuleSetLoader;
import io.flowinspect.inspect.streams.AvroMapping;
import io.flowinspect.inspect.streams.InspectorSettings;
import io.flowinspect.offline.OfflineInspection;
import io.flowinspect.schemas.Alert;
import io.flowinspect.schemas.AlertType;
import io.flowinspect.schemas.Decision;
import io.flowinspect.schemas.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole product against a real broker: the capture agent publishes the project's sample
 * capture, the Kafka Streams inspector processes it, and the verdicts and alerts read back from
 * their topics are exactly those the offline engine finds in the same capture.
 */
class EndToEndTest {
  private static final Path SAMPLE = Path.of("../samples/home-office.pcap");
  private static final Path RULES = Path.of("../samples/home-office.rules.yaml");

  private static DemoReport kafka;
  private static final List<Verdict> offlineVerdicts = new ArrayList<>();
  private static final List<Alert> offlineAlerts = new ArrayList<>();

  @BeforeAll
  static void runBothWays() throws Exception {
    InspectorSettings settings = InspectorSettings.defaults().withRules(RuleSetLoader.load(RULES));
    kafka = Demo.run(SAMPLE, settings, DecoderOptions.defaults(), 3);
    OfflineInspection.run(SAMPLE, new OfflineInspection.Options(settings.tracker(), settings.rules(),
        DecoderOptions.defaults()), f -> { }, new InspectionSink() {
          @Override
          public void verdict(FlowKey key, VerdictEvent verdict) {
            if (verdict != null) {
              offlineVerdicts.add(AvroMapping.verdict(verdict));
            }
          }

          @Override
          public void alert(FlowKey key, AlertEvent alert) {
            offlineAlerts.add(AvroMapping.alert(alert));
          }

          @Override
          public void flowEnded(FlowKey key, FlowSummary flow) {}
        });
  }

  @Test
  void everyPacketReachedTheTopicAndNothingFailed() {
    assertThat(kafka.published().packets()).isEqualTo(190);
    assertThat(kafka.published().lost()).isZero();
    assertThat(kafka.published().publisher().packetsAcked()).isEqualTo(190);
    assertThat(kafka.deadLetters()).isZero();
  }

  @Test
  void verdictsReadFromKafkaAreExactlyTheOfflineEnginesVerdicts() {
    List<Verdict> fromKafka = kafka.verdicts().stream().map(ConsumerRecord::value).filter(v -> v != null).toList();

    assertThat(fromKafka).hasSize(31).containsExactlyInAnyOrderElementsOf(offlineVerdicts);
  }

  @Test
  void alertsReadFromKafkaAreExactlyTheOfflineEnginesAlerts() {
    List<Alert> fromKafka = kafka.alerts().stream().map(ConsumerRecord::value).toList();

    assertThat(fromKafka).containsExactlyInAnyOrderElementsOf(offlineAlerts);
  }

  @Test
  void attackersPortSweepIsDeniedAndAlertedButTheAllowedSshServiceIsNot() {
    List<Alert> alerts = kafka.alerts().stream().map(ConsumerRecord::value).toList();
    List<Integer> deniedPorts = alerts.stream().filter(a -> a.getType() == AlertType.DENIED_CONNECTION)
        .filter(a -> Endpoints.text(a.getSource(), a.getProtocol()).startsWith("198.51.100.66"))
        .map(a -> a.getDestination().getPort()).toList();

    assertThat(deniedPorts).contains(23, 445, 8080).doesNotContain(22);
  }

  @Test
  void ftpDataConnectionsAreRelatedAndFollowTheirControlConnection() {
    List<Verdict> related = kafka.verdicts().stream().map(ConsumerRecord::value)
        .filter(v -> v != null && v.getRelated()).toList();

    assertThat(related).hasSize(2);
    assertThat(related).allSatisfy(v -> {
      assertThat(v.getDecision()).isEqualTo(Decision.ALLOW);
      assertThat(v.getRuleId()).isEqualTo("default-outbound");
    });
  }

  @Test
  void everyConnectionEndedWithAFlowRecordAndATombstoneOnceTheClockMovedOn() {
    assertThat(kafka.flows()).hasSize(31);
    assertThat(kafka.tombstones()).isEqualTo(31);
  }
}

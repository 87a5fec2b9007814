package io.flowinspect.kafka;

import static io.flowinspect.kafka.EmbeddedKafkaTest.producer;
import static io.flowinspect.kafka.EmbeddedKafkaTest.readAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.kafka.FreePorts.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Starting again: on a kept data dir, and after a port was taken between picking and binding it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestartAndRetryTest {

  @Test
  void aGivenDataDirIsKeptAndRestartsWithItsTopicsAndRecords(@TempDir Path dataDir) throws Exception {
    EmbeddedKafka.Options kept = EmbeddedKafka.Options.defaults().withDataDir(dataDir);
    try (EmbeddedKafka first = EmbeddedKafka.start(kept)) {
      first.createTopic("verdicts", 1, Map.of());
      try (KafkaProducer<String, String> producer = producer(first)) {
        producer.send(new ProducerRecord<>("verdicts", "flow", "SF")).get();
      }
    }
    assertThat(dataDir.resolve("kafka-logs/meta.properties")).isRegularFile();

    try (EmbeddedKafka second = EmbeddedKafka.start(kept)) {
      second.createTopic("verdicts", 1, Map.of());
      assertThat(readAll(second, "verdicts", 1, 1)).containsExactly("0:SF");
    }
  }

  @Test
  void aPortTakenBeforeTheBrokerBindsItMakesTheStartRetryOnNewPorts() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Iterator<Ports> picks =
          List.of(new Ports(squatter.getLocalPort(), FreePorts.pick().controller())).iterator();

      try (EmbeddedKafka kafka = EmbeddedKafka.start(
          EmbeddedKafka.Options.defaults(), () -> picks.hasNext() ? picks.next() : FreePorts.pick())) {
        assertThat(kafka.bootstrapServers()).isNotEqualTo("127.0.0.1:" + squatter.getLocalPort());
        assertThat(kafka.logFile()).content(UTF_8).contains("Address already in use");
        kafka.createTopic("after-retry", 1, Map.of());
      }
    }
  }
}

package io.flowinspect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.demo.TopicSetup;
import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code inspector} command's life as a supervisor (systemd, Docker, Kubernetes) sees it. */
class InspectorCommandTest {
  @TempDir Path stateDir;

  @Test
  void theProcessExitsWithAFailureStatusWhenTheInspectorStopsByItself() throws Exception {
    ExecutorService command = Executors.newSingleThreadExecutor();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      TopicSetup.create(kafka, Topics.withPrefix("doomed"), 1);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      Future<Integer> exit = command.submit(() -> Main.commandLine()
          .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
          .execute("inspector", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", "doomed",
              "--application-id", "doomed-inspector", "--state-dir", stateDir.toString(),
              "--streams-config", "metadata.max.age.ms=1000"));
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!out.toString().contains("inspector running") && !exit.isDone() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(out.toString()).as("started; stderr: %s", err).contains("inspector running");

      // Its source topic gone, Kafka Streams cannot go on (MissingSourceTopicException) and shuts
      // the instance down; the process must not live on as if it were inspecting.
      kafka.deleteTopicsStartingWith("doomed.packets");

      assertThat(exit.get(3, TimeUnit.MINUTES)).isEqualTo(InspectorCommand.STOPPED_BY_ITSELF);
      assertThat(err.toString()).contains("the inspector stopped");
    } finally {
      command.shutdownNow();
    }
  }
}

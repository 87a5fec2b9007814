package io.flowinspect.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The broker does not outlive the JVM that started it, however that JVM ends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrokerOwnerExitTest {
  private Process owner;

  @AfterEach
  void killTheOwnerIfStillThere() {
    if (owner != null) {
      owner.destroyForcibly();
    }
  }

  @Test
  void anOwnerThatExitsWithoutCloseStopsTheBrokerAndDeletesTheDataDirectory() throws Exception {
    String[] started = startOwner("exit");
    ProcessHandle broker = ProcessHandle.of(Long.parseLong(started[0])).orElseThrow();

    assertThat(owner.waitFor(30, TimeUnit.SECONDS)).as("owner exited").isTrue();

    assertThat(broker.isAlive()).isFalse();
    assertThat(Path.of(started[1])).doesNotExist();
  }

  @Test
  void anOwnerKilledWithSigkillTakesTheBrokerAlong(@TempDir Path dataDir) throws Exception {
    String[] started = startOwner("hang", dataDir.toString());
    ProcessHandle broker = ProcessHandle.of(Long.parseLong(started[0])).orElseThrow();

    owner.destroyForcibly(); // SIGKILL: no shutdown hook runs in the owner

    broker.onExit().get(20, TimeUnit.SECONDS);
    assertThat(dataDir.resolve("broker.log")).content(UTF_8).contains("exited; stopping the broker");
  }

  /** Starts {@link BrokerOwner} and returns the broker's pid and data dir that it prints. */
  private String[] startOwner(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        BrokerOwner.class.getName()));
    command.addAll(List.of(args));
    owner = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), UTF_8));
    String line = out.readLine();
    assertThat(line).as("the owner's report of its broker").isNotNull();
    return line.split(" ", 2);
  }
}

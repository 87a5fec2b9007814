package io.flowinspect.kafka;

import io.flowinspect.kafka.FreePorts.Ports;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Waits until a starting broker serves clients, or reports why it never will. */
final class BrokerReadiness {
  private static final Duration POLL = Duration.ofMillis(50);
  private static final int DESCRIBE_TIMEOUT_MS = 1_000;

  private BrokerReadiness() {}

  /**
   * Returns an Admin client once the broker lists itself in {@code describeCluster}. A broker lists only
   * unfenced brokers there, and only an unfenced broker can be given partitions: answering requests
   * alone is not enough for {@code createTopics}.
   */
  static Admin await(BrokerProcess broker, Ports ports, Duration timeout, Deadline deadline)
      throws IOException {
    // A plain TCP connect first: an Admin client polling a port that nobody listens on yet logs a
    // warning at every try.
    while (!isListening(ports.broker())) {
      checkStarting(broker, timeout, deadline);
      pause();
    }
    Admin admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, FreePorts.HOST + ":" + ports.broker(),
        AdminClientConfig.CLIENT_ID_CONFIG, "flowinspect-embedded-kafka"));
    try {
      while (true) {
        checkStarting(broker, timeout, deadline);
        try {
          if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(DESCRIBE_TIMEOUT_MS))
              .nodes().get().isEmpty()) {
            return admin;
          }
        } catch (ExecutionException notYet) {
          // a timeout while the broker catches up with the metadata log; ask again
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for the broker");
        }
        pause();
      }
    } catch (IOException | RuntimeException e) {
      admin.close(Duration.ZERO);
      throw e;
    }
  }

  private static void checkStarting(BrokerProcess broker, Duration timeout, Deadline deadline)
      throws IOException {
    if (!broker.isAlive()) {
      throw broker.failure("the broker exited with code " + broker.exitValue() + " while starting");
    }
    if (deadline.passed()) {
      throw broker.failure("the broker did not start within " + timeout.toMillis() + " ms");
    }
  }

  private static boolean isListening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(FreePorts.HOST, port), 200);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private static void pause() throws InterruptedIOException {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the broker");
    }
  }
}

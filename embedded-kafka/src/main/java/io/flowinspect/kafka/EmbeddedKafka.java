package io.flowinspect.kafka;

import static java.util.Objects.requireNonNull;

import io.flowinspect.kafka.FreePorts.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in a child JVM, for the demo, tests and benchmarks: one KRaft node that is
 * both controller and broker, listening on 127.0.0.1 only, on ports chosen at start.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  /** Starts that may fail because another process took a chosen port before the broker bound it. */
  private static final int START_ATTEMPTS = 3;
  /** A controlled shutdown of an idle single-node broker takes about a second; a busy one longer. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  /** Shorter while the JVM exits, since whatever started the exit waits for it, and after a failed start. */
  private static final Duration SHORT_STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(50);

  private final Path dataDir;
  private final boolean deleteDataDir;
  private final Path logFile;
  private final BrokerProcess broker;
  private final String bootstrapServers;
  private final Admin admin;
  private final Thread stopAtExit;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(Path dataDir, boolean deleteDataDir, Path logFile, BrokerProcess broker,
      String bootstrapServers, Admin admin) {
    this.dataDir = dataDir;
    this.deleteDataDir = deleteDataDir;
    this.logFile = logFile;
    this.broker = broker;
    this.bootstrapServers = bootstrapServers;
    this.admin = admin;
    this.stopAtExit = new Thread(this::stopAtExit, "flowinspect-kafka-stop-" + broker.pid());
  }

  /** Starts a broker with {@link Options#defaults()}: a temp data dir, deleted on close. */
  public static EmbeddedKafka start() throws IOException {
    return start(Options.defaults());
  }

  public static EmbeddedKafka start(Options options) throws IOException {
    return start(options, FreePorts::pick);
  }

  static EmbeddedKafka start(Options options, FreePorts.Source portSource) throws IOException {
    requireNonNull(options, "options == null");
    BrokerJvm jvm = new BrokerJvm(BrokerClasspath.load(), options.heapMegabytes(), BrokerJvm.flags(System.getenv()));
    boolean tempDir = options.dataDir() == null;
    Path dataDir = tempDir
        ? Files.createTempDirectory("flowinspect-kafka-")
        : Files.createDirectories(options.dataDir());
    boolean deleteDataDir = tempDir && !options.keepData();
    try {
      return start(options, portSource, jvm, dataDir, deleteDataDir);
    } catch (Throwable e) {
      if (deleteDataDir) {
        try {
          Directories.deleteRecursively(dataDir);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static EmbeddedKafka start(Options options, FreePorts.Source portSource, BrokerJvm jvm,
      Path dataDir, boolean deleteDataDir) throws IOException {
    long startNanos = System.nanoTime();
    Deadline deadline = Deadline.after(options.startTimeout());
    Path logDir = dataDir.resolve("kafka-logs");
    Path logFile = dataDir.resolve("broker.log");
    Path properties = dataDir.resolve("server.properties");
    for (int attempt = 1; ; attempt++) {
      Ports ports = portSource.pick();
      ServerProperties.write(properties, ServerProperties.of(logDir, ports, options.brokerConfig()));
      // A kept data dir is already formatted, and keeps its cluster id across restarts.
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        jvm.format(properties, Uuid.randomUuid().toString(), logFile, deadline);
      }
      long logOffset = LogTail.size(logFile);
      // Until the shutdown hook below is in place, BrokerMain's watch on this JVM covers an exit.
      BrokerProcess broker = jvm.launch(properties, logFile);
      Admin admin;
      try {
        admin = BrokerReadiness.await(broker, ports, options.startTimeout(), deadline);
      } catch (IOException e) {
        broker.stop(SHORT_STOP_GRACE);
        if (attempt < START_ATTEMPTS && !deadline.passed() && portWasTaken(logFile, logOffset)) {
          log.debug("a port was taken before the broker bound it; starting again on new ports");
          continue;
        }
        throw e;
      } catch (RuntimeException | Error e) {
        broker.stop(SHORT_STOP_GRACE);
        throw e;
      }
      String bootstrap = FreePorts.HOST + ":" + ports.broker();
      EmbeddedKafka kafka = new EmbeddedKafka(dataDir, deleteDataDir, logFile, broker, bootstrap, admin);
      Runtime.getRuntime().addShutdownHook(kafka.stopAtExit);
      log.info("Kafka broker on {} started in {} ms (pid {}, log {})", bootstrap,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), broker.pid(), logFile);
      return kafka;
    }
  }

  private static boolean portWasTaken(Path logFile, long offset) throws IOException {
    return LogTail.since(logFile, offset).contains("Address already in use");
  }

  /** {@code "127.0.0.1:PORT"}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Creates a topic with one replica per partition and returns once every partition has a leader. A
   * topic that already exists with as many partitions is fine; with another count it is an error.
   */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    requireNonNull(name, "name == null");
    requireNonNull(configs, "configs == null");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions < 1: " + partitions);
    }
    if (closed.get()) {
      throw new IllegalStateException("closed");
    }
    Deadline deadline = Deadline.after(TOPIC_TIMEOUT);
    try {
      try {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
            .all().get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("creating topic " + name + " failed: " + e.getCause(), e.getCause());
        }
      }
      awaitLeaders(name, partitions, deadline);
    } catch (InterruptedException e) {
      throw new InterruptException(e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("topic " + name + " not ready within " + TOPIC_TIMEOUT.toSeconds() + " s", e);
    }
  }

  /**
   * Deletes every topic whose name starts with {@code prefix} (internal topics of Kafka Streams
   * applications whose id has that prefix too) and returns once the broker lists none of them, so
   * that what a finished run left, a compacted changelog above all, stops costing the broker work
   * (its log cleaner compacts such topics in the background). The broker removes the files a
   * second later ({@code log.segment.delete.delay.ms}, set low here). Returns the names.
   */
  public List<String> deleteTopicsStartingWith(String prefix) {
    requireNonNull(prefix, "prefix == null");
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("an empty prefix would delete every topic");
    }
    if (closed.get()) {
      throw new IllegalStateException("closed");
    }
    Deadline deadline = Deadline.after(TOPIC_TIMEOUT);
    try {
      List<String> names = admin.listTopics().names().get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS)
          .stream().filter(n -> n.startsWith(prefix)).sorted().toList();
      if (!names.isEmpty()) {
        admin.deleteTopics(names).all().get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
      }
      while (admin.listTopics().names().get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS).stream()
          .anyMatch(names::contains)) { // the broker's metadata may trail the controller's
        if (deadline.passed()) {
          throw new TimeoutException();
        }
        Thread.sleep(POLL.toMillis());
      }
      return names;
    } catch (InterruptedException e) {
      throw new InterruptException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("deleting topics " + prefix + "* failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("topics " + prefix + "* not deleted within " + TOPIC_TIMEOUT.toSeconds()
          + " s", e);
    }
  }

  private void awaitLeaders(String name, int partitions, Deadline deadline)
      throws InterruptedException, TimeoutException {
    TopicDescription topic;
    try {
      topic = TopicLeaders.await(admin, List.of(name), deadline.remaining()).get(name);
    } catch (ExecutionException e) {
      throw new IllegalStateException("describing topic " + name + " failed: " + e.getCause(), e.getCause());
    }
    if (topic.partitions().size() != partitions) {
      throw new IllegalStateException(
          "topic " + name + " exists with " + topic.partitions().size() + " partitions, not " + partitions);
    }
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Where the broker's stdout and stderr go; inside {@link #dataDir()}. */
  public Path logFile() {
    return logFile;
  }

  public long pid() {
    return broker.pid();
  }

  /**
   * Stops the broker (SIGTERM for a controlled shutdown, SIGKILL if that takes over 30 s) and deletes a
   * temp data dir unless {@link Options#keepData()}. A data dir given in the options is never deleted.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(stopAtExit);
    } catch (IllegalStateException exiting) {
      // The JVM is exiting and runs the hook anyway; stopping twice does no harm.
    }
    admin.close(Duration.ofSeconds(5));
    broker.stop(STOP_GRACE);
    try {
      deleteDataDirIfTemporary();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dataDir, e);
    }
  }

  private void stopAtExit() {
    admin.close(Duration.ZERO); // else it logs a warning per reconnect while the broker goes away
    broker.stop(SHORT_STOP_GRACE);
    try {
      deleteDataDirIfTemporary();
    } catch (IOException e) {
      System.err.println("flowinspect: cannot delete " + dataDir + ": " + e);
    }
  }

  private void deleteDataDirIfTemporary() throws IOException {
    if (deleteDataDir) {
      Directories.deleteRecursively(dataDir);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers + ", pid " + broker.pid() + "]";
  }

  /**
   * How to start a broker.
   *
   * @param dataDir where the broker keeps its logs; {@code null} for a new temp dir
   * @param keepData keep the temp dir after {@link #close()} or a failed start (a given
   *     {@code dataDir} is always kept)
   * @param heapMegabytes the broker JVM's {@code -Xmx}
   * @param startTimeout how long formatting and starting the broker may take together
   * @param brokerConfig extra {@code server.properties} entries; not the listeners, roles or log dirs
   */
  public record Options(Path dataDir, boolean keepData, int heapMegabytes, Duration startTimeout,
      Map<String, String> brokerConfig) {

    public Options {
      if (heapMegabytes < 1) {
        throw new IllegalArgumentException("heapMegabytes < 1: " + heapMegabytes);
      }
      requireNonNull(startTimeout, "startTimeout == null");
      if (startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("startTimeout <= 0: " + startTimeout);
      }
      requireNonNull(brokerConfig, "brokerConfig == null");
      brokerConfig.forEach((key, value) -> {
        requireNonNull(key, "brokerConfig key == null");
        requireNonNull(value, () -> "brokerConfig " + key + " == null");
        if (ServerProperties.RESERVED.contains(key)) {
          throw new IllegalArgumentException("brokerConfig may not set " + key + ": EmbeddedKafka owns it");
        }
      });
      // Sorted, so that server.properties reads the same at every start.
      brokerConfig = Collections.unmodifiableMap(new TreeMap<>(brokerConfig));
    }

    public static Options defaults() {
      return new Options(null, false, 512, Duration.ofSeconds(60), Map.of());
    }

    public Options withDataDir(Path dataDir) {
      return new Options(dataDir, keepData, heapMegabytes, startTimeout, brokerConfig);
    }

    public Options withKeepData(boolean keepData) {
      return new Options(dataDir, keepData, heapMegabytes, startTimeout, brokerConfig);
    }

    public Options withHeapMegabytes(int heapMegabytes) {
      return new Options(dataDir, keepData, heapMegabytes, startTimeout, brokerConfig);
    }

    public Options withStartTimeout(Duration startTimeout) {
      return new Options(dataDir, keepData, heapMegabytes, startTimeout, brokerConfig);
    }

    public Options withBrokerConfig(Map<String, String> brokerConfig) {
      return new Options(dataDir, keepData, heapMegabytes, startTimeout, brokerConfig);
    }
  }
}

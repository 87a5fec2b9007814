package io.flowinspect.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.flowinspect.kafka.FreePorts.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The broker's {@code server.properties}: one node that is both the KRaft controller and the broker. */
final class ServerProperties {
  static final int NODE_ID = 1;

  /** Keys that fix where the broker listens and stores; the caller's extra config may not change them. */
  static final Set<String> RESERVED =
      Set.of(
          "process.roles",
          "node.id",
          "controller.quorum.voters",
          "controller.quorum.bootstrap.servers",
          "listeners",
          "advertised.listeners",
          "controller.listener.names",
          "inter.broker.listener.name",
          "listener.security.protocol.map",
          "log.dirs",
          "log.dir",
          "metadata.log.dir");

  private ServerProperties() {}

  static Map<String, String> of(Path logDir, Ports ports, Map<String, String> extra) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    // A static voter set: the quorum is this node alone, found at a port chosen per start. Endpoints of
    // static voters are not stored in the metadata log, so a kept data dir restarts on new ports.
    p.put("controller.quorum.voters", NODE_ID + "@" + FreePorts.HOST + ":" + ports.controller());
    p.put("listeners", "PLAINTEXT://" + FreePorts.HOST + ":" + ports.broker()
        + ",CONTROLLER://" + FreePorts.HOST + ":" + ports.controller());
    p.put("advertised.listeners", "PLAINTEXT://" + FreePorts.HOST + ":" + ports.broker());
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toAbsolutePath().toString());

    // One replica of everything: the defaults (3) would leave internal topics unavailable.
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // 50 partitions per internal topic (the default) cost seconds on the first group join of a small box.
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.num.partitions", "5");

    // Tests create the topics they use and expect consumers to join at once.
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");

    // Light on disk and heap: small segments, and a 16 MiB compaction buffer instead of 128 MiB.
    p.put("log.segment.bytes", Integer.toString(16 << 20));
    p.put("offsets.topic.segment.bytes", Integer.toString(16 << 20));
    p.put("transaction.state.log.segment.bytes", Integer.toString(16 << 20));
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 << 20));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    // A deleted topic's files go a second after the deletion, not a minute: a run that deletes
    // what an earlier phase left (the benchmark's warm-up) should not pay for it in a later one.
    p.put("log.segment.delete.delay.ms", "1000");

    p.putAll(extra); // Options has kept the reserved keys out.
    return p;
  }

  static void write(Path file, Map<String, String> properties) throws IOException {
    StringBuilder text = new StringBuilder("# written by flowinspect EmbeddedKafka at each start\n");
    properties.forEach((k, v) -> text.append(escape(k)).append('=').append(escape(v)).append('\n'));
    Files.writeString(file, text, UTF_8);
  }

  /** Just enough of the .properties syntax for paths and values typed by people. */
  private static String escape(String s) {
    if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("line break in broker config: " + s);
    }
    return s.replace("\\", "\\\\");
  }
}

package io.flowinspect.cli;

import io.flowinspect.demo.TopicSetup;
import io.flowinspect.demo.TopicSetup.TopicSpec;
import io.flowinspect.kafka.TopicLeaders;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flowinspect topics}: creates flowinspect's topics on a cluster, each with the settings it
 * relies on, and checks the ones that exist. Safe to run at every deployment (an init container,
 * a one-shot compose service): what exists as needed is left alone.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
    description = {"Create flowinspect's topics on a Kafka cluster with the settings each needs; check the ones "
        + "that exist.",
        "Exit status 0 when every topic is as needed (or was made so with --alter), 3 when a topic that exists "
            + "has a setting flowinspect relies on set otherwise (printed), 2 on a bad option."})
final class TopicsCommand implements Callable<Integer> {
  /** Exit status when a topic exists with a setting flowinspect relies on set otherwise. */
  static final int MISCONFIGURED = 3;

  @Spec
  CommandSpec spec;

  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  @Option(names = "--partitions", defaultValue = "6",
      description = "Partitions of the packets, verdicts, alerts and flows topics (the dead-letter topic gets one). "
          + "The packets topic's count is the most inspector tasks that can work in parallel. Default: ${DEFAULT-VALUE}.")
  int partitions;

  @Option(names = "--replication-factor", defaultValue = "-1",
      description = "Replicas of each new topic; -1 (default) leaves it to the brokers' default.replication.factor.")
  short replicationFactor;

  @Option(names = "--retention-bytes", paramLabel = "SIZE", defaultValue = "1g",
      description = "Per partition, for the topics fed with capture time (their time retention is off: records "
          + "carry capture time, and a replayed capture would be older than any time limit). Default: ${DEFAULT-VALUE}.")
  String retentionBytes;

  @Option(names = "--alter",
      description = "Set the settings flowinspect relies on where an existing topic has them otherwise.")
  boolean alter;

  @Option(names = "--admin-config", paramLabel = "KEY=VALUE",
      description = "Any admin client setting, e.g. security.protocol=SASL_SSL.")
  Map<String, String> adminConfig = new HashMap<>();

  @Option(names = "--timeout", defaultValue = "60s", description = "How long to wait for the cluster. Default: ${DEFAULT-VALUE}.")
  String timeout;

  @Override
  public Integer call() throws Exception {
    Duration wait = Durations.parse(timeout, "--timeout");
    List<TopicSpec> plan = TopicSetup.plan(cluster.topics(), partitions,
        ConnectionCacheOption.bytes("--retention-bytes", retentionBytes));
    if (replicationFactor == 0 || replicationFactor < -1) {
      throw new UserError("--replication-factor must be -1 or at least 1, not " + replicationFactor);
    }
    PrintWriter out = spec.commandLine().getOut();
    Properties props = new Properties();
    props.putAll(adminConfig);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap);
    int millis = (int) Math.min(Integer.MAX_VALUE, wait.toMillis());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(millis, 30_000)); // not above the former
    try (Admin admin = admin(props)) {
      Set<String> existing = get(admin.listTopics().names(), wait);
      List<TopicSpec> present = new ArrayList<>();
      List<String> created = new ArrayList<>();
      for (TopicSpec t : plan) {
        if (existing.contains(t.name()) || !create(admin, t, wait)) {
          present.add(t);
        } else {
          created.add(t.name());
          out.printf("created %s: %d partitions, %s%n", t.name(), t.partitions(), t.configs());
        }
      }
      if (!created.isEmpty()) {
        try { // so that whatever starts after this command (the inspector, an agent) finds them usable
          TopicLeaders.await(admin, created, wait);
        } catch (TimeoutException e) {
          throw new UserError("the new topics " + created + " have no leaders after " + wait.toSeconds() + " s");
        }
      }
      int misconfigured = check(admin, present, wait, out);
      out.flush();
      return misconfigured == 0 || alter ? 0 : MISCONFIGURED;
    }
  }

  private static Admin admin(Properties props) {
    try {
      return Admin.create(props);
    } catch (KafkaException e) { // a bad --admin-config
      throw new UserError("cannot create the admin client: " + (e.getCause() == null ? e : e.getCause()).getMessage());
    }
  }

  /** True if created; false if another client created it meanwhile. */
  private boolean create(Admin admin, TopicSpec t, Duration wait) throws InterruptedException, TimeoutException {
    NewTopic topic = new NewTopic(t.name(), Optional.of(t.partitions()),
        replicationFactor == -1 ? Optional.empty() : Optional.of(replicationFactor)).configs(t.configs());
    try {
      get(admin.createTopics(List.of(topic)).all(), wait);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false;
      }
      throw new UserError("creating " + t.name() + " failed: " + e.getCause().getMessage());
    }
  }

  /**
   * Compares the topics that exist with the plan; prints one line per topic, and alters the
   * settings that differ if asked. Returns how many topics had a setting otherwise.
   */
  private int check(Admin admin, List<TopicSpec> present, Duration wait, PrintWriter out)
      throws InterruptedException, TimeoutException, ExecutionException {
    if (present.isEmpty()) {
      return 0;
    }
    List<String> names = present.stream().map(TopicSpec::name).toList();
    Map<String, TopicDescription> described = get(admin.describeTopics(names).allTopicNames(), wait);
    List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<ConfigResource, Config> configs = get(admin.describeConfigs(resources).all(), wait);
    int misconfigured = 0;
    for (TopicSpec t : present) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, t.name());
      Map<String, String> differing = differing(t, configs.get(resource));
      int actualPartitions = described.get(t.name()).partitions().size();
      String partitionNote = actualPartitions == t.partitions() ? ""
          : " (not the " + t.partitions() + " asked for; partitions are left as they are)";
      if (differing.isEmpty()) {
        out.printf("exists  %s: %d partitions%s, as needed%n", t.name(), actualPartitions, partitionNote);
        continue;
      }
      misconfigured++;
      out.printf("exists  %s: %d partitions%s; %s%s%n", t.name(), actualPartitions, partitionNote,
          describe(differing, configs.get(resource)), alter ? ": altering" : " (--alter sets it)");
      if (alter) {
        List<AlterConfigOp> ops = differing.entrySet().stream()
            .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET)).toList();
        get(admin.incrementalAlterConfigs(Map.of(resource, ops)).all(), wait);
      }
    }
    return misconfigured;
  }

  /** The settings of the plan that the topic has otherwise, with the values the plan needs. */
  private static Map<String, String> differing(TopicSpec t, Config actual) {
    Map<String, String> differing = new TreeMap<>();
    t.configs().forEach((key, needed) -> {
      ConfigEntry e = actual == null ? null : actual.get(key);
      if (e == null || !needed.equals(e.value())) {
        differing.put(key, needed);
      }
    });
    return differing;
  }

  private static String describe(Map<String, String> differing, Config actual) {
    List<String> parts = new ArrayList<>();
    differing.forEach((key, needed) -> {
      ConfigEntry e = actual == null ? null : actual.get(key);
      parts.add(key + " is " + (e == null ? "unset" : e.value()) + ", flowinspect needs " + needed);
    });
    return String.join("; ", parts);
  }

  private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, Duration wait)
      throws InterruptedException, TimeoutException, ExecutionException {
    try {
      return future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw unanswered(wait);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unanswered(wait); // the admin client's own deadline (--timeout) passed first
      }
      throw e;
    }
  }

  private static UserError unanswered(Duration wait) {
    return new UserError("the cluster did not answer within " + wait.toSeconds() + " s; is --bootstrap-servers right?");
  }
}

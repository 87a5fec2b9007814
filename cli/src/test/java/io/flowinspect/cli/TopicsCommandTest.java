package io.flowinspect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.kafka.EmbeddedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code flowinspect topics} against a real broker: each test uses topics of its own prefix. */
class TopicsCommandTest {
  private static EmbeddedKafka kafka;
  private static Admin admin;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = EmbeddedKafka.start();
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    admin = Admin.create(p);
  }

  @AfterAll
  static void stopBroker() {
    if (admin != null) {
      admin.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void createsEveryTopicWithTheSettingsItReliesOn() throws Exception {
    Result r = topics("--topic-prefix", "fresh", "--partitions", "4", "--retention-bytes", "64m");

    assertThat(r.exit).isZero();
    assertThat(r.out).contains("created fresh.packets: 4 partitions", "created fresh.dlq: 1 partitions");
    assertThat(partitions("fresh.packets")).isEqualTo(4);
    assertThat(partitions("fresh.verdicts")).isEqualTo(4);
    assertThat(partitions("fresh.dlq")).isEqualTo(1);
    assertThat(config("fresh.verdicts", "cleanup.policy")).isEqualTo("compact");
    for (String t : List.of("fresh.packets", "fresh.alerts", "fresh.flows", "fresh.dlq")) {
      assertThat(config(t, "retention.ms")).as(t).isEqualTo("-1");
      assertThat(config(t, "retention.bytes")).as(t).isEqualTo(Long.toString(64L << 20));
    }
  }

  @Test
  void aSecondRunFindsEverythingAsNeededAndChangesNothing() throws Exception {
    assertThat(topics("--topic-prefix", "twice", "--partitions", "2").exit).isZero();

    Result again = topics("--topic-prefix", "twice", "--partitions", "3");

    assertThat(again.exit).isZero();
    assertThat(again.out).doesNotContain("created")
        .contains("exists  twice.packets: 2 partitions (not the 3 asked for; partitions are left as they are), as needed");
    assertThat(partitions("twice.packets")).isEqualTo(2);
  }

  @Test
  void aTopicWithTimeRetentionIsReportedAndFixedOnlyWhenAsked() throws Exception {
    kafka.createTopic("aged.packets", 2, Map.of("retention.ms", "604800000"));

    Result checked = topics("--topic-prefix", "aged", "--partitions", "2");

    assertThat(checked.exit).isEqualTo(TopicsCommand.MISCONFIGURED);
    assertThat(checked.out).contains("aged.packets", "retention.ms is 604800000, flowinspect needs -1", "--alter");
    assertThat(config("aged.packets", "retention.ms")).isEqualTo("604800000");

    Result altered = topics("--topic-prefix", "aged", "--partitions", "2", "--alter");

    assertThat(altered.exit).isZero();
    assertThat(config("aged.packets", "retention.ms")).isEqualTo("-1");
    assertThat(topics("--topic-prefix", "aged", "--partitions", "2").exit).isZero();
  }

  @Test
  void anUnreachableClusterFailsWithinTheTimeoutNamingTheOption() {
    Result r = topics("--bootstrap-servers", "127.0.0.1:1", "--timeout", "2s");

    assertThat(r.exit).as("stderr: %s", r.err).isEqualTo(2);
    assertThat(r.err).contains("did not answer within 2 s", "--bootstrap-servers");
  }

  private record Result(int exit, String out, String err) {}

  private static Result topics(String... options) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    String[] args = options.length > 0 && options[0].equals("--bootstrap-servers")
        ? prepend("topics", options)
        : prepend("topics", prepend("--bootstrap-servers", prepend(kafka.bootstrapServers(), options)));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private static int partitions(String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
  }

  private static String config(String topic, String key) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config c = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
    return c.get(key).value();
  }
}

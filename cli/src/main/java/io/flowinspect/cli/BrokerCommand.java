package io.flowinspect.cli;

import io.flowinspect.demo.TopicSetup;
import io.flowinspect.kafka.EmbeddedKafka;
import io.flowinspect.schemas.Topics;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowinspect broker}: a throw-away local broker with the topics, for trying the other commands. */
@Command(name = "broker", mixinStandardHelpOptions = true,
    description = "Start a local Kafka broker (KRaft) with flowinspect's topics until interrupted.")
final class BrokerCommand implements Callable<Integer> {
  @Option(names = "--partitions", defaultValue = "3")
  int partitions;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX)
  String prefix;

  @Override
  public Integer call() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "flowinspect-shutdown"));
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      TopicSetup.create(kafka, Topics.withPrefix(prefix), partitions);
      System.out.println("broker running: --bootstrap-servers " + kafka.bootstrapServers() + " (Ctrl-C stops it)");
      stop.await();
    }
    return 0;
  }
}

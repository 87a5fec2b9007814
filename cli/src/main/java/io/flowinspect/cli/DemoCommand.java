package io.flowinspect.cli;

import io.flowinspect.demo.Demo;
import io.flowinspect.demo.DemoReport;
import io.flowinspect.inspect.streams.InspectorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flowinspect demo}: broker, agent and inspector end to end on a bundled capture. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start a Kafka broker, publish a capture with the agent, inspect it with Kafka Streams, "
        + "print what came out, and stop everything.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--pcap", paramLabel = "FILE", description = "Capture to use. Default: samples/home-office.pcap.")
  Path pcap;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions of each topic. Default: 3.")
  int partitions;

  @Mixin
  EngineOptions engine = new EngineOptions();

  @Override
  public Integer call() throws Exception {
    Path capture = pcap != null ? pcap : Home.dir().resolve("samples/home-office.pcap");
    if (!Files.isReadable(capture)) {
      throw new UserError("cannot read capture " + capture);
    }
    if (engine.rules == null && pcap == null) {
      engine.rules = Home.dir().resolve("samples/home-office.rules.yaml");
    }
    InspectorSettings settings = InspectorSettings.defaults().withTracker(engine.tracker()).withRules(engine.ruleSet());
    System.out.println("flowinspect demo: starting a Kafka broker, the inspector and the capture agent...");
    DemoReport report = Demo.run(capture, settings, engine.decoder(), partitions);
    report.print(System.out);
    return report.published().lost() == 0 ? 0 : 1;
  }
}

package io.flowinspect.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./flowinspect} command line. */
@Command(
    name = "flowinspect",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Stateful packet inspection for mirrored traffic on Apache Kafka.",
    subcommands = {
        DemoCommand.class,
        InspectCommand.class,
        CaptureCommand.class,
        InspectorCommand.class,
        BrokerCommand.class,
        TopicsCommand.class,
        ReadCommand.class,
        SynthCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The command line as {@link #main} runs it (tests set its output streams). */
  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new FailureReporter());
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}

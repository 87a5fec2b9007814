package io.flowinspect.cli;

import io.flowinspect.synth.KernelScenarios;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowinspect synth}: writes synthetic captures. */
@Command(name = "synth", mixinStandardHelpOptions = true,
    description = "Write synthetic captures: the connection-tracking edge cases checked against the kernel.")
final class SynthCommand implements Callable<Integer> {
  @Option(names = "--scenarios", required = true, paramLabel = "DIR",
      description = "Write every kernel scenario as DIR/NAME.pcap.")
  Path scenarios;

  @Override
  public Integer call() throws Exception {
    int n = KernelScenarios.writeAll(scenarios);
    System.out.println(n + " scenario captures written to " + scenarios);
    return 0;
  }
}

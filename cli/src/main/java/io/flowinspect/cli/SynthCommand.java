package io.flowinspect.cli;

import io.flowinspect.synth.KernelScenarios;
import io.flowinspect.synth.LoadGenerator;
import io.flowinspect.synth.PcapWriter;
import io.flowinspect.synth.TrafficMix;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowinspect synth}: writes synthetic captures. */
@Command(name = "synth", mixinStandardHelpOptions = true,
    description = {"Write synthetic captures: a realistic workload (--out), or the connection-tracking edge cases "
        + "checked against the kernel (--scenarios).",
        "Example: synth --out load.pcap --concurrent 10000 --rate 2000 --packets 2000000"})
final class SynthCommand implements Callable<Integer> {
  @Option(names = "--scenarios", paramLabel = "DIR", description = "Write every kernel scenario as DIR/NAME.pcap.")
  Path scenarios;

  @Option(names = "--out", paramLabel = "FILE", description = "Write a workload to this pcap file.")
  Path out;

  @Option(names = "--concurrent", defaultValue = "10000", description = "Connections open at once. Default: 10000.")
  long concurrent;

  @Option(names = "--rate", defaultValue = "1000", description = "New connections per second. Default: 1000.")
  double rate;

  @Option(names = "--packets", defaultValue = "1000000", description = "Packets to write. Default: 1000000.")
  long packets;

  @Option(names = "--tcp", defaultValue = "80", description = "Percent of connections that are TCP. Default: 80.")
  int tcp;

  @Option(names = "--udp", defaultValue = "15", description = "Percent that are UDP (the rest ICMP). Default: 15.")
  int udp;

  @Option(names = "--ipv6", defaultValue = "10", description = "Percent over IPv6. Default: 10.")
  int ipv6;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed; same options and seed, same bytes.")
  long seed;

  @Override
  public Integer call() throws Exception {
    if ((scenarios == null) == (out == null)) {
      throw new UserError("give exactly one of --scenarios DIR or --out FILE");
    }
    if (scenarios != null) {
      int n = KernelScenarios.writeAll(scenarios);
      System.out.println(n + " scenario captures written to " + scenarios);
      return 0;
    }
    TrafficMix mix = new TrafficMix(concurrent, rate, packets, tcp, udp, ipv6, seed);
    long started = System.nanoTime();
    long connections;
    try (PcapWriter writer = new PcapWriter(out)) {
      connections = new LoadGenerator(mix).run(writer::write);
    }
    System.out.printf("%s: %d packets, %d connections (%d concurrent, %.0f new per second, lifetime %s), %.1f s%n",
        out, packets, connections, concurrent, rate, mix.lifetime(), (System.nanoTime() - started) / 1e9);
    return 0;
  }
}

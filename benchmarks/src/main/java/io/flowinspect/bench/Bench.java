package io.flowinspect.bench;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH benchmarks (same arguments as JMH's own main) and reports each one that replays a
 * capture as packets per second: the capture's packet count divided by the time of one replay.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions options = new CommandLineOptions(args);
    Collection<RunResult> results = new Runner(options).run();
    System.out.println();
    System.out.printf("%-52s %-30s %10s %14s %16s%n", "benchmark", "capture", "packets", "ms/replay", "packets/s");
    for (RunResult r : results) {
      String capture = r.getParams().getParam("capture");
      if (capture == null) {
        continue;
      }
      String benchmark = r.getParams().getBenchmark();
      long packets = benchmark.contains("Decoder") || benchmark.contains("CaptureReader")
          ? Captures.frames(Captures.resolve(capture)).frames().size()
          : Captures.packets(Captures.resolve(capture)).packets().length;
      double ms = r.getPrimaryResult().getScore();
      double error = r.getPrimaryResult().getScoreError();
      StringBuilder name = new StringBuilder(r.getParams().getBenchmark().replace("io.flowinspect.bench.", ""));
      for (String key : r.getParams().getParamsKeys()) {
        if (!key.equals("capture")) {
          name.append(' ').append(key).append('=').append(r.getParams().getParam(key));
        }
      }
      System.out.printf(Locale.ROOT, "%-52s %-30s %10d %8.3f ± %-5.3f %16.0f%n", name, capture, packets, ms, error,
          packets / (ms / 1000.0));
    }
  }
}

package io.flowinspect.measure;

import io.flowinspect.synth.HeldConnections;
import io.flowinspect.synth.LoadGenerator;
import io.flowinspect.synth.PcapWriter;
import io.flowinspect.synth.TrafficMix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the benchmark replays: a capture file, or one the synthetic generator writes. A workload may
 * have a setup part, replayed and inspected before anything is timed (the handshakes that fill the
 * table for {@code held:}), and always has the measured part.
 *
 * @param setup null, or the capture replayed untimed first
 * @param measured the capture whose replay and inspection are timed
 * @param description what it is, for the report
 * @param generated whether the files are the benchmark's own temporary files
 * @param warmUp what the benchmark's warm-up pass replays, on topics and stores of its own, before
 *     anything is timed; null when that is this workload itself
 */
public record Workload(Path setup, Path measured, String description, boolean generated, Workload warmUp) {
  /**
   * Most connections of a {@code held:} workload's warm-up: more than the decoded cache holds by
   * default, so that the packed tier behind it and the evictions between the two run (and get
   * compiled) too, while the warm-up of a ten-million-connection run still takes seconds.
   */
  static final int WARM_UP_HELD_CONNECTIONS = 100_000;
  /**
   * Most packets the warm-up pass replays of its measured part. A million (the default workload,
   * whole) took the inspector's packets per second of stream-thread CPU from 0.34–0.50 M in a fresh
   * JVM to 0.91–1.13 M, the JIT having compiled its hot paths (BENCHMARKS.md, eighth session).
   */
  public static final long WARM_UP_PACKETS = 1_000_000;

  public Workload(Path setup, Path measured, String description, boolean generated) {
    this(setup, measured, description, generated, null);
  }

  /** What the warm-up pass replays: {@link #warmUp} if set, else this workload. */
  public Workload warmUpPart() {
    return warmUp == null ? this : warmUp;
  }

  public static Workload ofFile(Path pcap) {
    if (!Files.isReadable(pcap)) {
      throw new IllegalArgumentException("cannot read " + pcap);
    }
    return new Workload(null, pcap, pcap.toString(), false);
  }

  /**
   * Generates the workload a spec names into {@code dir}:
   * <ul>
   *   <li>{@code mix:concurrent=N,rate=R,packets=P,seed=S} — the realistic mix of {@code synth --out}
   *       (defaults 10000, 2000, 1000000, 1);</li>
   *   <li>{@code held:connections=N,packets=P,seed=S} — N handshakes (setup), then P data segments on
   *       connections drawn at random from all N (measured), so the table holds N connections
   *       throughout the measurement (defaults 10000, 2000000, 1). Its warm-up is a held workload
   *       of at most {@value #WARM_UP_HELD_CONNECTIONS} connections. With {@code exchanged=1}, the setup
   *       also has one data segment each way per connection, so that the measured segments move no
   *       connection to another state (a long-running population).</li>
   * </ul>
   */
  public static Workload synthesize(String spec, Path dir) throws IOException {
    return synthesize(spec, dir, true);
  }

  /** As {@link #synthesize(String, Path)}; without {@code withWarmUp}, writes no files for a warm-up of its own. */
  public static Workload synthesize(String spec, Path dir, boolean withWarmUp) throws IOException {
    int colon = spec.indexOf(':');
    String kind = colon < 0 ? "mix" : spec.substring(0, colon);
    Map<String, Long> p = parameters(colon < 0 ? spec : spec.substring(colon + 1), spec);
    switch (kind) {
      case "mix" -> {
        long concurrent = take(p, "concurrent", 10_000);
        long rate = take(p, "rate", 2_000);
        long packets = take(p, "packets", 1_000_000);
        long seed = take(p, "seed", 1);
        refuseLeftovers(p, spec);
        TrafficMix mix = new TrafficMix(concurrent, rate, packets, 80, 15, 10, seed);
        Path file = dir.resolve("mix.pcap");
        try (PcapWriter w = new PcapWriter(file)) {
          new LoadGenerator(mix).run(w::write);
        }
        return new Workload(null, file, String.format(Locale.ROOT,
            "synthetic mix: %d concurrent connections, %d new/s, %d packets, seed %d", concurrent, rate, packets, seed),
            true);
      }
      case "held" -> {
        long connections = take(p, "connections", 10_000);
        long packets = take(p, "packets", 2_000_000);
        long seed = take(p, "seed", 1);
        long exchanged = take(p, "exchanged", 0);
        refuseLeftovers(p, spec);
        if (connections > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("held: at most " + Integer.MAX_VALUE + " connections");
        }
        if (exchanged != 0 && exchanged != 1) {
          throw new IllegalArgumentException("held: exchanged is 0 or 1, not " + exchanged + " in '" + spec + "'");
        }
        Workload measured = held(dir, "held", (int) connections, packets, seed, exchanged == 1);
        if (!withWarmUp || connections <= WARM_UP_HELD_CONNECTIONS) {
          return measured;
        }
        Workload warmUp = held(dir, "held-warm-up", WARM_UP_HELD_CONNECTIONS, Math.min(packets, WARM_UP_PACKETS),
            seed, exchanged == 1);
        return new Workload(measured.setup(), measured.measured(), measured.description(), true, warmUp);
      }
      default -> throw new IllegalArgumentException("unknown workload '" + kind + "' in '" + spec
          + "' (known: mix, held)");
    }
  }

  private static Workload held(Path dir, String name, int connections, long packets, long seed, boolean exchanged)
      throws IOException {
    HeldConnections held = new HeldConnections(connections, seed);
    Path setup = dir.resolve(name + "-setup.pcap");
    Path measured = dir.resolve(name + "-traffic.pcap");
    try (PcapWriter w = new PcapWriter(setup)) {
      held.writeHandshakes(w::write);
      if (exchanged) {
        held.writeFirstExchange(w::write);
      }
    }
    try (PcapWriter w = new PcapWriter(measured)) {
      held.writeTraffic(w::write, packets);
    }
    return new Workload(setup, measured, String.format(Locale.ROOT,
        "synthetic held connections: %d open TCP connections%s, then %d data segments on random ones, seed %d",
        connections, exchanged ? " that have exchanged data" : "", packets, seed), true);
  }

  private static Map<String, Long> parameters(String text, String spec) {
    Map<String, Long> p = new LinkedHashMap<>();
    if (text.isBlank()) {
      return p;
    }
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("'" + part + "' in '" + spec + "' is not NAME=NUMBER");
      }
      String value = part.substring(eq + 1).trim().replace("_", "");
      try {
        p.put(part.substring(0, eq).trim(), parseCount(value));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + part + "' in '" + spec + "' is not NAME=NUMBER");
      }
    }
    return p;
  }

  /** A count, optionally with k, M or G (thousands, millions, billions): 10M = 10000000. */
  static long parseCount(String value) {
    long scale = 1;
    char last = value.isEmpty() ? ' ' : value.charAt(value.length() - 1);
    switch (last) {
      case 'k', 'K' -> scale = 1_000;
      case 'm', 'M' -> scale = 1_000_000;
      case 'g', 'G' -> scale = 1_000_000_000;
      default -> {
        return Long.parseLong(value);
      }
    }
    try {
      return Math.multiplyExact(Long.parseLong(value.substring(0, value.length() - 1)), scale);
    } catch (ArithmeticException e) {
      throw new NumberFormatException(value + " is too large");
    }
  }

  private static long take(Map<String, Long> p, String name, long fallback) {
    Long v = p.remove(name);
    if (v != null && v < 1) {
      throw new IllegalArgumentException(name + " must be at least 1: " + v);
    }
    return v == null ? fallback : v;
  }

  private static void refuseLeftovers(Map<String, Long> p, String spec) {
    if (!p.isEmpty()) {
      throw new IllegalArgumentException("unknown parameter " + p.keySet() + " in '" + spec + "'");
    }
  }
}

package io.flowinspect.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.inspect.output.AlertEvent;
import io.flowinspect.inspect.output.FlowSummary;
import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.inspect.output.VerdictEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * flowinspect against the Linux kernel: every capture in ../shared/pcaps is inspected with the
 * default options, and every frame's state and direction is compared with what the kernel's
 * conntrack said for it (../shared/pcaps/oracle, made by tools/ct-oracle with its defaults).
 */
class ConntrackOracleComparisonTest {
  private static final InspectionSink NOWHERE = new InspectionSink() {
    @Override
    public void verdict(io.flowinspect.inspect.engine.FlowKey key, VerdictEvent verdict) {}

    @Override
    public void alert(io.flowinspect.inspect.engine.FlowKey key, AlertEvent alert) {}

    @Override
    public void flowEnded(io.flowinspect.inspect.engine.FlowKey key, FlowSummary flow) {}
  };

  record Disagreement(String capture, long index, String kernel, String ours, String tuple, String info) {
    @Override
    public String toString() {
      return capture + "\t" + index + "\tkernel " + kernel + "\tflowinspect " + ours + "\t" + tuple + "\t" + info;
    }

    String documented() {
      return DocumentedDifferences.entry(capture, index, kernel.split("/")[0], ours.split("/")[0]);
    }
  }

  /** Kernel rows of ICMP errors that quote a header, and of FTP data connections' first packets. */
  private static boolean icmpError(OracleRow k) {
    return k.info().contains("inner=(");
  }

  private static boolean ftpDataStart(OracleRow k) {
    return k.state().equals("related") && k.protocol().equals("tcp");
  }

  @Test
  void agreesWithTheKernelOnEveryCapture() throws Exception {
    Path pcaps = SharedCaptures.dir();
    List<Disagreement> disagreements = new ArrayList<>();
    long total = 0;
    Map<String, long[]> perCapture = new TreeMap<>();
    try (Stream<Path> oracles = Files.list(pcaps.resolve("oracle"))) {
      for (Path tsv : oracles.filter(p -> p.toString().endsWith(".tsv")).sorted().toList()) {
        String name = tsv.getFileName().toString().replace(".tsv", "");
        Path capture = Files.exists(pcaps.resolve(name + ".pcap")) ? pcaps.resolve(name + ".pcap")
            : pcaps.resolve(name + ".pcapng");
        Map<Long, OracleRow> kernel = new TreeMap<>();
        OracleRow.read(tsv).forEach(r -> kernel.put(r.index(), r));
        long[] counts = new long[2];
        long[] special = this.special;
        OfflineInspection.run(capture, OfflineInspection.Options.defaults(), f -> {
          OracleRow k = kernel.get(f.index());
          String ours = f.stateLabel() + "/" + f.directionLabel();
          String theirs = k == null ? "missing" : k.comparableState() + "/" + k.direction();
          counts[0]++;
          boolean watched = k != null && (icmpError(k) || ftpDataStart(k));
          if (watched) {
            special[0]++;
            special[1] += ours.equals(theirs) ? 0 : 1;
          }
          if (!ours.equals(theirs)) {
            counts[1]++;
            disagreements.add(new Disagreement(name, f.index(), theirs, ours, k == null ? "" : k.tuple(),
                k == null ? "" : k.info()));
          }
        }, NOWHERE);
        total += counts[0];
        perCapture.put(name, counts);
      }
    }
    disagreements.forEach(System.out::println);
    long agree = total - disagreements.size();
    System.out.printf("agreement: %d of %d frames (%.3f%%); ICMP errors and FTP data starts: %d, %d disagree%n",
        agree, total, 100.0 * agree / total, special[0], special[1]);
    assertThat(total).isGreaterThan(80_000);
    assertThat((double) agree / total).isGreaterThanOrEqualTo(0.995);
    assertThat(special[0]).as("ICMP errors and FTP data connections compared").isGreaterThan(40);
    assertThat(special[1]).as("ICMP errors and FTP data starts must agree exactly").isZero();
    assertThat(disagreements.stream().map(Disagreement::documented).collect(java.util.stream.Collectors.toSet()))
        .as("disagreements must be exactly those listed in docs/conntrack-differences.md")
        .isEqualTo(DocumentedDifferences.read(Path.of("../docs/conntrack-differences.md")));
  }

  private final long[] special = new long[2];
}

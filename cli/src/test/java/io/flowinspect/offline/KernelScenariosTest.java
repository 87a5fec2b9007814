package io.flowinspect.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.synth.KernelScenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The project's own edge-case captures (written by {@code flowinspect synth --scenarios}) against
 * what the Linux kernel's conntrack said about them (recorded with ct-oracle by
 * scripts/kernel-scenarios.sh): every packet must agree, state and direction.
 */
class KernelScenariosTest {
  private static final Path DIR = Path.of("src/test/resources/kernel-scenarios");
  static List<String> scenarios() {
    return List.copyOf(KernelScenarios.all().keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void everyPacketIsClassifiedAsTheKernelDid(String scenario) throws Exception {
    Path capture = DIR.resolve(scenario + ".pcap");
    Map<Long, OracleRow> kernel = new TreeMap<>();
    OracleRow.read(DIR.resolve(scenario + ".oracle.tsv")).forEach(r -> kernel.put(r.index(), r));
    List<String> differences = new ArrayList<>();

    OfflineInspection.run(capture, OfflineInspection.Options.defaults(), f -> {
      OracleRow k = kernel.get(f.index());
      String ours = f.stateLabel() + "/" + f.directionLabel();
      String theirs = k.comparableState() + "/" + k.direction();
      if (!ours.equals(theirs)) {
        differences.add("#" + f.index() + " " + k.tuple() + " " + k.info() + ": kernel " + theirs + ", flowinspect "
            + ours + (f.classification() == null ? "" : " (" + f.classification().reason() + ")"));
      }
    }, InspectionSink.DISCARD);

    assertThat(kernel).as("kernel rows").isNotEmpty();
    assertThat(differences).as(scenario).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void theStoredCaptureIsWhatTheGeneratorWritesToday(String scenario) throws Exception {
    Path fresh = Files.createTempDirectory("scenarios");
    try {
      KernelScenarios.writeAll(fresh);
      assertThat(Files.readAllBytes(fresh.resolve(scenario + ".pcap")))
          .as("regenerate with scripts/kernel-scenarios.sh after changing a scenario")
          .isEqualTo(Files.readAllBytes(DIR.resolve(scenario + ".pcap")));
    } finally {
      try (var files = Files.list(fresh)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(fresh);
    }
  }
}

package io.flowinspect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect --flows-out}: one JSON line per connection, in Zeek's vocabulary where Zeek has one. */
class InspectFlowsOutTest {
  private static final Path SAMPLE = Path.of("../samples/home-office.pcap");
  private static final List<String> FIELDS = List.of("ts", "orig", "orig_port", "resp", "resp_port", "proto",
      "duration", "orig_pkts", "orig_bytes", "resp_pkts", "resp_bytes", "conn_state", "history", "final_state",
      "reason", "decision", "rule", "zone", "community_id");

  @TempDir Path dir;

  @Test
  void everyConnectionOfTheSampleIsOneJsonLineWithZeeksFields() throws Exception {
    Path out = dir.resolve("flows.jsonl");

    int exit = Main.run("inspect", "--pcap", SAMPLE.toString(), "--home", "10.10.0.0/24", "--home", "fd00:10::/64",
        "--flows-out", out.toString());

    assertThat(exit).isZero();
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> flows = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      flows.add(json.readTree(line));
    }
    assertThat(flows).hasSize(31);
    Map<String, Integer> byEnding = new TreeMap<>();
    for (JsonNode f : flows) {
      List<String> names = new ArrayList<>();
      f.fieldNames().forEachRemaining(names::add);
      assertThat(names).containsExactlyElementsOf(FIELDS);
      assertThat(f.get("community_id").asText()).matches("1:[A-Za-z0-9+/]{27}=");
      byEnding.merge(f.get("proto").asText() + " " + f.get("conn_state").asText() + " " + f.get("reason").asText(), 1,
          Integer::sum);
    }
    // The port scan from outside: each SYN answered by a reset (Zeek's REJ, history "Sr").
    assertThat(flows.stream().filter(f -> f.get("conn_state").asText().equals("REJ")))
        .allSatisfy(f -> assertThat(f.get("history").asText()).isEqualTo("Sr"))
        .hasSize(11);
    // Everything else was still open when the capture ended, and says so; TCP and the DNS
    // exchanges had traffic both ways, so they are SF; ICMP has no history in Zeek.
    assertThat(byEnding).containsEntry("tcp REJ reset", 11).containsEntry("tcp SF end_of_input", 9)
        .containsEntry("udp SF end_of_input", 5).containsEntry("icmp OTH end_of_input", 4);
    assertThat(flows.stream().filter(f -> f.get("proto").asText().startsWith("icmp")))
        .allSatisfy(f -> assertThat(f.get("history").asText()).isEmpty());
  }
}

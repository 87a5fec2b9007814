package io.flowinspect.offline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One line of ct-oracle output: the kernel's classification of one frame. */
record OracleRow(long index, String state, String direction, String protocol, String tuple, String info) {

  static List<OracleRow> read(Path tsv) throws IOException {
    return Files.readAllLines(tsv).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("\t", -1))
        .map(f -> new OracleRow(Long.parseLong(f[0]), f[1], f[2], f[3], f[4], f.length > 5 ? f[5] : ""))
        .toList();
  }

  /**
   * The kernel's word for a frame it never classified, mapped onto flowinspect's: {@code non-ip} for
   * frames that are not IP, {@code skipped} for fragments held for reassembly, and for frames the
   * kernel dropped before conntrack (bad IPv4 header checksum, impossible lengths).
   */
  String comparableState() {
    return switch (state) {
      case "frag", "not-seen", "not-ip" -> "skipped";
      default -> state;
    };
  }
}

package io.flowinspect.offline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The table of disagreements in docs/conntrack-differences.md, as "capture #frame kernel→ours" lines. */
final class DocumentedDifferences {
  private static final Pattern ROW =
      Pattern.compile("^\\| ([^|]+?) \\| ([0-9][0-9, -]*) \\| ([a-z-]+) \\| ([a-z-]+) \\| (.+) \\|$");

  private DocumentedDifferences() {}

  static Set<String> read(Path doc) throws IOException {
    Set<String> out = new TreeSet<>();
    for (String line : Files.readAllLines(doc)) {
      Matcher m = ROW.matcher(line.strip());
      if (!m.matches()) {
        continue;
      }
      for (String part : m.group(2).split(",")) {
        String p = part.strip();
        int dash = p.indexOf('-');
        long from = Long.parseLong(dash < 0 ? p : p.substring(0, dash).strip());
        long to = dash < 0 ? from : Long.parseLong(p.substring(dash + 1).strip());
        for (long i = from; i <= to; i++) {
          out.add(entry(m.group(1).strip(), i, m.group(3), m.group(4)));
        }
      }
    }
    return out;
  }

  static String entry(String capture, long frame, String kernelState, String ourState) {
    return capture + " #" + frame + " " + kernelState + " -> " + ourState;
  }
}

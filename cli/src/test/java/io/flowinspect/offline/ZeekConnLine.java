package io.flowinspect.offline;

import io.flowinspect.inspect.engine.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One connection as a Zeek test baseline reports it: the 5-tuple (null when the baseline leaves
 * it out), the protocol, and {@code conn_state} and {@code history} where the baseline has them
 * (null otherwise). Reads the forms found in ../shared/pcaps/expected/zeek: full conn.log files,
 * {@code zeek-cut -m} selections, "history, conn_state" printouts and printed events.
 */
record ZeekConnLine(String origH, int origP, String respH, int respP, String proto, String connState, String history) {
  boolean hasTuple() {
    return origH != null;
  }

  String tuple() {
    return hasTuple() ? (proto == null ? "" : proto + " ") + origH + ":" + origP + " > " + respH + ":" + respP
        : "(no tuple in the baseline)";
  }

  /** A conn.log: Zeek's TSV with a {@code #fields} line, or a zeek-cut selection headed by its column names. */
  static List<ZeekConnLine> connLog(Path file) throws IOException {
    List<String> names = null;
    List<ZeekConnLine> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("#fields\t")) {
        names = Arrays.asList(line.substring("#fields\t".length()).split("\t", -1));
        continue;
      }
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      if (names == null) {
        names = Arrays.asList(line.split("\t", -1)); // zeek-cut -m: the first line names the columns
        continue;
      }
      String[] values = line.split("\t", -1);
      String origH = field(names, values, "id.orig_h");
      rows.add(new ZeekConnLine(origH, origH == null ? 0 : Integer.parseInt(field(names, values, "id.orig_p")),
          field(names, values, "id.resp_h"), origH == null ? 0 : Integer.parseInt(field(names, values, "id.resp_p")),
          field(names, values, "proto"), field(names, values, "conn_state"), history(field(names, values, "history"))));
    }
    return rows;
  }

  /** Lines "history, conn_state" printed at connection_state_remove (conn_state-RST-behavior). */
  static List<ZeekConnLine> historyAndState(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .filter(l -> !l.startsWith("#") && l.contains(", "))
        .map(l -> l.split(", "))
        .map(f -> new ZeekConnLine(null, 0, null, 0, "tcp", f[1].trim(), f[0].trim()))
        .toList();
  }

  private static final Pattern CONN_ID = Pattern.compile(
      "\\[orig_h=([^,]+), orig_p=(\\d+)/(\\w+), resp_h=([^,]+), resp_p=(\\d+)/\\w+");

  /** Printed events whose line contains {@code marker}: a conn_id record, then the history. */
  static List<ZeekConnLine> events(Path file, String marker) throws IOException {
    List<ZeekConnLine> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      Matcher m = CONN_ID.matcher(line);
      if (!line.contains(marker) || !m.find()) {
        continue;
      }
      int close = matchingBracket(line, m.start());
      String history = line.substring(close + 1).replaceFirst("^,\\s*", "").split(",")[0].trim();
      rows.add(new ZeekConnLine(m.group(1), Integer.parseInt(m.group(2)), m.group(4), Integer.parseInt(m.group(5)),
          m.group(3), null, history));
    }
    return rows;
  }

  private static int matchingBracket(String line, int open) {
    int depth = 0;
    for (int i = open; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '[') {
        depth++;
      } else if (c == ']' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced record in: " + line);
  }

  /** Zeek logs an empty history as the unset field "-". */
  private static String history(String value) {
    return value == null ? null : value.equals("-") ? "" : value;
  }

  private static String field(List<String> names, String[] values, String name) {
    int i = names.indexOf(name);
    return i < 0 || i >= values.length ? null : values[i];
  }

  boolean sameEndpoints(IpAddress a, int aPort, IpAddress b, int bPort) {
    IpAddress o = IpAddress.parse(origH);
    IpAddress r = IpAddress.parse(respH);
    return (o.equals(a) && origP == aPort && r.equals(b) && respP == bPort)
        || (o.equals(b) && origP == bPort && r.equals(a) && respP == aPort);
  }
}

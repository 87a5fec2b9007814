package io.flowinspect.cli;

import java.time.Duration;

/** Parses durations written like {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}. */
final class Durations {
  private Durations() {}

  static Duration parse(String text, String option) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new NumberFormatException();
      };
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new UserError(option + ": '" + text + "' is not a duration (examples: 500ms, 30s, 5m, 2h)");
    }
  }
}

package io.flowinspect.cli;

import io.flowinspect.capture.ReplayProgress;
import io.flowinspect.capture.publish.PublisherStats;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on a terminal: frames, share of the file, rate and time left. It
 * stays silent when the output is not a terminal, so logs and pipes get only the summary.
 */
final class ProgressLine implements ReplayProgress {
  private final PrintStream out;
  private final long started = System.nanoTime();
  private boolean drawn;

  private ProgressLine(PrintStream out) {
    this.out = out;
  }

  static ReplayProgress onTerminal() {
    return System.console() == null ? ReplayProgress.NONE : new ProgressLine(System.err);
  }

  @Override
  public void update(long frames, long packets, double fraction, PublisherStats stats) {
    double seconds = (System.nanoTime() - started) / 1e9;
    double rate = seconds > 0 ? packets / seconds : 0;
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "\r  %,d frames", frames));
    if (fraction >= 0) {
      line.append(String.format(Locale.ROOT, "  %3.0f%%", fraction * 100));
    }
    line.append(String.format(Locale.ROOT, "  %,.0f packets/s  %,d in flight", rate, stats.inFlight()));
    if (fraction > 0 && fraction < 1) {
      long left = (long) (seconds / fraction * (1 - fraction));
      line.append(String.format(Locale.ROOT, "  ETA %d:%02d", left / 60, left % 60));
    }
    if (stats.packetsDropped() + stats.packetsFailed() > 0) {
      line.append(String.format(Locale.ROOT, "  lost %,d", stats.packetsDropped() + stats.packetsFailed()));
    }
    out.print(line.append("   "));
    drawn = true;
    if (fraction >= 1) {
      out.println();
      drawn = false;
    }
  }

  boolean drawn() {
    return drawn;
  }
}

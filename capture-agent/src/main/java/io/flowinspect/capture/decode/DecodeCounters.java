package io.flowinspect.capture.decode;

import java.util.EnumMap;
import java.util.Map;

/** A snapshot of what a {@link FrameDecoder} did with the frames it was given. */
public final class DecodeCounters {
  private static final SkipReason[] REASONS = SkipReason.values();

  private final long seen;
  private final long decoded;
  private final long[] skipped;

  DecodeCounters(long seen, long decoded, long[] skippedByOrdinal) {
    this.seen = seen;
    this.decoded = decoded;
    this.skipped = skippedByOrdinal.clone();
  }

  public long seen() {
    return seen;
  }

  public long decoded() {
    return decoded;
  }

  public long skipped(SkipReason reason) {
    return skipped[reason.ordinal()];
  }

  public long skipped() {
    long total = 0;
    for (long n : skipped) total += n;
    return total;
  }

  /** Non-zero skip counts, in declaration order. */
  public Map<SkipReason, Long> skippedByReason() {
    Map<SkipReason, Long> map = new EnumMap<>(SkipReason.class);
    for (SkipReason reason : REASONS) {
      if (skipped[reason.ordinal()] != 0) map.put(reason, skipped[reason.ordinal()]);
    }
    return map;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    s.append("seen=").append(seen).append(" decoded=").append(decoded).append(" skipped=").append(skipped());
    String separator = " (";
    for (SkipReason reason : REASONS) {
      long n = skipped[reason.ordinal()];
      if (n == 0) continue;
      s.append(separator).append(reason.label()).append('=').append(n);
      separator = ", ";
    }
    if (!separator.equals(" (")) s.append(')');
    return s.toString();
  }
}

package io.flowinspect.inspect.streams;

/**
 * What the design probes ({@link InPlaceTableBenchmark}, {@link IndexedRecordsBenchmark}) do to a
 * connection's 64-byte record for one packet: count it, stamp its time, and move the windows as an
 * in-window segment does (the sender's end moves on, the receiver's maximum end follows its
 * window). Longs at {@code at}: the key (2), counters each way (2), the last packet's time, both
 * sides' ends, maximum ends and maximum windows, two sides to a long.
 */
final class SegmentUpdate {
  private SegmentUpdate() {}

  /** Connection {@code i}'s packet at {@code now}; returns a value read from the record. */
  static long apply(long[] records, int at, int i, long now) {
    boolean fromClient = (i & 1) == 0;
    int length = 100 + (i & 511);
    // counters: packets in the low 20 bits of each half would be the real layout; here one long per direction
    records[at + (fromClient ? 2 : 3)] += 1L << 40 | length;
    records[at + 4] = now;
    long ends = records[at + 5];
    long maxEnds = records[at + 6];
    long windows = records[at + 7];
    int shift = fromClient ? 32 : 0;
    int end = (int) (ends >>> shift) + length;
    int window = (int) (windows >>> (32 - shift));
    int maxEnd = Math.max((int) (maxEnds >>> (32 - shift)), end + window);
    records[at + 5] = ends & ~(0xFFFF_FFFFL << shift) | (end & 0xFFFF_FFFFL) << shift;
    records[at + 6] = maxEnds & ~(0xFFFF_FFFFL << (32 - shift)) | (maxEnd & 0xFFFF_FFFFL) << (32 - shift);
    return records[at + 2];
  }
}

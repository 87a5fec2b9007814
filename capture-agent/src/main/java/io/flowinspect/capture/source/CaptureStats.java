package io.flowinspect.capture.source;

/**
 * What the kernel counted for a live capture since it was opened, from pcap_stats.
 *
 * @param received frames that passed the filter, including those then dropped and those still in
 *     the buffer, so it is at least the number of frames delivered
 * @param droppedByKernel frames that passed the filter but found the buffer full: the consumer fell
 *     behind for longer than {@link LiveOptions#bufferSizeBytes()} could absorb
 * @param droppedByInterface frames the interface or its driver dropped, where libpcap can tell
 *     (on Linux only in promiscuous mode, from the interface's own drop counters); else 0
 */
public record CaptureStats(long received, long droppedByKernel, long droppedByInterface) {
  public static final CaptureStats NONE = new CaptureStats(0, 0, 0);

  private static final long LOW_32_BITS = 0xFFFF_FFFFL;

  /**
   * These totals moved on to a pcap_stats reading. libpcap's counters are 32-bit and wrap (after 71
   * minutes at a million frames per second), so each reading is taken as a total modulo 2^32; that
   * is right as long as fewer than 2^32 frames pass between two readings.
   */
  CaptureStats advancedTo(long rawReceived, long rawDroppedByKernel, long rawDroppedByInterface) {
    return new CaptureStats(
        advance(received, rawReceived),
        advance(droppedByKernel, rawDroppedByKernel),
        advance(droppedByInterface, rawDroppedByInterface));
  }

  private static long advance(long total, long raw) {
    return total + ((raw - total) & LOW_32_BITS);
  }
}

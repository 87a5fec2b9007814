package io.flowinspect.capture.source;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link LiveSource} opens an interface.
 *
 * @param interfaceName the interface to capture on, as libpcap names it ({@code eth1}, {@code any})
 * @param filter a BPF expression in tcpdump's syntax, run in the kernel; null keeps every frame. It is
 *     compiled without a netmask, as on a SPAN port that has no address, so {@code ip broadcast} is
 *     refused by libpcap
 * @param snapLength bytes kept of each frame. A header-only snap length (e.g. 256) fits more frames in
 *     the buffer; the decoder then marks payload checksums unverified
 * @param promiscuous also receive frames not addressed to the interface. A SPAN or TAP port needs it:
 *     the mirrored frames carry other hosts' MAC addresses and the NIC would drop them
 * @param bufferSizeBytes the kernel ring between the interface and this process, which absorbs bursts
 *     while the consumer is busy; when it is full the kernel drops frames (see {@link CaptureStats})
 * @param readTimeout how long libpcap waits for a ring block to fill before handing over what it
 *     has: the longest a frame waits when {@code immediate} is off
 * @param immediate hand over every frame as it arrives (pcap_set_immediate_mode): lower latency, one
 *     wake-up per frame instead of one per block
 */
public record LiveOptions(
    String interfaceName,
    String filter,
    int snapLength,
    boolean promiscuous,
    int bufferSizeBytes,
    Duration readTimeout,
    boolean immediate) {
  /** libpcap's own limit for Ethernet: whole frames, jumbo ones included. */
  public static final int DEFAULT_SNAP_LENGTH = 262_144;
  public static final int DEFAULT_BUFFER_SIZE_BYTES = 64 << 20;
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMillis(100);

  public LiveOptions {
    Objects.requireNonNull(interfaceName, "interfaceName");
    if (interfaceName.isBlank()) throw new IllegalArgumentException("interfaceName is blank");
    if (snapLength <= 0) throw new IllegalArgumentException("snapLength <= 0: " + snapLength);
    if (bufferSizeBytes <= 0) throw new IllegalArgumentException("bufferSizeBytes <= 0: " + bufferSizeBytes);
    Objects.requireNonNull(readTimeout, "readTimeout");
    // libpcap takes whole milliseconds, and 0 would mean "wait forever" for a block to fill.
    if (readTimeout.compareTo(Duration.ofMillis(1)) < 0 || readTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("readTimeout out of range [1 ms, 2^31 ms): " + readTimeout);
    }
  }

  /** No filter, whole frames, not promiscuous, a 64 MiB buffer, 100 ms read timeout, not immediate. */
  public static LiveOptions of(String interfaceName) {
    return new LiveOptions(interfaceName, null, DEFAULT_SNAP_LENGTH, false, DEFAULT_BUFFER_SIZE_BYTES,
        DEFAULT_READ_TIMEOUT, false);
  }

  public LiveOptions withFilter(String filter) {
    return new LiveOptions(interfaceName, filter, snapLength, promiscuous, bufferSizeBytes, readTimeout, immediate);
  }

  public LiveOptions withSnapLength(int snapLength) {
    return new LiveOptions(interfaceName, filter, snapLength, promiscuous, bufferSizeBytes, readTimeout, immediate);
  }

  public LiveOptions withPromiscuous(boolean promiscuous) {
    return new LiveOptions(interfaceName, filter, snapLength, promiscuous, bufferSizeBytes, readTimeout, immediate);
  }

  public LiveOptions withBufferSizeBytes(int bufferSizeBytes) {
    return new LiveOptions(interfaceName, filter, snapLength, promiscuous, bufferSizeBytes, readTimeout, immediate);
  }

  public LiveOptions withReadTimeout(Duration readTimeout) {
    return new LiveOptions(interfaceName, filter, snapLength, promiscuous, bufferSizeBytes, readTimeout, immediate);
  }

  public LiveOptions withImmediate(boolean immediate) {
    return new LiveOptions(interfaceName, filter, snapLength, promiscuous, bufferSizeBytes, readTimeout, immediate);
  }
}

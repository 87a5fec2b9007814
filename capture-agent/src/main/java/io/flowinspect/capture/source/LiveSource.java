package io.flowinspect.capture.source;

import java.sql.Timestamp;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.TimestampPrecision;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.RawPacketListener;

/**
 * Captures frames from a network interface through libpcap, by way of pcap4j: the source of a
 * sensor on a SPAN or TAP port. Needs root, or CAP_NET_RAW and CAP_NET_ADMIN.
 *
 * <p>Frames are read as raw bytes with pcap4j's {@code loop()}, never as pcap4j packets: it drained a
 * filled ring three to five times faster than a {@code getNextRawPacketEx()} loop, which allocates
 * two JNA pointers and takes a lock per frame (0.3 to 1.4 M against 0.07 to 0.34 M frames/s on a
 * 2-core machine, depending on its load; LiveSourceThroughputTest prints both).
 *
 * <p>Timestamps have nanosecond resolution where libpcap offers it (pcap_set_tstamp_precision, libpcap
 * 1.5 and later on Linux); elsewhere pcap4j falls back to microseconds (logging it), delivered as
 * multiples of 1000 ns.
 *
 * <p>Threads: {@link #run} on one thread at a time; {@link #stop}, {@link #stats} and {@link #close}
 * from any. libpcap supports a pcap_t on one thread only, pcap_breakloop excepted (its maintainers on
 * tcpdump-workers, May 2023), and pcap4j's lock is a read lock all its calls share, so it serializes
 * nothing: hence {@link #stats()} during a run returns what the capturing thread last read.
 */
public final class LiveSource implements AutoCloseable {
  /** How often the capturing thread reads the kernel's counters for {@link #stats()}. */
  private static final long STATS_INTERVAL_NANOS = 1_000_000_000L;

  private final String interfaceName;
  private final PcapHandle handle;
  private final int linkType;
  /** Held by run() throughout: whoever holds it is the one thread using the handle. */
  private final ReentrantLock reader = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean stopRequested;
  private volatile CaptureStats stats = CaptureStats.NONE;
  /** Frames delivered over all runs, for the 1-based index. Guarded by reader. */
  private long delivered;
  /** Capture time of the last stats reading. Guarded by reader. */
  private long statsReadAtNanos;

  private LiveSource(String interfaceName, PcapHandle handle) {
    this.interfaceName = interfaceName;
    this.handle = handle;
    this.linkType = handle.getDlt().value();
  }

  /** Opens and activates the interface; frames are buffered by the kernel from now on. */
  public static LiveSource open(LiveOptions options) throws CaptureException {
    Objects.requireNonNull(options, "options");
    PcapHandle handle = activate(options);
    if (options.filter() != null) {
      try {
        handle.setFilter(options.filter(), BpfCompileMode.OPTIMIZE);
      } catch (PcapNativeException e) {
        handle.close();
        throw OpenFailures.filter(options.interfaceName(), options.filter(), e);
      } catch (NotOpenException e) {
        throw new AssertionError("a handle just activated is open", e);
      }
    }
    return new LiveSource(options.interfaceName(), handle);
  }

  private static PcapHandle activate(LiveOptions options) throws CaptureException {
    try {
      return builder(options).timestampPrecision(TimestampPrecision.NANO).build();
    } catch (PcapNativeException e) {
      // pcap4j throws this only when libpcap lacks the function (before 1.5); else it falls back itself.
      String message = String.valueOf(e.getMessage());
      if (!message.contains("pcap_set_tstamp_precision")) throw OpenFailures.activation(options.interfaceName(), e);
    }
    try {
      return builder(options).build();
    } catch (PcapNativeException e) {
      throw OpenFailures.activation(options.interfaceName(), e);
    }
  }

  private static PcapHandle.Builder builder(LiveOptions options) {
    return new PcapHandle.Builder(options.interfaceName())
        .snaplen(options.snapLength())
        .promiscuousMode(options.promiscuous() ? PromiscuousMode.PROMISCUOUS : PromiscuousMode.NONPROMISCUOUS)
        .bufferSize(options.bufferSizeBytes())
        .timeoutMillis((int) options.readTimeout().toMillis())
        .immediateMode(options.immediate());
  }

  /** The interface's link type as libpcap reports it (DLT_ value, e.g. 1 Ethernet). */
  public int linkType() {
    return linkType;
  }

  /**
   * Delivers frames to the consumer until {@link #stop()} is called (from any thread, e.g. a SIGTERM
   * hook) or {@code maxFrames} are delivered ({@code <= 0}: no limit); returns the frames delivered.
   * Same contract as {@link PcapFileSource#forEach}: 1-based index (continued by a later run), link
   * type, frame bytes (a fresh array per frame), captured length, wire length, nanosecond timestamp.
   * An exception thrown by the consumer stops the capture and comes out of run() unchanged (a
   * checked one wrapped in a CaptureException). A stopped source stays stopped: a later run()
   * returns 0 at once.
   */
  public long run(FrameConsumer consumer, long maxFrames) throws CaptureException {
    Objects.requireNonNull(consumer, "consumer");
    if (!reader.tryLock()) throw new IllegalStateException("already running: " + interfaceName);
    try {
      if (closed.get()) throw new IllegalStateException("closed: " + interfaceName);
      Delivery delivery = new Delivery(consumer, maxFrames);
      while (!stopRequested && delivery.wantsMore()) {
        try {
          handle.loop(delivery.loopCount(), delivery);
        } catch (InterruptedException e) {
          // pcap_breakloop from stop() or a failing consumer, not a thread interrupt: nothing to restore.
        } catch (PcapNativeException e) {
          throw new CaptureException(interfaceName + ": capture failed after frame " + delivered + ": "
              + OpenFailures.libpcapMessage(e), e);
        } catch (NotOpenException e) {
          if (!stopRequested) throw new CaptureException(interfaceName + ": closed during capture", e);
        }
        delivery.rethrowFailure();
      }
      return delivery.frames;
    } finally {
      readStats();
      // close() from inside the consumer could not close the handle under pcap4j's read lock.
      if (closed.get() && handle.isOpen()) handle.close();
      reader.unlock();
    }
  }

  /**
   * Makes a running {@link #run} return promptly, and any later one at once. Safe from any thread and
   * from the consumer. pcap_breakloop wakes a waiting libpcap at once on Linux (libpcap 1.10 and
   * later); elsewhere the wait ends with the read timeout.
   */
  public void stop() {
    stopRequested = true;
    try {
      handle.breakLoop();
    } catch (NotOpenException e) {
      // Closed: nothing is running.
    }
  }

  /**
   * The kernel's counters. When no {@link #run} is active they are read now; during a run they are
   * those the capturing thread last read, at most once a second of capture time while frames
   * arrive, because libpcap does not allow pcap_stats beside a running loop. When frames stop
   * arriving the value stays as last read, behind by the frames of at most the last second, until
   * frames arrive again or the run ends (which reads them once more).
   */
  public CaptureStats stats() {
    if (reader.tryLock()) {
      try {
        if (!closed.get()) readStats();
      } finally {
        reader.unlock();
      }
    }
    return stats;
  }

  /**
   * Stops a running {@link #run}, waits for it to return, then releases the interface. Called from
   * the consumer it only stops; the handle is released as run() returns.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    stop();
    if (reader.isHeldByCurrentThread()) return;
    reader.lock();
    try {
      if (handle.isOpen()) {
        readStats();
        handle.close();
      }
    } finally {
      reader.unlock();
    }
  }

  /** With {@link #reader} held. Counters are advisory: a failed reading keeps the last one. */
  private void readStats() {
    if (!handle.isOpen()) return;
    try {
      PcapStat raw = handle.getStats();
      stats = stats.advancedTo(raw.getNumPacketsReceived(), raw.getNumPacketsDropped(), raw.getNumPacketsDroppedByIf());
    } catch (PcapNativeException | NotOpenException e) {
      // Keep the last reading.
    }
  }

  /**
   * pcap4j's loop() logs and swallows what a listener throws, so the listener keeps the first
   * failure and breaks the loop itself.
   */
  private final class Delivery implements RawPacketListener {
    private final FrameConsumer consumer;
    private final long maxFrames;
    long frames;
    Throwable failure;

    Delivery(FrameConsumer consumer, long maxFrames) {
      this.consumer = consumer;
      this.maxFrames = maxFrames;
    }

    boolean wantsMore() {
      return failure == null && (maxFrames <= 0 || frames < maxFrames);
    }

    /** pcap_loop's count: -1 for no limit, else what is left (a limit past 2^31 takes several loops). */
    int loopCount() {
      return maxFrames <= 0 ? -1 : (int) Math.min(maxFrames - frames, Integer.MAX_VALUE);
    }

    @Override
    public void gotPacket(byte[] frame) {
      // After a break, some libpcap versions hand over the rest of the ring block; and a limit is
      // checked here too, since some count it per block.
      if (stopRequested || !wantsMore()) return;
      Timestamp time = handle.getTimestamp();
      int wire = handle.getOriginalLength();
      long nanos = Math.floorDiv(time.getTime(), 1000L) * 1_000_000_000L + time.getNanos();
      try {
        consumer.accept(delivered + 1, linkType, frame, frame.length, wire, nanos);
      } catch (Throwable e) {
        failure = e;
        breakLoop();
        return;
      }
      delivered++;
      frames++;
      if (Math.abs(nanos - statsReadAtNanos) >= STATS_INTERVAL_NANOS) {
        statsReadAtNanos = nanos;
        readStats();
      }
    }

    private void breakLoop() {
      try {
        handle.breakLoop();
      } catch (NotOpenException e) {
        failure.addSuppressed(e);
      }
    }

    void rethrowFailure() throws CaptureException {
      if (failure == null) return;
      if (failure instanceof RuntimeException runtime) throw runtime;
      if (failure instanceof Error error) throw error;
      throw new CaptureException(interfaceName + ": consumer failed at frame " + (delivered + 1), failure);
    }
  }
}

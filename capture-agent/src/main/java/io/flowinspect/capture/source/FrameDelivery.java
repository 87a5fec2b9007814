package io.flowinspect.capture.source;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands the frames of one file to its consumer through one reused array, counts them, publishes
 * the reading position, and words the message of a corrupt file. Not thread-safe, except {@link
 * #position()}.
 */
final class FrameDelivery {
  /**
   * The snap length libpcap takes for a file that states none (MAXIMUM_SNAPLEN); a frame may be
   * this long whatever smaller snap length its header states, as some writers state a wrong one.
   */
  static final int DEFAULT_SNAP_LENGTH = 262_144;
  /**
   * No frame is longer, whatever its file states: the largest snap length libpcap allows for any
   * link type (D-Bus, 128 MiB). It keeps a corrupt length from allocating gigabytes.
   */
  static final int MAX_FRAME = 128 << 20;
  /** Enough for any Ethernet frame, jumbo frames included; larger frames grow the array. */
  private static final int INITIAL_FRAME = 64 * 1024;

  private final Path file;
  private final AtomicLong position = new AtomicLong();
  private byte[] frame = new byte[INITIAL_FRAME];
  private FrameConsumer consumer;
  private long frames;

  FrameDelivery(Path file) {
    this.file = file;
  }

  /** The longest frame a file or interface with this snap length may hold. */
  static int maxCaptured(long snapLength) {
    return (int) Math.min(MAX_FRAME, Math.max(snapLength, DEFAULT_SNAP_LENGTH));
  }

  /** A file is read once: the consumer is set once. */
  void start(FrameConsumer consumer) {
    Objects.requireNonNull(consumer, "consumer");
    if (this.consumer != null) throw new IllegalStateException("already read: " + file);
    this.consumer = consumer;
  }

  /**
   * Copies {@code captured} bytes from {@code from} at {@code index} into the reused array and
   * hands it on. The wire length is never less than the captured length: some writers break that
   * rule, and a consumer may rely on it.
   */
  void deliver(int linkType, ByteBuffer from, int index, int captured, long wireLength, long timeNanos) {
    byte[] f = frame;
    if (captured > f.length) f = frame = new byte[Math.max(captured, (int) Math.min(MAX_FRAME, 2L * f.length))];
    from.get(index, f, 0, captured);
    int wire = (int) Math.min(Integer.MAX_VALUE, Math.max(wireLength, captured));
    long number = ++frames;
    consumer.accept(number, linkType, f, captured, wire, timeNanos);
  }

  long frames() {
    return frames;
  }

  /** A release store, not a volatile one: a progress bar needs no fence per frame. */
  void reached(long offset) {
    position.lazySet(offset);
  }

  long position() {
    return position.get();
  }

  /** The damaged record or block starts at {@code offset}; the frames before it were delivered. */
  CaptureException corrupt(long offset, String what) {
    return new CaptureException(file + ": corrupt at byte offset " + offset + " (frame " + (frames + 1) + "): " + what);
  }
}

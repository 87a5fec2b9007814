package io.flowinspect.capture;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.decode.FrameDecoder;
import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.source.CaptureException;
import io.flowinspect.capture.source.LiveOptions;
import io.flowinspect.capture.source.LiveSource;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent on a live interface: frames from libpcap, decoded and published until {@link #stop}
 * (a SIGTERM hook calls it), then flushed and reported. A timer thread sends batches that waited
 * too long and heartbeats while the link is quiet, and reports status regularly.
 */
public final class LiveCapture implements AutoCloseable {
  /** How long before "now" a heartbeat claims completeness: packets may still sit in the kernel's buffer. */
  static final Duration HEARTBEAT_GRACE = Duration.ofSeconds(1);
  private static final long TICK_MILLIS = 50;

  private final LiveSource source;
  private final DecoderOptions decoderOptions;
  private final PacketPublisher publisher;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "flowinspect-capture-timer");
    t.setDaemon(true);
    return t;
  });
  private volatile FrameDecoder decoder;
  private volatile long frames;
  private final long startedNanos = System.nanoTime();

  private LiveCapture(LiveSource source, DecoderOptions decoderOptions, PacketPublisher publisher) {
    this.source = source;
    this.decoderOptions = decoderOptions;
    this.publisher = publisher;
  }

  public static LiveCapture open(LiveOptions live, DecoderOptions decoder, PacketPublisher publisher)
      throws CaptureException {
    return new LiveCapture(LiveSource.open(live), decoder, publisher);
  }

  /**
   * Captures until stopped (or {@code maxFrames}, when positive), reporting status every
   * {@code statusEvery}; returns the final status after flushing the publisher.
   */
  public LiveStatus run(long maxFrames, Duration statusEvery, Consumer<LiveStatus> status) throws CaptureException {
    FrameDecoder d = new FrameDecoder(decoderOptions);
    decoder = d;
    DecodedPacket packet = new DecodedPacket();
    timer.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    long every = Math.max(1, statusEvery.toMillis());
    timer.scheduleAtFixedRate(() -> status.accept(status()), every, every, TimeUnit.MILLISECONDS);
    try {
      source.run((index, linkType, frame, captured, wire, timeNanos) -> {
        frames = index;
        if (d.decode(linkType, frame, captured, wire, timeNanos, packet) == null) {
          publisher.publish(packet);
        }
      }, maxFrames);
    } finally {
      timer.shutdownNow();
      publisher.flush(Duration.ofSeconds(10));
    }
    return status();
  }

  /** Makes {@link #run} return soon; safe from any thread, e.g. a shutdown hook. */
  public void stop() {
    source.stop();
  }

  public LiveStatus status() {
    FrameDecoder d = decoder;
    return new LiveStatus(Duration.ofNanos(System.nanoTime() - startedNanos), frames, source.stats(),
        d == null ? new FrameDecoder(decoderOptions).counters() : d.counters(), publisher.stats());
  }

  @Override
  public void close() {
    timer.shutdownNow();
    source.close();
  }

  private void tick() {
    long clock = System.currentTimeMillis() * 1_000_000L - HEARTBEAT_GRACE.toNanos();
    publisher.tick(clock);
  }
}

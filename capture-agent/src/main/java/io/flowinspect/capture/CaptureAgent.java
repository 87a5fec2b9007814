package io.flowinspect.capture;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.decode.FrameDecoder;
import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.source.CaptureException;
import io.flowinspect.capture.source.CaptureFileReader;
import io.flowinspect.capture.source.FrameConsumer;
import java.nio.file.Path;
import java.time.Duration;

/** Reads a capture, decodes every frame's headers and publishes them: the agent's whole data path. */
public final class CaptureAgent {
  private static final long PROGRESS_EVERY_NANOS = 250_000_000L;

  /** Thrown by the frame consumer to stop reading once the packet limit is reached. */
  private static final class LimitReached extends RuntimeException {
    LimitReached() {
      super(null, null, false, false);
    }
  }

  private CaptureAgent() {}

  /** Publishes a capture file as fast as possible, then a heartbeat {@code clockAdvance} after its last packet. */
  public static FilePublishReport publishFile(Path pcap, DecoderOptions options, PacketPublisher publisher,
      Duration clockAdvance) throws CaptureException {
    return publishFile(pcap, options, publisher, ReplayOptions.asFastAsPossible().withClockAdvance(clockAdvance),
        ReplayProgress.NONE);
  }

  /**
   * Publishes every decodable packet of {@code pcap} in file order, paced as {@code replay} says,
   * then a heartbeat at the last packet's time plus the clock advance. A corrupt file ends with a
   * CaptureException after everything before the damage was published and flushed.
   */
  public static FilePublishReport publishFile(Path pcap, DecoderOptions options, PacketPublisher publisher,
      ReplayOptions replay, ReplayProgress progress) throws CaptureException {
    long started = System.nanoTime();
    long frames;
    Replay r;
    try (CaptureFileReader source = CaptureFileReader.open(pcap)) {
      r = new Replay(source, new FrameDecoder(options), publisher, replay, progress);
      try {
        frames = source.forEach(r);
      } catch (LimitReached stop) {
        frames = r.frames;
      }
    } catch (CaptureException e) {
      publisher.flush(); // everything before the damage goes out
      throw e;
    }
    if (r.packets > 0) {
      publisher.heartbeat(r.lastNanos + replay.clockAdvance().toNanos());
    }
    publisher.flush();
    progress.update(frames, r.packets, 1, publisher.stats());
    return new FilePublishReport(frames, r.packets, r.decoder.counters(), publisher.stats(), r.firstNanos, r.lastNanos,
        Duration.ofNanos(System.nanoTime() - started));
  }

  /** Decodes, paces and publishes one frame at a time. */
  private static final class Replay implements FrameConsumer {
    final CaptureFileReader source;
    final FrameDecoder decoder;
    final PacketPublisher publisher;
    final ReplayOptions options;
    final ReplayProgress progress;
    final DecodedPacket packet = new DecodedPacket();
    final Pacer pacer;
    final long limit;
    final double size;
    long frames;
    long packets;
    long firstNanos;
    long lastNanos;
    long lastProgressNanos = System.nanoTime();

    Replay(CaptureFileReader source, FrameDecoder decoder, PacketPublisher publisher, ReplayOptions options,
        ReplayProgress progress) {
      this.source = source;
      this.decoder = decoder;
      this.publisher = publisher;
      this.options = options;
      this.progress = progress;
      this.pacer = new Pacer(options.speed());
      this.limit = options.limit() == 0 ? Long.MAX_VALUE : options.limit();
      this.size = Math.max(1, source.size());
    }

    @Override
    public void accept(long index, int linkType, byte[] frame, int captured, int wire, long timeNanos) {
      if (packets == limit) {
        throw new LimitReached();
      }
      frames = index;
      if (decoder.decode(linkType, frame, captured, wire, timeNanos, packet) == null) {
        pacer.await(timeNanos);
        if (options.restamp()) {
          packet.restamp(WallClock.epochNanos());
        }
        if (packets == 0) {
          firstNanos = packet.timeNanos();
        }
        publisher.publish(packet);
        packets++;
        lastNanos = Math.max(lastNanos, packet.timeNanos());
      }
      if ((index & 1023) == 0 && System.nanoTime() - lastProgressNanos > PROGRESS_EVERY_NANOS) {
        lastProgressNanos = System.nanoTime();
        progress.update(index, packets, source.bytesRead() / size, publisher.stats());
      }
    }
  }
}

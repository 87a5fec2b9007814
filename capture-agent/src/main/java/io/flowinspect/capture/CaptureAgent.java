package io.flowinspect.capture;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.decode.FrameDecoder;
import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.source.CaptureException;
import io.flowinspect.capture.source.CaptureFileReader;
import java.nio.file.Path;
import java.time.Duration;

/** Reads a capture, decodes every frame's headers and publishes them: the agent's whole data path. */
public final class CaptureAgent {
  private static final long PROGRESS_EVERY_NANOS = 250_000_000L;

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
    FrameDecoder decoder = new FrameDecoder(options);
    DecodedPacket packet = new DecodedPacket();
    Pacer pacer = new Pacer(replay.speed());
    long[] count = {0, 0, 0, started}; // packets, last capture time, frames, last progress report
    long frames;
    try (CaptureFileReader source = CaptureFileReader.open(pcap)) {
      double size = Math.max(1, source.size());
      frames = source.forEach((index, linkType, frame, captured, wire, timeNanos) -> {
        count[2] = index;
        if (decoder.decode(linkType, frame, captured, wire, timeNanos, packet) == null) {
          pacer.await(timeNanos);
          publisher.publish(packet);
          count[0]++;
          count[1] = Math.max(count[1], timeNanos);
        }
        if ((index & 1023) == 0 && System.nanoTime() - count[3] > PROGRESS_EVERY_NANOS) {
          count[3] = System.nanoTime();
          progress.update(index, count[0], source.bytesRead() / size, publisher.stats());
        }
      });
    } catch (CaptureException e) {
      publisher.flush(); // everything before the damage goes out
      throw e;
    }
    if (count[0] > 0) {
      publisher.heartbeat(count[1] + replay.clockAdvance().toNanos());
    }
    publisher.flush();
    progress.update(frames, count[0], 1, publisher.stats());
    return new FilePublishReport(frames, count[0], decoder.counters(), publisher.stats(), count[1],
        Duration.ofNanos(System.nanoTime() - started));
  }
}

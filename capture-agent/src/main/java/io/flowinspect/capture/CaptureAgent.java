package io.flowinspect.capture;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.decode.FrameDecoder;
import io.flowinspect.capture.decode.PacketRecords;
import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.source.CaptureException;
import io.flowinspect.capture.source.PcapFileSource;
import java.nio.file.Path;
import java.time.Duration;

/** Reads a capture, decodes every frame's headers and publishes them: the agent's whole data path. */
public final class CaptureAgent {
  private CaptureAgent() {}

  /**
   * Publishes every decodable packet of {@code pcap} in file order, then a heartbeat at the last
   * packet's time plus {@code clockAdvance}, so that the inspector sees all of it and, if asked,
   * lets idle connections time out as if the capture had continued silently.
   */
  public static FilePublishReport publishFile(Path pcap, DecoderOptions options, PacketPublisher publisher,
      Duration clockAdvance) throws CaptureException {
    long started = System.nanoTime();
    FrameDecoder decoder = new FrameDecoder(options);
    DecodedPacket packet = new DecodedPacket();
    long[] sent = {0};
    long[] last = {0};
    long frames;
    try (PcapFileSource source = PcapFileSource.open(pcap)) {
      frames = source.forEach((index, linkType, frame, captured, wire, timeNanos) -> {
        if (decoder.decode(linkType, frame, captured, wire, timeNanos, packet) == null) {
          publisher.publish(PacketRecords.key(packet), PacketRecords.header(packet));
          sent[0]++;
          last[0] = Math.max(last[0], timeNanos);
        }
      });
    }
    if (sent[0] > 0) {
      publisher.heartbeat(last[0] + clockAdvance.toNanos());
    }
    publisher.flush();
    return new FilePublishReport(frames, sent[0], decoder.counters(), publisher.published(), publisher.heartbeats(),
        publisher.failed(), last[0], Duration.ofNanos(System.nanoTime() - started));
  }
}

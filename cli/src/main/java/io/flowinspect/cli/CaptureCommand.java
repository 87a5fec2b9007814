package io.flowinspect.cli;

import io.flowinspect.capture.CaptureAgent;
import io.flowinspect.capture.FilePublishReport;
import io.flowinspect.capture.ReplayOptions;
import io.flowinspect.capture.publish.Backpressure;
import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.publish.PublisherStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flowinspect capture}: the capture agent. */
@Command(name = "capture", mixinStandardHelpOptions = true,
    description = "Decode packet headers from a capture file and publish them to the packets topic.")
final class CaptureCommand implements Callable<Integer> {
  @Option(names = "--pcap", required = true, paramLabel = "FILE", description = "pcap or pcapng file.")
  Path pcap;

  @Option(names = "--speed", defaultValue = "max", paramLabel = "N|max",
      description = "Replay at the capture's own timing sped up N times (1 = real time), or max (default).")
  String speed;

  @Option(names = "--advance-clock", defaultValue = "0s", paramLabel = "DURATION",
      description = "Send a last heartbeat this long after the last packet, so idle connections time out.")
  String advanceClock;

  @Mixin
  PublishOptions publish = new PublishOptions();

  @Mixin
  EngineOptions engine = new EngineOptions();

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(pcap)) {
      throw new UserError("cannot read capture " + pcap);
    }
    ReplayOptions replay = new ReplayOptions(parseSpeed(), Durations.parse(advanceClock, "--advance-clock"));
    FilePublishReport r;
    try (PacketPublisher publisher = PacketPublisher.connect(publish.bootstrap, publish.topics(),
        publish.publisher(Backpressure.WAIT), publish.producer())) {
      r = CaptureAgent.publishFile(pcap, engine.decoder(), publisher, replay, ProgressLine.onTerminal());
    }
    print(r);
    return r.lost() == 0 ? 0 : 1;
  }

  private void print(FilePublishReport r) {
    PublisherStats s = r.publisher();
    System.out.printf(Locale.ROOT, "%s: %d frames, %d packets in %d records (%.1f per record) to %s%n",
        pcap.getFileName(), r.frames(), r.packets(), s.recordsSent() - s.heartbeats(), s.packetsPerRecord(),
        publish.topics().packets().name());
    System.out.printf(Locale.ROOT, "  %.0f packets/s, %.0f records/s over %.2f s; %d heartbeats; acknowledged %d, "
            + "dropped %d, failed %d%n", r.packetsPerSecond(), r.recordsPerSecond(), r.elapsed().toNanos() / 1e9,
        s.heartbeats(), s.packetsAcked(), s.packetsDropped(), s.packetsFailed());
    System.out.println("  decoder: " + r.decoder());
  }

  private double parseSpeed() {
    if (speed.equalsIgnoreCase("max")) {
      return 0;
    }
    try {
      double v = Double.parseDouble(speed);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UserError("--speed must be a positive number or max, not " + speed);
  }
}

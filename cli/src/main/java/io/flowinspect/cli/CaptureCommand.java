package io.flowinspect.cli;

import io.flowinspect.capture.CaptureAgent;
import io.flowinspect.capture.FilePublishReport;
import io.flowinspect.capture.LiveCapture;
import io.flowinspect.capture.LiveStatus;
import io.flowinspect.capture.ReplayOptions;
import io.flowinspect.capture.publish.Backpressure;
import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.publish.PublisherStats;
import io.flowinspect.capture.source.LiveOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flowinspect capture}: the capture agent. */
@Command(name = "capture", mixinStandardHelpOptions = true,
    description = "Decode packet headers from an interface or a capture file and publish them to the packets topic.")
final class CaptureCommand implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--pcap", required = true, paramLabel = "FILE", description = "pcap or pcapng file.")
    Path pcap;

    @Option(names = "--interface", required = true, paramLabel = "IF", description = "Capture live from this interface.")
    String iface;
  }

  @Option(names = "--filter", paramLabel = "BPF", description = "Interface only: a BPF capture filter.")
  String filter;

  @Option(names = "--snaplen", defaultValue = "262144", paramLabel = "BYTES",
      description = "Interface only: bytes kept of each frame. Headers need ~128; FTP lines need whole port-21 segments.")
  int snaplen;

  @Option(names = "--promisc", description = "Interface only: promiscuous mode (needed on a SPAN or TAP port).")
  boolean promiscuous;

  @Option(names = "--buffer-size", defaultValue = "67108864", paramLabel = "BYTES",
      description = "Interface only: the kernel's capture buffer. Default: 64 MiB.")
  int bufferSize;

  @Option(names = "--stats-every", defaultValue = "10s", paramLabel = "DURATION",
      description = "Interface only: how often to print capture statistics. Default: 10s.")
  String statsEvery;

  @Option(names = "--speed", defaultValue = "max", paramLabel = "N|max",
      description = "Replay at the capture's own timing sped up N times (1 = real time), or max (default).")
  String speed;

  @Option(names = "--advance-clock", defaultValue = "0s", paramLabel = "DURATION",
      description = "Send a last heartbeat this long after the last packet, so idle connections time out.")
  String advanceClock;

  @Mixin
  PublishOptions publish = new PublishOptions();

  @Mixin
  DecodeOptions decode = new DecodeOptions();

  @Override
  public Integer call() throws Exception {
    return source.iface != null ? live() : file();
  }

  private int live() throws Exception {
    LiveOptions options = LiveOptions.of(source.iface).withFilter(filter).withSnapLength(snaplen)
        .withPromiscuous(promiscuous).withBufferSizeBytes(bufferSize);
    CountDownLatch finished = new CountDownLatch(1);
    try (PacketPublisher publisher = PacketPublisher.connect(publish.cluster.bootstrap, publish.topics(),
        publish.publisher(Backpressure.DROP), publish.producer());
        LiveCapture capture = LiveCapture.open(options, decode.decoder(), publisher)) {
      // SIGTERM or Ctrl-C: stop capturing, then let run() flush and report before the JVM goes.
      Thread hook = new Thread(() -> {
        capture.stop();
        try {
          finished.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "flowinspect-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      System.err.println("capturing on " + source.iface + " (Ctrl-C or SIGTERM stops, flushes and reports)");
      LiveStatus last = capture.run(0, Durations.parse(statsEvery, "--stats-every"),
          status -> System.err.println(status.line()));
      System.out.println("capture ended: " + last.line());
      System.out.println("  decoder: " + last.decoder());
      finished.countDown();
      return last.publisher().packetsDropped() + last.publisher().packetsFailed() == 0 ? 0 : 1;
    } finally {
      finished.countDown();
    }
  }

  private int file() throws Exception {
    Path pcap = source.pcap;
    if (!Files.isReadable(pcap)) {
      throw new UserError("cannot read capture " + pcap);
    }
    ReplayOptions replay = new ReplayOptions(parseSpeed(), Durations.parse(advanceClock, "--advance-clock"));
    FilePublishReport r;
    try (PacketPublisher publisher = PacketPublisher.connect(publish.cluster.bootstrap, publish.topics(),
        publish.publisher(Backpressure.WAIT), publish.producer())) {
      r = CaptureAgent.publishFile(pcap, decode.decoder(), publisher, replay, ProgressLine.onTerminal());
    }
    print(pcap, r);
    return r.lost() == 0 ? 0 : 1;
  }

  private void print(Path pcap, FilePublishReport r) {
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

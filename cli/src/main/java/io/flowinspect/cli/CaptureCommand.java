package io.flowinspect.cli;

import io.flowinspect.capture.CaptureAgent;
import io.flowinspect.capture.FilePublishReport;
import io.flowinspect.capture.publish.Partitioning;
import io.flowinspect.capture.publish.PacketPublisher;
import io.flowinspect.capture.publish.PublisherOptions;
import io.flowinspect.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flowinspect capture}: the capture agent, publishing a capture file to Kafka. */
@Command(name = "capture", mixinStandardHelpOptions = true,
    description = "Decode a capture file's packet headers and publish them to the packets topic.")
final class CaptureCommand implements Callable<Integer> {
  @Option(names = "--pcap", required = true, paramLabel = "FILE", description = "pcap or pcapng file.")
  Path pcap;

  @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
  String bootstrap;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Default: flowinspect.")
  String prefix;

  @Option(names = "--sensor", defaultValue = "agent", description = "This agent's name in every record.")
  String sensor;

  @Option(names = "--partitioning", defaultValue = "address_pair",
      description = "address_pair (default: related connections meet in one task) or five_tuple.")
  Partitioning partitioning;

  @Option(names = "--heartbeat", defaultValue = "1s", paramLabel = "DURATION",
      description = "Capture time between heartbeats to every partition, e.g. 1s, 500ms.")
  String heartbeat;

  @Option(names = "--advance-clock", defaultValue = "0s", paramLabel = "DURATION",
      description = "Send a last heartbeat this long after the last packet, so idle connections time out.")
  String advanceClock;

  @Mixin
  EngineOptions engine = new EngineOptions();

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(pcap)) {
      throw new UserError("cannot read capture " + pcap);
    }
    Topics topics = Topics.withPrefix(prefix);
    PublisherOptions options = new PublisherOptions(sensor, partitioning, Durations.parse(heartbeat, "--heartbeat"));
    FilePublishReport r;
    try (PacketPublisher publisher = PacketPublisher.connect(bootstrap, topics, options, new Properties())) {
      r = CaptureAgent.publishFile(pcap, engine.decoder(), publisher, Durations.parse(advanceClock, "--advance-clock"));
    }
    System.out.printf("%s: %d frames, %d packets published to %s (%.0f packets/s), %d heartbeats, %d failed%n",
        pcap.getFileName(), r.frames(), r.packets(), topics.packets().name(), r.packetsPerSecond(), r.heartbeats(),
        r.failed());
    System.out.println("  decoder: " + r.decoder());
    return r.failed() == 0 ? 0 : 1;
  }
}

package io.flowinspect.cli;

import io.flowinspect.inspect.engine.CtState;
import io.flowinspect.inspect.engine.Decision;
import io.flowinspect.inspect.engine.FlowKey;
import io.flowinspect.inspect.output.AlertEvent;
import io.flowinspect.inspect.output.FlowSummary;
import io.flowinspect.inspect.output.InspectionSink;
import io.flowinspect.inspect.output.VerdictEvent;
import io.flowinspect.offline.FlowJsonWriter;
import io.flowinspect.offline.FrameResult;
import io.flowinspect.offline.OfflineInspection;
import io.flowinspect.offline.PacketReportWriter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flowinspect inspect}: the engine over a capture file, without a broker. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Inspect a pcap/pcapng file offline with the same engine as the Kafka Streams inspector.")
final class InspectCommand implements Callable<Integer> {
  @Option(names = "--pcap", required = true, paramLabel = "FILE", description = "Capture to inspect.")
  Path pcap;

  @Option(names = "--packets-out", paramLabel = "OUT.tsv",
      description = "Write one line per frame (idx, state, dir, proto, tuple, info), in ct-oracle's columns.")
  Path packetsOut;

  @Option(names = "--flows-out", paramLabel = "FLOWS.jsonl", description = "Write one JSON line per connection.")
  Path flowsOut;

  @Mixin
  EngineOptions engine = new EngineOptions();

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(pcap)) {
      throw new UserError("cannot read capture " + pcap);
    }
    OfflineInspection.Options options = new OfflineInspection.Options(engine.tracker(), engine.ruleSet(),
        engine.decoder());
    Tally tally = new Tally();
    try (PacketReportWriter packets = packetsOut == null ? null : new PacketReportWriter(packetsOut);
        FlowJsonWriter flows = flowsOut == null ? null : new FlowJsonWriter(flowsOut)) {
      tally.flows = flows;
      Consumer<FrameResult> frames = packets == null ? f -> { } : packets;
      OfflineInspection.Summary s = OfflineInspection.run(pcap, options, frames, tally);
      print(System.out, s, tally);
    }
    return 0;
  }

  private void print(PrintStream out, OfflineInspection.Summary s, Tally t) {
    out.printf("%s: %d frames, %d inspected, %d not IP, %d skipped%s%n", pcap.getFileName(), s.frames(), s.inspected(),
        s.nonIp(), s.skipped().values().stream().mapToLong(Long::longValue).sum(),
        s.skipped().isEmpty() ? "" : " " + s.skipped().entrySet().stream()
            .map(e -> e.getKey().label() + "=" + e.getValue()).toList());
    StringBuilder states = new StringBuilder("  packets:");
    for (CtState state : CtState.values()) {
      states.append(' ').append(state.label()).append(' ').append(s.packetsByState().getOrDefault(state, 0L));
    }
    out.println(states);
    out.printf("  connections: %d (allowed %d, denied %d), alerts %d, ended %d, open at end of capture %d%n",
        t.verdicts, t.allowed, t.verdicts - t.allowed, t.alerts, t.ended - s.connectionsOpenAtEnd(),
        s.connectionsOpenAtEnd());
    if (packetsOut != null) {
      out.println("  packet report: " + packetsOut);
    }
    if (flowsOut != null) {
      out.println("  flow records: " + flowsOut);
    }
  }

  /** Counts what the engine reports and writes flow records as they come. */
  private static final class Tally implements InspectionSink {
    FlowJsonWriter flows;
    long verdicts;
    long allowed;
    long alerts;
    long ended;

    @Override
    public void verdict(FlowKey key, VerdictEvent verdict) {
      if (verdict != null) {
        verdicts++;
        allowed += verdict.decision() == Decision.ALLOW ? 1 : 0;
      }
    }

    @Override
    public void alert(FlowKey key, AlertEvent alert) {
      alerts++;
    }

    @Override
    public void flowEnded(FlowKey key, FlowSummary flow) {
      ended++;
      if (flows != null) {
        flows.write(flow);
      }
    }
  }
}

package io.flowinspect.cli;

import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.inspect.engine.StateLimits;
import io.flowinspect.inspect.engine.Timeouts;
import io.flowinspect.inspect.engine.TrackerConfig;
import io.flowinspect.inspect.policy.Cidr;
import io.flowinspect.inspect.policy.RuleSet;
import io.flowinspect.inspect.policy.RuleSetLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of the inspection engine (and of the decoder that feeds it), shared by the commands that run it. */
final class EngineOptions {
  enum TimeoutProfile { LINUX, MONITORING }

  @Option(names = "--rules", paramLabel = "FILE", description = "Rule set (YAML). Default: private networks are home; "
      + "outbound allowed, inbound denied.")
  Path rules;

  @Option(names = "--home", split = ",", paramLabel = "CIDR", description = "Home networks, overriding the rule file's.")
  List<String> home;

  @Option(names = "--pickup", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Track TCP connections whose handshake was not seen (conntrack's tcp_loose). Default: on.")
  boolean pickup;

  @Option(names = "--liberal", description = "Accept out-of-window TCP segments (conntrack's tcp_be_liberal), for "
      + "lossy or one-sided feeds.")
  boolean liberal;

  @Option(names = "--timeouts", defaultValue = "linux", paramLabel = "PROFILE",
      description = "Timeout profile: linux (conntrack's defaults) or monitoring (established TCP idle 5 min).")
  TimeoutProfile timeouts;

  @Option(names = "--timeout", paramLabel = "NAME=DURATION",
      description = "Change one timeout, e.g. tcp.established=1h (repeatable). Names: tcp.syn_sent, tcp.syn_recv, "
          + "tcp.established, tcp.fin_wait, tcp.close_wait, tcp.last_ack, tcp.time_wait, tcp.close, tcp.retransmit, "
          + "tcp.unacknowledged, udp.unreplied, udp.stream, icmp, generic, ftp.expectation.")
  java.util.Map<String, String> timeoutOverrides = new java.util.LinkedHashMap<>();

  @Option(names = "--max-connections", defaultValue = "4000000", paramLabel = "N",
      description = "Most connections tracked per task; past 60%% of it timeouts shrink, at it unanswered connections "
          + "are evicted. Default: 4000000.")
  long maxConnections;

  @Mixin
  DecodeOptions decode = new DecodeOptions();

  TrackerConfig tracker() {
    Timeouts t = timeouts == TimeoutProfile.MONITORING ? Timeouts.monitoring() : Timeouts.linux();
    for (java.util.Map.Entry<String, String> e : timeoutOverrides.entrySet()) {
      t = t.with(e.getKey(), Durations.parse(e.getValue(), "--timeout " + e.getKey()));
    }
    return new TrackerConfig(pickup, liberal, decode.checksums, decode.ftpPorts, t, StateLimits.of(maxConnections));
  }

  DecoderOptions decoder() {
    return decode.decoder();
  }

  RuleSet ruleSet() {
    RuleSet base;
    if (rules == null) {
      base = RuleSet.privateNetworksAsHome();
    } else {
      if (!Files.isReadable(rules)) {
        throw new UserError("cannot read rule file " + rules);
      }
      base = RuleSetLoader.load(rules);
    }
    if (home == null || home.isEmpty()) {
      return base;
    }
    List<Cidr> networks = home.stream().map(Cidr::parse).toList();
    return new RuleSet(base.version(), networks, base.rules(), Map.copyOf(base.defaults()));
  }
}

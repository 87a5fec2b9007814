package io.flowinspect.cli;

import io.flowinspect.capture.decode.DecoderOptions;
import picocli.CommandLine.Option;

/** Options of the header decoder, shared by the agent and the offline inspector. */
final class DecodeOptions {
  @Option(names = "--checksums", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Verify TCP/UDP/ICMP checksums; bad ones are INVALID (conntrack's nf_conntrack_checksum). "
          + "Default: on.")
  boolean checksums;

  @Option(names = "--ftp-ports", split = ",", defaultValue = "21", paramLabel = "PORT",
      description = "Server ports of FTP control connections. Default: 21.")
  int[] ftpPorts;

  @Option(names = "--zone", defaultValue = "0", paramLabel = "N", description = "Zone written into every flow key.")
  int zone;

  DecoderOptions decoder() {
    return new DecoderOptions(zone, checksums, ftpPorts, DecoderOptions.defaults().maxFtpLine());
  }
}

package io.flowinspect.capture.decode;

import java.util.Arrays;

/**
 * How {@link FrameDecoder} decodes.
 *
 * @param zone copied into every key, like a conntrack zone: sensors whose address spaces overlap
 *     must use different zones
 * @param verifyChecksums verify TCP/UDP/ICMP checksums, as the kernel's {@code
 *     nf_conntrack_checksum=1}; turn off for captures taken on a host with checksum offload. The
 *     IPv4 header checksum is always verified: the kernel drops bad headers before conntrack.
 * @param ftpPorts TCP ports of FTP control connections, whose PORT/EPRT/227/229 lines are kept
 * @param maxFtpLine longest FTP line kept, in bytes
 */
public record DecoderOptions(int zone, boolean verifyChecksums, int[] ftpPorts, int maxFtpLine) {
  public DecoderOptions {
    if (zone < 0) throw new IllegalArgumentException("zone < 0: " + zone);
    if (ftpPorts == null) throw new NullPointerException("ftpPorts == null");
    ftpPorts = ftpPorts.clone();
    for (int port : ftpPorts) {
      if (port < 0 || port > 0xffff) throw new IllegalArgumentException("ftp port out of range: " + port);
    }
    if (maxFtpLine <= 0) throw new IllegalArgumentException("maxFtpLine <= 0: " + maxFtpLine);
  }

  /** Zone 0, checksums verified, FTP on port 21, lines of at most 128 bytes (the PacketHeader limit). */
  public static DecoderOptions defaults() {
    return new DecoderOptions(0, true, new int[] {21}, 128);
  }

  @Override
  public int[] ftpPorts() {
    return ftpPorts.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DecoderOptions other
        && zone == other.zone
        && verifyChecksums == other.verifyChecksums
        && Arrays.equals(ftpPorts, other.ftpPorts)
        && maxFtpLine == other.maxFtpLine;
  }

  @Override
  public int hashCode() {
    return ((zone * 31 + Boolean.hashCode(verifyChecksums)) * 31 + Arrays.hashCode(ftpPorts)) * 31
        + maxFtpLine;
  }

  @Override
  public String toString() {
    return "DecoderOptions[zone=" + zone + ", verifyChecksums=" + verifyChecksums
        + ", ftpPorts=" + Arrays.toString(ftpPorts) + ", maxFtpLine=" + maxFtpLine + "]";
  }
}

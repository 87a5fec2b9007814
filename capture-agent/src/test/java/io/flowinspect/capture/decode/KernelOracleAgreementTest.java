package io.flowinspect.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.capture.source.SharedCaptures;
import io.flowinspect.capture.source.SharedCaptures.Frame;
import io.flowinspect.schemas.PacketFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Lines the decoder up with what the Linux kernel did with every packet of the shared captures
 * (pcaps/oracle, from tools/ct-oracle): packets the kernel classified are decoded, with the same
 * protocol, tuple and details; packets it dropped before conntrack are skipped for a matching
 * reason; and packets conntrack matched to an earlier connection have the key of an earlier packet,
 * from the side the kernel's direction says.
 */
class KernelOracleAgreementTest {
  private static final Set<String> CLASSIFIED = Set.of("new", "established", "related", "invalid", "untracked");
  private static final Set<SkipReason> NOT_IP = EnumSet.of(SkipReason.NON_IP, SkipReason.UNSUPPORTED_LINK_TYPE, SkipReason.TRUNCATED_LINK);
  private static final Set<SkipReason> BROKEN_IP = EnumSet.of(SkipReason.TRUNCATED_IP, SkipReason.BAD_IP_VERSION);
  /** What ip_rcv and ipv6_rcv drop before conntrack. */
  private static final Set<SkipReason> KERNEL_DROPS = EnumSet.of(
      SkipReason.IPV4_BAD_CHECKSUM, SkipReason.IPV4_BAD_HEADER_LENGTH, SkipReason.IPV4_BAD_TOTAL_LENGTH,
      SkipReason.IPV6_BAD_PAYLOAD_LENGTH, SkipReason.IPV6_BAD_EXTENSION_HEADER);
  /** The oracle replays only the captured bytes, so the kernel drops a cut frame; we may still read its headers. */
  private static final Set<SkipReason> CUT_BY_SNAP_LENGTH = EnumSet.of(
      SkipReason.TRUNCATED_IP, SkipReason.TRUNCATED_TRANSPORT, SkipReason.IPV4_BAD_TOTAL_LENGTH,
      SkipReason.IPV6_BAD_PAYLOAD_LENGTH);

  private record Row(int index, String state, String direction, String protocol, String tuple, String info) {
    static Row parse(String line) {
      String[] f = line.split("\t", -1);
      String info = f[5].replace(" reassembled", "").replace(" truncated-in-pcap", "").replace("truncated-in-pcap", "");
      return new Row(Integer.parseInt(f[0]), f[1], f[2], f[3], f[4], info.strip());
    }
  }

  @Test
  void decoderAgreesWithTheKernelOnEveryPacketOfTheSharedCaptures() throws Exception {
    List<String> disagreements = new ArrayList<>();
    int[] matchedConnections = {0};
    int compared = 0;
    for (Path capture : SharedCaptures.all()) {
      Path oracle = SharedCaptures.oracle(capture);
      if (oracle == null) continue;
      compared += compare(capture, oracle, disagreements, matchedConnections);
    }
    assertThat(compared).as("oracle rows compared").isGreaterThan(80_000);
    assertThat(matchedConnections[0]).as("packets checked against their connection's key").isGreaterThan(80_000);
    assertThat(disagreements).as("disagreements with the kernel oracle").isEmpty();
  }

  private static int compare(Path capture, Path oracle, List<String> disagreements, int[] matchedConnections)
      throws Exception {
    List<Frame> frames = SharedCaptures.frames(capture);
    List<Row> rows = Files.readAllLines(oracle).stream().filter(l -> !l.startsWith("#")).map(Row::parse).toList();
    String name = capture.getFileName().toString();
    if (rows.size() != frames.size()) {
      disagreements.add(name + ": " + frames.size() + " frames but " + rows.size() + " oracle rows");
      return 0;
    }
    FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
    DecodedPacket p = new DecodedPacket();
    Map<String, Boolean> originalFromHigh = new HashMap<>();
    for (Row row : rows) {
      Frame f = frames.get(row.index() - 1);
      SkipReason reason = decoder.decode(f.linkType(), f.bytes(), f.capturedLength(), f.wireLength(), f.timeNanos(), p);
      String where = name + " #" + row.index() + " (" + row.state() + " " + row.tuple() + " " + row.info() + "): ";
      String problem = replayedByTheOracle(f.linkType()) || !row.state().equals("non-ip")
          ? disagreement(row, reason, p, originalFromHigh, matchedConnections)
          : null;
      if (problem != null) disagreements.add(where + problem);
    }
    return rows.size();
  }

  /**
   * ct-oracle replays frames as Ethernet; PPP frames it cannot rewrite, so it reports all of them
   * "non-ip" whatever they carry, and the kernel never judged them.
   */
  private static boolean replayedByTheOracle(int linkType) {
    return linkType != LinkTypes.PPP && linkType != LinkTypes.PPP_SERIAL;
  }

  private static String disagreement(
      Row row, SkipReason reason, DecodedPacket p, Map<String, Boolean> originalFromHigh, int[] matchedConnections) {
    switch (row.state()) {
      case "non-ip":
        return reason != null && NOT_IP.contains(reason) ? null : "kernel: not IP; decoder: " + outcome(reason, p);
      case "not-ip":
        return reason != null && BROKEN_IP.contains(reason) ? null : "kernel: broken IP; decoder: " + outcome(reason, p);
      case "frag":
        // The oracle calls every fragment it did not see logged "frag", dropped or held alike.
        if (reason == SkipReason.FRAGMENT || KERNEL_DROPS.contains(reason)) return null;
        if (reason == null && (p.flags() & PacketFlags.FIRST_FRAGMENT) != 0) return sameText(row, p);
        return "kernel: fragment; decoder: " + outcome(reason, p);
      case "not-seen":
        if (reason != null && (KERNEL_DROPS.contains(reason) || CUT_BY_SNAP_LENGTH.contains(reason))) return null;
        if (reason == null && (p.flags() & PacketFlags.CHECKSUM_UNVERIFIED) != 0) return sameText(row, p);
        return "kernel dropped it before conntrack; decoder: " + outcome(reason, p);
      default:
        if (!CLASSIFIED.contains(row.state())) return "unknown oracle state";
    }
    // The kernel judged the reassembled datagram; a first fragment without its whole transport
    // header cannot be keyed without reassembly, which the decoder does not do.
    if (reason == SkipReason.FRAGMENT && row.info().startsWith("frag(")) return null;
    if (reason != null) return "kernel classified it; decoder skipped it: " + reason.label();
    String text = sameText(row, p);
    if (text != null) return text;
    String key = PacketRecords.key(p).toString();
    boolean isError = (p.flags() & PacketFlags.ICMP_ERROR) != 0;
    // A connection starts NEW, or RELATED when an FTP expectation created it.
    boolean starts = row.state().equals("new") || (row.state().equals("related") && !isError);
    if (starts && row.direction().equals("original")) {
      originalFromHigh.put(key, p.fromHigh());
      return null;
    }
    if (row.state().equals("established") || (row.state().equals("related") && isError)) {
      Boolean original = originalFromHigh.get(key);
      if (original == null) return "kernel matched a connection; no earlier packet had key " + key;
      matchedConnections[0]++;
      boolean expected = row.direction().equals("original") ? original : !original;
      if (p.fromHigh() != expected) return "sent from the " + (p.fromHigh() ? "high" : "low") + " side, kernel says " + row.direction();
    }
    return null;
  }

  private static String sameText(Row row, DecodedPacket p) {
    if (!p.protocolName().equals(row.protocol())) return "protocol " + p.protocolName();
    if (!p.describeTuple().equals(row.tuple())) return "tuple " + p.describeTuple();
    if ((p.flags() & PacketFlags.TRANSPORT_MALFORMED) != 0) return null;
    // The oracle counts a cut frame's captured bytes and a first fragment's whole datagram; the
    // decoder counts what the wire carried in this packet.
    boolean partial = (p.flags() & (PacketFlags.FIRST_FRAGMENT | PacketFlags.CHECKSUM_UNVERIFIED)) != 0;
    String ours = partial ? withoutLength(p.describeInfo()) : p.describeInfo();
    String theirs = partial ? withoutLength(row.info()) : row.info();
    return ours.equals(theirs) ? null : "info " + p.describeInfo();
  }

  private static String withoutLength(String info) {
    return info.replaceAll(" ?len=-?[0-9]+", "");
  }

  private static String outcome(SkipReason reason, DecodedPacket p) {
    return reason != null ? "skipped " + reason.label() : "decoded " + p;
  }
}

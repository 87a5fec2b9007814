package io.flowinspect.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowinspect.capture.source.SharedCaptures;
import io.flowinspect.capture.source.SharedCaptures.Frame;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark's dissectors as a second opinion: for every frame tshark reads as IP carrying TCP or
 * UDP (ICMP aside, whose quoted headers tshark also shows), the decoder must find the same first
 * addresses, ports and TCP flags, or skip the frame for one of the deliberate reasons listed. The
 * captures are merged into one file so that tshark starts once.
 */
class TsharkAgreementTest {
  /** Frames tshark reads as TCP/UDP and the decoder deliberately does not. */
  private record Deliberate(String capture, String outcome, int frames, String why) {}

  private static final String ZERO_HEADER_CHECKSUM =
      "IPv4 header checksum 0 (sent with checksum offload, or synthetic): the kernel drops these before conntrack";
  private static final String NO_REASSEMBLY =
      "first fragment ends inside the TCP header; only reassembly could key it, the kernel keys the reassembled SYN";
  private static final String LENGTH_PAST_FRAME =
      "IPv4 total length past the end of the frame: the kernel drops it; tshark reads what is there";

  private static final List<Deliberate> DELIBERATE = List.of(
      new Deliberate("arkime_no-syn-ack.pcap", "skipped ipv4-bad-checksum", 10,
          "header checksums that do not match the headers (addresses rewritten): the kernel drops them"),
      new Deliberate("arkime_tcpseq_synthetic.pcap", "skipped ipv4-bad-checksum", 2, ZERO_HEADER_CHECKSUM),
      new Deliberate("zeek_pcapng-multi-interface.pcapng", "skipped ipv4-bad-checksum", 2, ZERO_HEADER_CHECKSUM),
      new Deliberate("zeek_tcp_retransmit-fast009.pcap", "skipped ipv4-bad-checksum", 39, ZERO_HEADER_CHECKSUM),
      new Deliberate("tcpdump_tcp_header_heapoverflow.pcap", "skipped ipv4-bad-checksum", 1,
          "fuzzed header with a wrong checksum: the kernel drops it"),
      new Deliberate("sv_defrag_bug-6887-defrag-eth-vlan-ipv4-tcp-syn.pcap", "skipped fragment", 1, NO_REASSEMBLY),
      new Deliberate("zeek_ipv4_fragmented-syn.pcap", "skipped fragment", 1, NO_REASSEMBLY),
      new Deliberate("sv_ipv4-truncated.pcap", "skipped ipv4-bad-total-length", 1, LENGTH_PAST_FRAME),
      new Deliberate("tcpdump_ipv4_invalid_total_length.pcap", "skipped ipv4-bad-total-length", 1, LENGTH_PAST_FRAME),
      new Deliberate("zeek_tcp_truncated-header.pcap", "skipped truncated-transport", 1,
          "the snap length cut the TCP header, so the packet cannot be keyed; tshark shows the ports that survived"),
      new Deliberate("tcpdump_mpls-traceroute.pcap", "skipped non-ip", 9,
          "MPLS inside PPP: the sensor does not look under MPLS labels (nor does the kernel's conntrack); tshark does"));

  @TempDir Path temp;

  private record Fields(String src4, String src6, String dst4, String dst6, String tcpSrc, String udpSrc,
      String tcpDst, String udpDst, String tcpFlags, boolean icmp) {
    static Fields parse(String line) {
      String[] f = line.split("\t", -1);
      return new Fields(first(f[1]), first(f[2]), first(f[3]), first(f[4]), first(f[5]), first(f[6]),
          first(f[7]), first(f[8]), first(f[9]), !f[10].isEmpty() || !f[11].isEmpty());
    }

    private static String first(String values) {
      int comma = values.indexOf(',');
      return comma < 0 ? values : values.substring(0, comma);
    }

    boolean tcpOrUdp() {
      return !icmp && (!tcpSrc.isEmpty() || !udpSrc.isEmpty());
    }
  }

  @Test
  void decoderReadsTheSameAddressesPortsAndFlagsAsTshark() throws Exception {
    List<Path> captures = SharedCaptures.all();
    assumeTrue(runs("tshark", "-v") && runs("mergecap", "-v"),
        "tshark and mergecap not installed (apt-get install -y tshark): comparison skipped");
    Path merged = temp.resolve("all.pcapng");
    List<String> merge = new ArrayList<>(List.of("mergecap", "-a", "-F", "pcapng", "-w", merged.toString()));
    captures.forEach(c -> merge.add(c.toString()));
    run(merge, temp.resolve("mergecap.out"));
    Path fields = temp.resolve("fields.tsv");
    run(List.of("tshark", "-r", merged.toString(), "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
        "-T", "fields", "-E", "separator=/t",
        "-e", "frame.number", "-e", "ip.src", "-e", "ipv6.src", "-e", "ip.dst", "-e", "ipv6.dst",
        "-e", "tcp.srcport", "-e", "udp.srcport", "-e", "tcp.dstport", "-e", "udp.dstport", "-e", "tcp.flags",
        "-e", "icmp.type", "-e", "icmpv6.type"), fields);
    List<String> lines = Files.readAllLines(fields);

    List<String> disagreements = new ArrayList<>();
    Map<String, Integer> deliberate = new TreeMap<>();
    Map<String, Integer> expected = new TreeMap<>();
    DELIBERATE.forEach(d -> expected.put(d.capture() + ": " + d.outcome(), d.frames()));
    int compared = 0;
    int line = 0;
    for (Path capture : captures) {
      FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
      DecodedPacket p = new DecodedPacket();
      for (Frame f : SharedCaptures.frames(capture)) {
        assertThat(line).as("tshark rows").isLessThan(lines.size());
        Fields t = Fields.parse(lines.get(line++));
        if (!t.tcpOrUdp()) continue;
        SkipReason reason = decoder.decode(f.linkType(), f.bytes(), f.capturedLength(), f.wireLength(), f.timeNanos(), p);
        String where = capture.getFileName() + " #" + f.index() + ": ";
        boolean tcp = !t.tcpSrc().isEmpty();
        if (reason != null || p.protocol() != (tcp ? 6 : 17) || !p.hasPorts) {
          String what = reason != null ? "skipped " + reason.label() : "decoded " + p;
          String key = capture.getFileName() + ": " + what;
          if (expected.containsKey(key)) deliberate.merge(key, 1, Integer::sum);
          else disagreements.add(where + what + "; tshark: " + t);
          continue;
        }
        compared++;
        String problem = compare(t, tcp, p);
        if (problem != null) disagreements.add(where + problem + "; decoded " + p);
      }
    }
    assertThat(line).as("tshark rows for the frames read").isEqualTo(lines.size());
    assertThat(compared).as("frames compared").isGreaterThan(80_000);
    assertThat(disagreements).as("disagreements with tshark").isEmpty();
    assertThat(deliberate).as("deliberate disagreements").isEqualTo(expected);
  }

  private static String compare(Fields t, boolean tcp, DecodedPacket p) throws IOException {
    String src = p.ipVersion() == 4 ? t.src4() : t.src6();
    String dst = p.ipVersion() == 4 ? t.dst4() : t.dst6();
    if (!sameAddress(src, p.srcAddress(), p.addressLength())) return "source " + src;
    if (!sameAddress(dst, p.dstAddress(), p.addressLength())) return "destination " + dst;
    if (Integer.parseInt(tcp ? t.tcpSrc() : t.udpSrc()) != p.srcPort()) return "source port";
    if (Integer.parseInt(tcp ? t.tcpDst() : t.udpDst()) != p.dstPort()) return "destination port";
    if (tcp && !t.tcpFlags().isEmpty() && (Integer.decode(t.tcpFlags()) & 0xff) != p.tcpFlags()) return "flags " + t.tcpFlags();
    return null;
  }

  private static boolean sameAddress(String text, byte[] address, int length) throws IOException {
    if (text.isEmpty()) return false;
    // Both sides through InetAddress, which also folds ::ffff:a.b.c.d into IPv4 the same way.
    return InetAddress.getByName(text).equals(InetAddress.getByAddress(Arrays.copyOf(address, length)));
  }

  private static boolean runs(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void run(List<String> command, Path output) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command)
        .redirectOutput(output.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command.get(0)).isTrue();
    assertThat(process.exitValue()).as("%s exit status", command.get(0)).isZero();
  }
}

package io.flowinspect.inspect.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Community ID v1 against the spec's published vectors (community-id-spec,
 * baseline/baseline_deflt.json and baseline_seed1.json: the flows of the spec's sample captures,
 * ICMP given as type and code) and against Zeek's baselines in ../shared.
 */
class CommunityIdTest {
  @ParameterizedTest(name = "{0} {1}:{2} > {3}:{4}")
  @CsvSource({
      "58, fe80::200:86ff:fe05:80da, 135, fe80::260:97ff:fe07:69ea, 136, 1:dGHyGvjMfljg6Bppwm3bg0LO8TY=, 1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY=",
      "58, fe80::260:97ff:fe07:69ea, 136, fe80::200:86ff:fe05:80da, 135, 1:dGHyGvjMfljg6Bppwm3bg0LO8TY=, 1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY=",
      "58, fe80::260:97ff:fe07:69ea, 135, fe80::200:86ff:fe05:80da, 136, 1:zavyT/cezQr1fmImYCwYnMXbgck=, 1:2hSqmsDZ2kdcY9kbiUzOEBic0iM=",
      "58, fe80::200:86ff:fe05:80da, 136, fe80::260:97ff:fe07:69ea, 135, 1:zavyT/cezQr1fmImYCwYnMXbgck=, 1:2hSqmsDZ2kdcY9kbiUzOEBic0iM=",
      "58, 3ffe:501:1800:2345::2, 3, 3ffe:507:0:1:200:86ff:fe05:80da, 0, 1:2ObVBgIn28oZvibYZhZMBgh7WdQ=, 1:lVEtCZpYu84Xqaa++3lXFyuu2n4=",
      "58, 3ffe:501:410:0:2c0:dfff:fe47:33e, 1, 3ffe:507:0:1:200:86ff:fe05:80da, 4, 1:hLZd0XGWojozrvxqE0dWB1iM6R0=, 1:W8MHwXpWzpoSTD+cGcaJr4u0ys8=",
      "58, 3ffe:507:0:1:200:86ff:fe05:80da, 128, 3ffe:501:0:1001::2, 129, 1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=, 1:GfZxjAkDk2MkegpBYHV6tadtFXQ=",
      "58, 3ffe:501:0:1001::2, 129, 3ffe:507:0:1:200:86ff:fe05:80da, 128, 1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=, 1:GfZxjAkDk2MkegpBYHV6tadtFXQ=",
      "58, fe80::200:86ff:fe05:80da, 133, ff02::2, 134, 1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=, 1:L7Ka0ZMYu+J3bL4ulW2PrqyXNo8=",
      "58, fe80::260:97ff:fe07:69ea, 134, ff02::1, 133, 1:pkvHqCL88/tg1k4cPigmZXUtL00=, 1:K/ee5UCqAMAQXDorP5nSa2CGLjc=",
      "1, 192.168.0.89, 8, 192.168.0.1, 0, 1:X0snYXpgwiv9TZtqg64sgzUn6Dk=, 1:03g6IloqVBdcZlPyX8r0hgoE7kA=",
      "1, 192.168.0.1, 0, 192.168.0.89, 8, 1:X0snYXpgwiv9TZtqg64sgzUn6Dk=, 1:03g6IloqVBdcZlPyX8r0hgoE7kA=",
      "1, 10.0.0.1, 11, 10.0.0.2, 0, 1:YHxtAirCG//0OzkcVAukqKQN9xM=, 1:XjUibYHaafLQ3pxQeiMI8g25q20=",
      "6, 2001:470:e5bf:dead:4957:2174:e82c:4887, 63943, 2607:f8b0:400c:c03::1a, 25, 1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=, 1:eJYTW6AOzFLlSUoESovMjnu7rMw=",
      "6, 2607:f8b0:400c:c03::1a, 25, 2001:470:e5bf:dead:4957:2174:e82c:4887, 63943, 1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=, 1:eJYTW6AOzFLlSUoESovMjnu7rMw=",
      "132, 192.168.170.8, 7, 192.168.170.56, 7, 1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=, 1:5w3ZRjeKBzqT3zsaEECDGjUbYeg=",
      "132, 192.168.170.56, 7, 192.168.170.8, 7, 1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=, 1:5w3ZRjeKBzqT3zsaEECDGjUbYeg=",
      "6, 128.232.110.120, 34855, 66.35.250.204, 80, 1:LQU9qZlK+B5F3KDmev6m5PMibrg=, 1:3V71V58M3Ksw/yuFALMcW0LAHvc=",
      "6, 66.35.250.204, 80, 128.232.110.120, 34855, 1:LQU9qZlK+B5F3KDmev6m5PMibrg=, 1:3V71V58M3Ksw/yuFALMcW0LAHvc=",
      "17, 192.168.1.52, 54585, 8.8.8.8, 53, 1:d/FP5EW3wiY1vCndhwleRRKHowQ=, 1:Q9We8WO3piVF8yEQBNJF4uiSVrI=",
      "17, 8.8.8.8, 53, 192.168.1.52, 54585, 1:d/FP5EW3wiY1vCndhwleRRKHowQ=, 1:Q9We8WO3piVF8yEQBNJF4uiSVrI=",
      // RSVP has no ports: only addresses and protocol are hashed
      "46, 10.1.12.1, 0, 10.1.12.2, 0, 1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=, 1:rYir8gphR31noO9iDRQmF/BteEI=",
      "46, 10.1.12.2, 0, 10.1.12.1, 0, 1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=, 1:rYir8gphR31noO9iDRQmF/BteEI=",
  })
  void matchesTheSpecsBaselines(int protocol, String src, int srcPort, String dst, int dstPort, String seed0,
      String seed1) {
    IpAddress s = IpAddress.parse(src);
    IpAddress d = IpAddress.parse(dst);
    assertThat(CommunityId.of(protocol, s, srcPort, d, dstPort)).isEqualTo(seed0);
    assertThat(CommunityId.of(1, protocol, s, srcPort, d, dstPort)).isEqualTo(seed1);
  }

  @Test
  void isTheSameForBothDirectionsAndForTheSpecsExampleOrdering() {
    // The spec's README: both flows order into 10.0.0.1, 127.0.0.1, 1234, 80.
    IpAddress a = IpAddress.parse("10.0.0.1");
    IpAddress b = IpAddress.parse("127.0.0.1");
    assertThat(CommunityId.of(Protocols.TCP, a, 1234, b, 80)).isEqualTo(CommunityId.of(Protocols.TCP, b, 80, a, 1234));
  }

  @Test
  void equalAddressesAreOrderedByPort() {
    IpAddress a = IpAddress.parse("10.0.0.1");
    assertThat(CommunityId.of(Protocols.UDP, a, 53, a, 40000))
        .isEqualTo(CommunityId.of(Protocols.UDP, a, 40000, a, 53));
  }

  @Test
  void icmpMessagesWithoutACounterpartKeepTheirDirection() {
    IpAddress a = IpAddress.parse("10.0.0.1");
    IpAddress b = IpAddress.parse("10.0.0.2");
    assertThat(CommunityId.of(Protocols.ICMP, a, 3, b, 1)).isNotEqualTo(CommunityId.of(Protocols.ICMP, b, 3, a, 1));
  }

  @Test
  void refusesWhatCannotBeHashed() {
    IpAddress v4 = IpAddress.parse("10.0.0.1");
    IpAddress v6 = IpAddress.parse("::1");
    assertThatThrownBy(() -> CommunityId.of(Protocols.TCP, v4, 1, v6, 2)).hasMessageContaining("families");
    assertThatThrownBy(() -> CommunityId.of(Protocols.TCP, v4, 65536, v4, 2)).hasMessageContaining("srcPort");
    assertThatThrownBy(() -> CommunityId.of(-1, Protocols.TCP, v4, 1, v4, 2)).hasMessageContaining("seed");
  }

  /** bifs.community_id.run-pcaps: Zeek's conn_id (ICMP ports are type and counterpart or code) and its ID. */
  private static final Pattern ZEEK_CONN_ID = Pattern.compile("\\[orig_h=([^,]+), orig_p=(\\d+)/\\w+, "
      + "resp_h=([^,]+), resp_p=(\\d+)/\\w+, proto=(\\d+), ctx=\\[\\]\\], (1:\\S+)");

  @Test
  void matchesZeeksBaselinesForIcmpAndIcmpv6() throws IOException {
    Path dir = zeekBaselines().resolve("bifs.community_id.run-pcaps");
    int compared = 0;
    for (String file : List.of("icmp.pcap.out", "icmp6.pcap.out")) {
      for (String line : Files.readAllLines(dir.resolve(file))) {
        Matcher m = ZEEK_CONN_ID.matcher(line);
        if (!m.matches()) {
          continue;
        }
        String ours = CommunityId.of(Integer.parseInt(m.group(5)), IpAddress.parse(m.group(1)),
            Integer.parseInt(m.group(2)), IpAddress.parse(m.group(3)), Integer.parseInt(m.group(4)));
        assertThat(ours).as(line).isEqualTo(m.group(6));
        compared++;
      }
    }
    assertThat(compared).isEqualTo(15);
  }

  @Test
  void matchesZeeksConnLogOfHttpGet() throws IOException {
    Path cut = zeekBaselines().resolve("scripts.policy.protocols.conn.community-id-logging/conn.log.cut");
    String row = Files.readAllLines(cut).stream().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
    String[] f = row.split("\t");
    assertThat(CommunityId.of(Protocols.TCP, IpAddress.parse(f[0]), Integer.parseInt(f[1]), IpAddress.parse(f[2]),
        Integer.parseInt(f[3]))).isEqualTo(f[6]);
  }

  private static Path zeekBaselines() {
    Path dir = Path.of(System.getProperty("flowinspect.shared.dir", "../../shared"), "pcaps", "expected", "zeek");
    assumeTrue(Files.isDirectory(dir), "skipped: Zeek's baselines are not at " + dir.toAbsolutePath());
    return dir;
  }
}

package io.flowinspect.capture.decode;

import static io.flowinspect.capture.decode.Decoding.decode;
import static io.flowinspect.capture.decode.PacketBuilder.ACK;
import static io.flowinspect.capture.decode.PacketBuilder.FIN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PacketTextTest {
  /** Expected forms printed by glibc's inet_ntop (Python's socket.inet_ntop), which the oracle uses. */
  @ParameterizedTest
  @CsvSource({
      "2001:db8::1, 2001:db8::1",
      "::1, ::1",
      "::, ::",
      "fe80:0:0:1:0:0:0:1, fe80:0:0:1::1",
      "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
      "1:0:0:2:0:0:0:3, 1:0:0:2::3",
      "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
      "::ffff:1.2.3.4, ::ffff:1.2.3.4",
      "::1.2.3.4, ::1.2.3.4",
      "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
      "0:0:0:0:0:1:0:0, ::1:0:0",
      "1::, 1::",
      "::ffff:0:1.2.3.4, ::ffff:0:102:304",
      "0:0:0:0:0:0:0:101, ::101",
  })
  void ipv6AddressesArePrintedAsInetNtopPrintsThem(String input, String expected) {
    assertThat(PacketText.address(ipv6(input), 16)).isEqualTo(expected);
  }

  /** InetAddress turns ::ffff:a.b.c.d into an Inet4Address; put the 16 bytes back. */
  private static byte[] ipv6(String text) {
    byte[] address = PacketBuilder.address(text);
    if (address.length == 16) return address;
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(address, 0, mapped, 12, 4);
    return mapped;
  }

  @Test
  void tupleShowsPortsOnlyForPortProtocols() {
    assertThat(decode(PacketBuilder.tcp("2001:db8::1", 53, "2001:db8::2", 4000).build()).describeTuple())
        .isEqualTo("[2001:db8::1]:53 > [2001:db8::2]:4000");
    assertThat(decode(PacketBuilder.icmp("192.168.100.138", "4.2.2.1", 8, 0).build()).describeTuple())
        .isEqualTo("192.168.100.138 > 4.2.2.1");
  }

  @Test
  void tcpInfoListsFlagsInOracleOrderAndTheDataLength() {
    PacketBuilder b = PacketBuilder.tcp("10.0.0.1", 1, "10.0.0.2", 2);
    assertThat(decode(b.flags(0).build()).describeInfo()).isEqualTo(".");
    assertThat(decode(b.flags(0xff).build()).describeInfo()).isEqualTo("FSRPAUEC");
    assertThat(decode(b.flags(FIN | ACK).build()).describeInfo()).isEqualTo("FA");
    assertThat(decode(b.flags(ACK | 8).payload(new byte[61]).build()).describeInfo()).isEqualTo("PA len=61");
  }

  @Test
  void malformedPacketsSayTheyAreMalformed() {
    DecodedPacket p = decode(PacketBuilder.udp("10.0.0.1", 1, "10.0.0.2", 2).udpLength(3).build());
    assertThat(p.describeInfo()).isEqualTo("len=0 malformed");
    assertThat(p.toString()).isEqualTo("udp 10.0.0.1:1 > 10.0.0.2:2 len=0 malformed");
  }

  @Test
  void protocolNamesAreTheOracles() {
    assertThat(PacketText.protocolName(6)).isEqualTo("tcp");
    assertThat(PacketText.protocolName(58)).isEqualTo("icmpv6");
    assertThat(PacketText.protocolName(132)).isEqualTo("sctp");
    assertThat(PacketText.protocolName(47)).isEqualTo("gre");
    assertThat(PacketText.protocolName(4)).isEqualTo("proto4");
  }

  @Test
  void undecodedPacketHasNoTuple() {
    assertThat(new DecodedPacket().describeTuple()).isEqualTo("-");
  }
}

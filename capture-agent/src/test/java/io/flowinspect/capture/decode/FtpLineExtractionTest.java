package io.flowinspect.capture.decode;

import static io.flowinspect.capture.decode.Decoding.decode;
import static io.flowinspect.capture.decode.PacketBuilder.ACK;
import static io.flowinspect.capture.decode.PacketBuilder.PSH;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.schemas.PacketFlags;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FtpLineExtractionTest {
  private static PacketBuilder toServer(String payload) {
    return PacketBuilder.tcp("10.99.1.2", 40000, "10.99.2.2", 21).flags(PSH | ACK).payload(payload);
  }

  private static PacketBuilder fromServer(String payload) {
    return PacketBuilder.tcp("10.99.2.2", 21, "10.99.1.2", 40000).flags(PSH | ACK).payload(payload);
  }

  private static String line(DecodedPacket p) {
    return p.ftpLine() == null ? null : new String(p.ftpLine(), StandardCharsets.US_ASCII);
  }

  @Test
  void segmentsOnTheControlConnectionSayWhetherTheyEndALine() {
    assertThat(decode(toServer("USER anonymous\r\n").build()).flags() & PacketFlags.PAYLOAD_ENDS_LINE).isNotZero();
    assertThat(decode(toServer("USER anon").build()).flags() & PacketFlags.PAYLOAD_ENDS_LINE).isZero();
    assertThat(decode(PacketBuilder.tcp("10.99.1.2", 40000, "10.99.2.2", 80).flags(PSH | ACK).payload("GET /\n")
        .build()).flags() & PacketFlags.PAYLOAD_ENDS_LINE).as("not an FTP port").isZero();
  }

  @Test
  void portCommandIsKeptUpToTheLineEnd() {
    assertThat(line(decode(toServer("PORT 10,99,1,2,145,29\r\n").build()))).isEqualTo("PORT 10,99,1,2,145,29");
  }

  @Test
  void eprtCommandIsRecognisedInAnyCase() {
    assertThat(line(decode(toServer("eprt |2|2001:db8::1|5282|\r\n").build()))).isEqualTo("eprt |2|2001:db8::1|5282|");
    assertThat(line(decode(toServer("Port 1,2,3,4,5,6\n").build()))).isEqualTo("Port 1,2,3,4,5,6");
  }

  @Test
  void passiveRepliesAreKept() {
    assertThat(line(decode(fromServer("227 Entering Passive Mode (10,99,2,2,195,80).\r\n").build())))
        .isEqualTo("227 Entering Passive Mode (10,99,2,2,195,80).");
    assertThat(line(decode(fromServer("229 Entering Extended Passive Mode (|||6446|)\r\n").build())))
        .isEqualTo("229 Entering Extended Passive Mode (|||6446|)");
  }

  @Test
  void otherLinesAreNeverKept() {
    for (String payload : new String[] {"PASV\r\n", "USER anonymous\r\n", "230 Login ok\r\n", "PORTS 1\r\n", "2270 x", "22"}) {
      assertThat(decode(toServer(payload).build()).ftpLine()).as(payload).isNull();
    }
  }

  @Test
  void linesOnOtherPortsAreNotKept() {
    byte[] ip = PacketBuilder.tcp("10.99.1.2", 40000, "10.99.2.2", 2121).flags(ACK).payload("PORT 1,2,3,4,5,6\r\n").build();
    assertThat(decode(ip).ftpLine()).isNull();
    DecoderOptions options = new DecoderOptions(0, true, new int[] {2121}, 128);
    assertThat(Decoding.decode(options, LinkTypes.ETHERNET, Frames.ethernet(ip)).ftpLine()).isNotNull();
  }

  @Test
  void lineIsCutAtTheConfiguredMaximum() {
    DecoderOptions options = new DecoderOptions(0, true, new int[] {21}, 10);
    DecodedPacket p = Decoding.decode(options, LinkTypes.ETHERNET, Frames.ethernet(toServer("PORT 10,99,1,2,145,29\r\n").build()));
    assertThat(line(p)).isEqualTo("PORT 10,99");
  }

  @Test
  void lineWithoutTerminatorEndsWithTheCapturedPayload() {
    byte[] frame = Frames.ethernet(toServer("PORT 10,99,1,2,145,29\r\n").build());
    DecodedPacket p = Decoding.decodeCaptured(frame, 14 + 20 + 20 + 12);
    assertThat(line(p)).isEqualTo("PORT 10,99,1");
  }

  @Test
  void segmentWithoutPayloadHasNoLine() {
    assertThat(decode(toServer("").build()).ftpLine()).isNull();
  }
}

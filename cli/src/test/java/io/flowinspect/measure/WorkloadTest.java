package io.flowinspect.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.decode.FrameDecoder;
import io.flowinspect.capture.source.CaptureFileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's workload specs: counts with k/M/G, clear refusals, and the captures they write. */
class WorkloadTest {
  private static final int SYN = 0x02;
  private static final int SYN_ACK = 0x12;
  private static final int ACK = 0x10;
  private static final int PSH_ACK = 0x18;

  @TempDir Path dir;

  /** One decoded packet of a capture, as much as these tests look at. */
  record Packet(long timeNanos, int tcpFlags, int payload, String connection) {}

  // --- counts ---

  @Test
  void countAcceptsThousandsWithAK() {
    assertThat(Workload.parseCount("10k")).isEqualTo(10_000L);
    assertThat(Workload.parseCount("10K")).isEqualTo(10_000L);
  }

  @Test
  void countAcceptsMillionsWithAnM() {
    assertThat(Workload.parseCount("2M")).isEqualTo(2_000_000L);
    assertThat(Workload.parseCount("2m")).isEqualTo(2_000_000L);
  }

  @Test
  void countAcceptsBillionsWithAG() {
    assertThat(Workload.parseCount("1G")).isEqualTo(1_000_000_000L);
    assertThat(Workload.parseCount("3g")).isEqualTo(3_000_000_000L);
  }

  @Test
  void countWithoutASuffixIsThePlainNumber() {
    assertThat(Workload.parseCount("12345")).isEqualTo(12_345L);
    assertThat(Workload.parseCount("1")).isEqualTo(1L);
    assertThat(Workload.parseCount(Long.toString(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void countTooLargeForALongFailsAsABadNumberWithOrWithoutASuffix() {
    assertThatThrownBy(() -> Workload.parseCount("9223372036854775808")).isInstanceOf(NumberFormatException.class);
    // 9,223,372,036,854,776 thousand is just past Long.MAX_VALUE: the scaling overflows, not the parsing.
    assertThatThrownBy(() -> Workload.parseCount("9223372036854776k")).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> Workload.parseCount("10000000000G")).isInstanceOf(NumberFormatException.class);
  }

  @Test
  void countThatIsNotANumberFails() {
    assertThatThrownBy(() -> Workload.parseCount("")).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> Workload.parseCount("k")).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> Workload.parseCount("1.5M")).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> Workload.parseCount("ten")).isInstanceOf(NumberFormatException.class);
  }

  // --- refusals ---

  @Test
  void unknownKindFailsNamingItAndTheKnownKinds() {
    assertThatThrownBy(() -> Workload.synthesize("burst:packets=10", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown workload 'burst'")
        .hasMessageContaining("mix")
        .hasMessageContaining("held");
  }

  @Test
  void unknownParameterFailsNamingIt() {
    assertThatThrownBy(() -> Workload.synthesize("held:connections=5,flows=7", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown parameter")
        .hasMessageContaining("flows")
        .hasMessageContaining("held:connections=5,flows=7");
    // A parameter of the other kind is unknown here too.
    assertThatThrownBy(() -> Workload.synthesize("held:rate=5", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown parameter [rate]");
  }

  @Test
  void nameWithoutEqualsNumberFailsNamingThePart() {
    assertThatThrownBy(() -> Workload.synthesize("held:connections", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'connections'")
        .hasMessageContaining("is not NAME=NUMBER");
    assertThatThrownBy(() -> Workload.synthesize("mix:packets=lots", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'packets=lots'")
        .hasMessageContaining("is not NAME=NUMBER");
    assertThatThrownBy(() -> Workload.synthesize("mix:packets=", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'packets='")
        .hasMessageContaining("is not NAME=NUMBER");
  }

  @Test
  void countTooLargeInASpecFailsAsAUserErrorNamingThePart() {
    // An IllegalArgumentException (what the command reports as one line), never an ArithmeticException.
    assertThatThrownBy(() -> Workload.synthesize("held:packets=10000000000G", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'packets=10000000000G'");
  }

  @Test
  void zeroCountFailsNamingTheParameter() {
    assertThatThrownBy(() -> Workload.synthesize("held:connections=0", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connections must be at least 1: 0");
    assertThatThrownBy(() -> Workload.synthesize("mix:packets=0", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("packets must be at least 1: 0");
    assertThatThrownBy(() -> Workload.synthesize("mix:rate=-3k", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rate must be at least 1: -3000");
  }

  @Test
  void heldRefusesMoreConnectionsThanAnIntHolds() {
    assertThatThrownBy(() -> Workload.synthesize("held:connections=3G", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most " + Integer.MAX_VALUE + " connections");
  }

  @Test
  void refusedSpecWritesNoFile() throws Exception {
    assertThatThrownBy(() -> Workload.synthesize("held:connections=5,bogus=1", dir))
        .isInstanceOf(IllegalArgumentException.class);
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void missingCaptureFileIsRefused() {
    assertThatThrownBy(() -> Workload.ofFile(dir.resolve("absent.pcap")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read")
        .hasMessageContaining("absent.pcap");
  }

  // --- held ---

  @Test
  void heldWritesTheHandshakesAsSetupAndExactlyThePacketsAskedForAsTheMeasuredCapture() throws Exception {
    Workload w = Workload.synthesize("held:connections=50,packets=300", dir);

    assertThat(w.generated()).isTrue();
    assertThat(w.setup()).isNotNull().isRegularFile().startsWith(dir);
    assertThat(w.measured()).isRegularFile().startsWith(dir);

    List<Packet> setup = read(w.setup());
    assertThat(setup).hasSize(150);
    Set<String> connections = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      Packet syn = setup.get(3 * i);
      Packet synAck = setup.get(3 * i + 1);
      Packet ack = setup.get(3 * i + 2);
      assertThat(List.of(syn.tcpFlags(), synAck.tcpFlags(), ack.tcpFlags())).as("handshake %d", i)
          .containsExactly(SYN, SYN_ACK, ACK);
      assertThat(synAck.connection()).isEqualTo(syn.connection());
      assertThat(ack.connection()).isEqualTo(syn.connection());
      assertThat(syn.payload()).isZero();
      connections.add(syn.connection());
    }
    assertThat(connections).as("one handshake per connection").hasSize(50);

    List<Packet> measured = read(w.measured());
    assertThat(measured).hasSize(300);
    assertThat(measured).allSatisfy(p -> {
      assertThat(p.tcpFlags()).isEqualTo(PSH_ACK);
      assertThat(p.payload()).isPositive();
      assertThat(connections).contains(p.connection());
    });
    assertThat(measured.get(0).timeNanos()).as("the traffic follows the handshakes")
        .isGreaterThan(setup.get(setup.size() - 1).timeNanos());
    assertThat(w.description()).contains("50 open TCP connections").contains("300 data segments")
        .contains("seed 1");
  }

  @Test
  void anExchangedHeldWorkloadsSetupHasOneDataSegmentEachWayAfterEveryHandshake() throws Exception {
    Workload w = Workload.synthesize("held:connections=40,packets=100,exchanged=1", dir);

    List<Packet> setup = read(w.setup());
    assertThat(setup).hasSize(5 * 40);
    List<Packet> exchange = setup.subList(3 * 40, 5 * 40);
    Set<String> handshaken = new HashSet<>();
    setup.subList(0, 3 * 40).forEach(p -> handshaken.add(p.connection()));
    for (int i = 0; i < 40; i++) {
      Packet fromClient = exchange.get(2 * i);
      Packet fromServer = exchange.get(2 * i + 1);
      assertThat(List.of(fromClient.tcpFlags(), fromServer.tcpFlags())).containsExactly(PSH_ACK, PSH_ACK);
      assertThat(fromClient.payload()).isPositive();
      assertThat(fromServer.connection()).isEqualTo(fromClient.connection());
      assertThat(handshaken).contains(fromClient.connection());
    }
    assertThat(read(w.measured())).hasSize(100);
    assertThat(w.description()).contains("40 open TCP connections that have exchanged data");
    assertThatThrownBy(() -> Workload.synthesize("held:connections=4,exchanged=2", dir))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exchanged is 0 or 1");
  }

  @Test
  void aHeldWorkloadWithinTheWarmUpsSizeWarmsUpOnItself() throws Exception {
    Workload w = Workload.synthesize("held:connections=50,packets=300", dir);

    assertThat(w.warmUp()).isNull();
    assertThat(w.warmUpPart()).isSameAs(w);
  }

  @Test
  void aLargerHeldWorkloadWarmsUpOnAHeldWorkloadOfTheWarmUpsSize() throws Exception {
    int connections = Workload.WARM_UP_HELD_CONNECTIONS + 1;
    Workload w = Workload.synthesize("held:connections=" + connections + ",packets=20", dir);

    Workload warmUp = w.warmUpPart();
    assertThat(warmUp).isNotSameAs(w);
    assertThat(frames(warmUp.setup())).isEqualTo(3L * Workload.WARM_UP_HELD_CONNECTIONS);
    assertThat(frames(warmUp.measured())).isEqualTo(20);
    assertThat(frames(w.setup())).isEqualTo(3L * connections);
    assertThat(List.of(warmUp.setup(), warmUp.measured())).doesNotContain(w.setup(), w.measured());
    assertThat(warmUp.description()).contains(Workload.WARM_UP_HELD_CONNECTIONS + " open TCP connections");
  }

  @Test
  void aLargerHeldWorkloadWithoutAWarmUpWritesNoFilesForOne() throws Exception {
    int connections = Workload.WARM_UP_HELD_CONNECTIONS + 1;
    Workload w = Workload.synthesize("held:connections=" + connections + ",packets=20", dir, false);

    assertThat(w.warmUp()).isNull();
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("held-setup.pcap",
          "held-traffic.pcap");
    }
  }

  @Test
  void aMixAndAFileWarmUpOnThemselves() throws Exception {
    Workload mix = Workload.synthesize("mix:concurrent=20,rate=50,packets=100,seed=3", dir);

    assertThat(mix.warmUpPart()).isSameAs(mix);
    assertThat(Workload.ofFile(mix.measured()).warmUpPart().measured()).isEqualTo(mix.measured());
  }

  @Test
  void heldSpecAcceptsThousandsWithASuffixAndUnderscores() throws Exception {
    Workload w = Workload.synthesize("held:connections=1k,packets=2_000,seed=9", dir);

    assertThat(frames(w.setup())).isEqualTo(3_000);
    assertThat(frames(w.measured())).isEqualTo(2_000);
    assertThat(w.description()).contains("1000 open TCP connections").contains("2000 data segments")
        .contains("seed 9");
  }

  @Test
  void heldSpecAcceptsMillionsWithASuffix() throws Exception {
    // On the seed, so that the test does not write a million packets.
    Workload w = Workload.synthesize("held:connections=3,packets=5,seed=2M", dir);

    assertThat(w.description()).contains("3 open TCP connections").contains("5 data segments")
        .contains("seed 2000000");
    assertThat(frames(w.measured())).isEqualTo(5);
  }

  @Test
  void mixSpecAcceptsMillionsAndBillionsWithASuffix() throws Exception {
    Workload w = Workload.synthesize("mix:concurrent=2M,rate=1M,packets=10,seed=1G", dir);

    assertThat(w.description()).contains("2000000 concurrent connections").contains("1000000 new/s")
        .contains("10 packets").contains("seed 1000000000");
    assertThat(frames(w.measured())).isEqualTo(10);
  }

  @Test
  void heldIsTheSameCaptureForTheSameSeedAndAnotherForAnotherSeed() throws Exception {
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    Path c = Files.createDirectory(dir.resolve("c"));
    Workload first = Workload.synthesize("held:connections=20,packets=100,seed=5", a);
    Workload again = Workload.synthesize("held:connections=20,packets=100,seed=5", b);
    Workload other = Workload.synthesize("held:connections=20,packets=100,seed=6", c);

    assertThat(Files.readAllBytes(again.setup())).isEqualTo(Files.readAllBytes(first.setup()));
    assertThat(Files.readAllBytes(again.measured())).isEqualTo(Files.readAllBytes(first.measured()));
    assertThat(Files.readAllBytes(other.measured())).isNotEqualTo(Files.readAllBytes(first.measured()));
  }

  // --- mix ---

  @Test
  void mixWithSmallNumbersWritesExactlyThatManyPacketsAndNoSetup() throws Exception {
    Workload w = Workload.synthesize("mix:concurrent=20,rate=50,packets=500,seed=3", dir);

    assertThat(w.setup()).isNull();
    assertThat(w.generated()).isTrue();
    assertThat(w.measured()).isRegularFile().startsWith(dir);
    List<Packet> packets = read(w.measured());
    assertThat(packets).hasSize(500);
    assertThat(packets).extracting(Packet::timeNanos).isSorted();
    assertThat(w.description()).contains("20 concurrent connections").contains("50 new/s")
        .contains("500 packets").contains("seed 3");
  }

  @Test
  void specWithoutAKindIsAMix() throws Exception {
    Workload w = Workload.synthesize("concurrent=5,rate=5,packets=40", dir);

    assertThat(w.description()).startsWith("synthetic mix");
    assertThat(frames(w.measured())).isEqualTo(40);
  }

  @Test
  void capturesOfAFileAreNotTheBenchmarksOwn() throws Exception {
    Path file = dir.resolve("given.pcap");
    Files.copy(Workload.synthesize("mix:packets=10", Files.createDirectory(dir.resolve("g"))).measured(), file);

    Workload w = Workload.ofFile(file);

    assertThat(w.setup()).isNull();
    assertThat(w.measured()).isEqualTo(file);
    assertThat(w.generated()).isFalse();
    assertThat(w.description()).isEqualTo(file.toString());
  }

  // --- reading captures back ---

  private static long frames(Path file) throws Exception {
    try (CaptureFileReader reader = CaptureFileReader.open(file)) {
      return reader.forEach((index, linkType, frame, captured, wire, time) -> { });
    }
  }

  /** Every frame of the file, decoded; a frame the agent would not decode fails the test. */
  private static List<Packet> read(Path file) throws Exception {
    FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
    DecodedPacket p = new DecodedPacket();
    List<Packet> packets = new ArrayList<>();
    try (CaptureFileReader reader = CaptureFileReader.open(file)) {
      reader.forEach((index, linkType, frame, captured, wire, time) -> {
        var skipped = decoder.decode(linkType, frame, captured, wire, time, p);
        if (skipped != null) {
          throw new AssertionError("frame " + index + " of " + file + " not decoded: " + skipped);
        }
        String connection = java.util.Arrays.toString(p.lowAddress()) + ":" + p.lowPort() + "-"
            + java.util.Arrays.toString(p.highAddress()) + ":" + p.highPort() + "/" + p.protocol();
        packets.add(new Packet(p.timeNanos(), p.tcpFlags(), p.payloadLength(), connection));
      });
    }
    return packets;
  }
}

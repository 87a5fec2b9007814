package io.flowinspect.capture.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.decode.FrameDecoder;
import io.flowinspect.capture.decode.LinkTypes;
import io.flowinspect.schemas.PacketFlags;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Captures real traffic between this host and a network namespace the test creates. */
class LiveSourceTest {
  static {
    SharedCaptures.quietPcap4j();
  }

  static final int ICMP = 1;
  static final int TCP = 6;
  static final int UDP = 17;
  static final int ICMPV6 = 58;
  static final int SYN = 0x02;
  static final int ACK = 0x10;
  static final Duration WAIT = Duration.ofSeconds(5);

  private NetworkNamespace ns;

  @BeforeEach
  void createNamespace() {
    NetworkNamespace.assumeTools("ping", "bash");
    ns = NetworkNamespace.create();
  }

  @AfterEach
  void deleteNamespace() {
    if (ns != null) ns.close();
  }

  @Test
  void liveCaptureSeesTcpUdpAndIcmpFromANamespace() throws Exception {
    InetAddress host = address(ns.hostIpv4());
    InetAddress inside = address(ns.namespaceIpv4());
    long wallStart = wallClockNanos();
    try (LiveSource source = LiveSource.open(LiveOptions.of(ns.hostInterface()));
        ServerSocket server = new ServerSocket(0, 1, host)) {
      assertThat(source.linkType()).isEqualTo(LinkTypes.ETHERNET);
      int port = server.getLocalPort();
      Capture capture = Capture.start(source, 0);

      ns.exec("ping", "-c", "3", "-i", "0.2", ns.hostIpv4());
      capture.awaitSeen("the echo replies", seen -> count(seen, ICMP, 0) == 3);
      assertThat(source.stats().received()).as("as read by the capturing thread").isPositive();
      ns.exec("bash", "-c", "echo hello > /dev/udp/" + ns.hostIpv4() + "/9999");
      FutureTask<String> accepted = acceptOneLine(server);
      ns.exec("bash", "-c", "exec 3<>/dev/tcp/" + ns.hostIpv4() + "/" + port + "; echo hi >&3; exec 3>&-");
      assertThat(accepted.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("hi");
      if (ns.ipv6()) {
        ns.exec("ping", "-6", "-c", "2", "-i", "0.2", ns.hostIpv6());
        capture.awaitSeen("ICMPv6 echo replies", seen -> count(seen, ICMPV6, 129) == 2);
      } else {
        System.err.println(ns + ": no IPv6 here, ICMPv6 not tested");
        capture.awaitSeen("the SYN/ACK",
            seen -> seen.stream().anyMatch(s -> s.protocol() == TCP && s.tcpFlags() == (SYN | ACK)));
      }
      long frames = capture.stop();
      long wallEnd = wallClockNanos();
      List<Seen> seen = capture.seen();

      assertThat(seen).hasSize((int) frames);
      assertThat(seen).extracting(Seen::index)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, frames).boxed().toList());
      assertThat(seen).extracting(Seen::timeNanos)
          .isSorted().allSatisfy(t -> assertThat(t).isBetween(wallStart, wallEnd));
      assertThat(seen).allSatisfy(s -> assertThat(s.wireLength()).isEqualTo(s.capturedLength()));

      assertThat(matching(seen, ICMP, inside, host, s -> s.icmpType() == 8))
          .extracting(Seen::icmpSequence).containsExactly(1, 2, 3);
      assertThat(matching(seen, ICMP, host, inside, s -> s.icmpType() == 0))
          .extracting(Seen::icmpSequence).containsExactly(1, 2, 3);
      assertThat(matching(seen, UDP, inside, host, s -> s.dstPort() == 9999)).singleElement()
          .satisfies(s -> assertThat(s.payloadLength()).isEqualTo("hello\n".length()));
      Seen syn = only(matching(seen, TCP, inside, host, s -> s.dstPort() == port && s.tcpFlags() == SYN), "SYN");
      Seen synAck = only(matching(seen, TCP, host, inside,
          s -> s.srcPort() == port && s.dstPort() == syn.srcPort() && s.tcpFlags() == (SYN | ACK)), "SYN/ACK");
      assertThat(synAck.index()).isGreaterThan(syn.index());
      if (ns.ipv6()) {
        InetAddress host6 = address(ns.hostIpv6());
        InetAddress inside6 = address(ns.namespaceIpv6());
        assertThat(matching(seen, ICMPV6, inside6, host6, s -> s.icmpType() == 128))
            .extracting(Seen::icmpSequence).containsExactly(1, 2);
        assertThat(matching(seen, ICMPV6, host6, inside6, s -> s.icmpType() == 129))
            .extracting(Seen::icmpSequence).containsExactly(1, 2);
      }
      if (ns.offloadsOff()) {
        int unverified = PacketFlags.CHECKSUM_BAD | PacketFlags.CHECKSUM_UNVERIFIED;
        assertThat(seen).filteredOn(s -> s.ipVersion() != 0)
            .allSatisfy(s -> assertThat(s.flags() & unverified).as("checksum flags of %s", s).isZero());
      }
      CaptureStats stats = source.stats();
      assertThat(stats.received()).isGreaterThanOrEqualTo(frames);
      assertThat(stats.droppedByKernel()).isZero();
    }
  }

  @Test
  void bpfFilterKeepsOnlyWhatItNames() throws Exception {
    try (LiveSource source = LiveSource.open(LiveOptions.of(ns.hostInterface()).withFilter("udp port 9999"))) {
      Capture capture = Capture.start(source, 0);
      ns.exec("ping", "-c", "2", "-i", "0.2", ns.hostIpv4());
      ns.exec("bash", "-c", "echo other > /dev/udp/" + ns.hostIpv4() + "/9998");
      ns.exec("bash", "-c", "echo hello > /dev/udp/" + ns.hostIpv4() + "/9999");
      capture.awaitSeen("the datagram to 9999", seen -> !seen.isEmpty());
      // Anything the filter let through wrongly after it (the port-unreachable answers) has a block timeout to show up.
      Thread.sleep(3 * LiveOptions.DEFAULT_READ_TIMEOUT.toMillis());
      capture.stop();

      assertThat(capture.seen()).singleElement().satisfies(s -> {
        assertThat(s.protocol()).isEqualTo(UDP);
        assertThat(s.dstPort()).isEqualTo(9999);
      });
      assertThat(source.stats().received()).as("frames that passed the kernel's filter").isEqualTo(1);
    }
  }

  @Test
  void aFullBufferDropsFramesAndTheStatsCountEachOne() throws Exception {
    LiveOptions tiny = LiveOptions.of(ns.hostInterface()).withSnapLength(128).withBufferSizeBytes(64 << 10);
    try (DatagramChannel sink = DatagramChannel.open().bind(new InetSocketAddress(ns.hostIpv4(), 0));
        // Only the burst: a datagram from elsewhere to a reused ephemeral port once made 5,001.
        LiveSource source = LiveSource.open(tiny.withFilter("udp and src host " + ns.namespaceIpv4()
            + " and dst host " + ns.hostIpv4() + " and dst port " + port(sink)))) {
      int sent = 5_000;
      // Nobody reads while the burst arrives: what the buffer cannot hold is dropped.
      ns.exec("bash", "-c", "exec 3>/dev/udp/" + ns.hostIpv4() + "/" + port(sink)
          + "; for ((i = 0; i < " + sent + "; i++)); do printf x >&3; done");
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (source.stats().received() < sent && System.nanoTime() < deadline) Thread.sleep(20);
      Thread.sleep(3 * LiveOptions.DEFAULT_READ_TIMEOUT.toMillis());
      CaptureStats full = source.stats();

      Capture capture = Capture.start(source, full.received() - full.droppedByKernel());

      assertThat(full.received()).isEqualTo(sent);
      assertThat(full.droppedByKernel()).isPositive();
      assertThat(capture.result()).isEqualTo(sent - full.droppedByKernel());
      assertThat(source.stats()).isEqualTo(full);
    }
  }

  @Test
  void stopReturnsPromptlyWithoutTraffic() throws Exception {
    // A filter nothing here matches keeps the interface idle whatever the host sends on it.
    try (LiveSource source = LiveSource.open(LiveOptions.of(ns.hostInterface()).withFilter("udp port 1"))) {
      Capture capture = Capture.start(source, 0);
      Thread.sleep(300);
      assertThat(capture.isRunning()).isTrue();

      long start = System.nanoTime();
      long frames = capture.stop();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(frames).isZero();
      assertThat(took).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void stopBeforeRunMakesRunReturnAtOnce() throws Exception {
    try (LiveSource source = LiveSource.open(LiveOptions.of(ns.hostInterface()))) {
      source.stop();
      assertThat(source.run((i, l, f, c, w, t) -> fail("no frame expected"), 0)).isZero();
    }
  }

  @Test
  void closeFromAnotherThreadEndsARunningCapture() throws Exception {
    LiveSource source = LiveSource.open(LiveOptions.of(ns.hostInterface()).withFilter("udp port 1"));
    Capture capture = Capture.start(source, 0);
    Thread.sleep(300);

    long start = System.nanoTime();
    source.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).as("close() waits for run() to return").isLessThan(Duration.ofSeconds(1));
    assertThat(capture.result()).isZero();
    assertThatThrownBy(() -> source.run((i, l, f, c, w, t) -> { }, 0)).hasMessage("closed: " + ns.hostInterface());
  }

  @Test
  void closeFromTheConsumerEndsTheRunWithoutDeadlock() throws Exception {
    LiveSource source = LiveSource.open(LiveOptions.of(ns.hostInterface()).withFilter("icmp"));
    FutureTask<Long> run = new FutureTask<>(() -> source.run((i, l, f, c, w, t) -> source.close(), 0));
    startDaemon(run);
    ns.exec("ping", "-c", "1", ns.hostIpv4());

    assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(source.stats().received()).as("read as the run ended, before the handle closed").isPositive();
  }

  @Test
  void consumerFailureStopsTheCaptureAndComesOutOfRun() throws Exception {
    RuntimeException broken = new IllegalStateException("consumer broke");
    AtomicInteger calls = new AtomicInteger();
    try (LiveSource source = LiveSource.open(LiveOptions.of(ns.hostInterface()).withFilter("icmp"))) {
      FutureTask<Long> run = new FutureTask<>(() -> source.run((i, l, f, c, w, t) -> {
        calls.incrementAndGet();
        throw broken;
      }, 0));
      startDaemon(run);
      ns.exec("ping", "-c", "2", "-i", "0.2", ns.hostIpv4());

      assertThatThrownBy(() -> run.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isSameAs(broken);
      assertThat(calls).hasValue(1);
    }
  }

  @Test
  void maxFramesEndsTheRunAndALaterRunContinuesTheNumbering() throws Exception {
    try (LiveSource source = LiveSource.open(LiveOptions.of(ns.hostInterface()).withFilter("icmp"))) {
      // Six frames wait in the kernel's buffer before any run: request and reply, three times.
      ns.exec("ping", "-c", "3", "-i", "0.2", ns.hostIpv4());

      Capture first = Capture.start(source, 2);
      assertThat(first.result()).isEqualTo(2);
      Capture second = Capture.start(source, 1);
      assertThat(second.result()).isEqualTo(1);
      Capture third = Capture.start(source, 3);
      assertThat(third.result()).isEqualTo(3);

      List<Seen> all = new ArrayList<>(first.seen());
      all.addAll(second.seen());
      all.addAll(third.seen());
      assertThat(all).extracting(Seen::index).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
      assertThat(all).extracting(s -> s.icmpType() + "/" + s.icmpSequence())
          .containsExactly("8/1", "0/1", "8/2", "0/2", "8/3", "0/3");
    }
  }

  private static List<Seen> matching(
      List<Seen> seen, int protocol, InetAddress src, InetAddress dst, Predicate<Seen> also) {
    return seen.stream()
        .filter(s -> s.protocol() == protocol && src.equals(s.src()) && dst.equals(s.dst()) && also.test(s))
        .toList();
  }

  private static Seen only(List<Seen> matches, String what) {
    assertThat(matches).as(what).hasSize(1);
    return matches.get(0);
  }

  private static long count(List<Seen> seen, int protocol, int icmpType) {
    return seen.stream().filter(s -> s.protocol() == protocol && s.icmpType() == icmpType).count();
  }

  private static FutureTask<String> acceptOneLine(ServerSocket server) throws Exception {
    server.setSoTimeout((int) WAIT.toMillis() * 2);
    FutureTask<String> accepted = new FutureTask<>(() -> {
      try (Socket socket = server.accept();
          BufferedReader in =
              new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
        return in.readLine();
      }
    });
    startDaemon(accepted);
    return accepted;
  }

  private static int port(DatagramChannel channel) throws IOException {
    return ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  static void startDaemon(Runnable task) {
    Thread thread = new Thread(task, "live-source-test");
    thread.setDaemon(true);
    thread.start();
  }

  static InetAddress address(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  static long wallClockNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** One captured frame as the decoder saw it; ipVersion 0 when the decoder skipped it (ARP, say). */
  record Seen(long index, long timeNanos, int capturedLength, int wireLength, int ipVersion, int protocol,
      InetAddress src, int srcPort, InetAddress dst, int dstPort, int tcpFlags, int icmpType, int icmpSequence,
      int payloadLength, int flags) {

    static Seen of(long index, long timeNanos, int captured, int wire, DecodedPacket p) {
      if (p == null) return new Seen(index, timeNanos, captured, wire, 0, 0, null, 0, null, 0, 0, -1, 0, 0, 0);
      return new Seen(index, timeNanos, captured, wire, p.ipVersion(), p.protocol(),
          inet(p.srcAddress(), p.addressLength()), p.srcPort(), inet(p.dstAddress(), p.addressLength()), p.dstPort(),
          p.tcpFlags(), p.icmpType(), p.icmpSequence(), p.payloadLength(), p.flags());
    }

    private static InetAddress inet(byte[] address, int length) {
      try {
        return InetAddress.getByAddress(Arrays.copyOf(address, length));
      } catch (UnknownHostException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** run() on a thread of its own, decoding every frame as it arrives. */
  static final class Capture {
    private final LiveSource source;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final FutureTask<Long> run;

    private Capture(LiveSource source, long maxFrames) {
      this.source = source;
      FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
      DecodedPacket packet = new DecodedPacket();
      this.run = new FutureTask<>(() -> source.run((index, linkType, frame, captured, wire, time) -> {
        boolean decoded = decoder.decode(linkType, frame, captured, wire, time, packet) == null;
        seen.add(Seen.of(index, time, captured, wire, decoded ? packet : null));
      }, maxFrames));
    }

    static Capture start(LiveSource source, long maxFrames) {
      Capture capture = new Capture(source, maxFrames);
      startDaemon(capture.run);
      return capture;
    }

    List<Seen> seen() {
      return List.copyOf(seen);
    }

    boolean isRunning() {
      return !run.isDone();
    }

    /** Waits until the frames seen so far satisfy the condition; fails, stopping the capture, after WAIT. */
    void awaitSeen(String what, Predicate<List<Seen>> condition) throws Exception {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!condition.test(seen())) {
        if (System.nanoTime() > deadline) {
          stop();
          fail("waited " + WAIT + " for " + what + "; seen: " + seen());
        }
        Thread.sleep(20);
      }
    }

    /** Stops the capture and returns what run() returned. */
    long stop() throws Exception {
      source.stop();
      return result();
    }

    /** What run() returned, waiting for it at most WAIT (then stopping it). */
    long result() throws Exception {
      try {
        return run.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        source.stop();
        throw new AssertionError("run() did not return within " + WAIT + "; seen: " + seen(), e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception cause) throw cause;
        throw e;
      }
    }
  }
}

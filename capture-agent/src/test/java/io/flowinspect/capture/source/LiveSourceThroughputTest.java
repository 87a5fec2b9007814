package io.flowinspect.capture.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.TimestampPrecision;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapStat;

/**
 * A measurement, not a specification: how fast pcap4j's two raw-byte APIs drain a ring the kernel
 * has already filled (so the generator's speed does not matter), and whether a running capture keeps
 * up with a UDP generator in a namespace. Prints its figures; asserts only that frames were counted.
 */
class LiveSourceThroughputTest {
  static {
    SharedCaptures.quietPcap4j();
  }

  private static final int REPETITIONS = 3;
  private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

  @Test
  void drainRatesOfLoopAndGetNextRawPacketExAndKernelDropsUnderABurst() throws Exception {
    NetworkNamespace.assumeTools("bash");
    try (NetworkNamespace ns = NetworkNamespace.create();
        DatagramChannel sink = DatagramChannel.open().bind(new InetSocketAddress(ns.hostIpv4(), 0))) {
      // A bound socket takes the datagrams (and drops them once full) instead of answering port unreachable.
      int port = ((InetSocketAddress) sink.getLocalAddress()).getPort();
      Generator generator = Generator.choose(ns, port);
      LiveOptions options = LiveOptions.of(ns.hostInterface()).withFilter("udp dst port " + port);

      List<Drain> loop = new ArrayList<>();
      List<Drain> nextEx = new ArrayList<>();
      for (int i = 0; i < REPETITIONS; i++) {
        loop.add(drainWithLoop(ns, options, generator));
        nextEx.add(drainWithGetNextRawPacketEx(ns, options, generator));
      }
      String burst = burstWhileRunning(ns, options, generator);

      System.out.printf("Live capture throughput on %s, %s, %d UDP datagrams per burst, ring %d MiB%n",
          ns.hostInterface(), generator.name(), generator.frames(), options.bufferSizeBytes() >> 20);
      System.out.println("  drain a filled ring, k frames/s:");
      System.out.println("    loop()               " + loop);
      System.out.println("    getNextRawPacketEx() " + nextEx);
      System.out.println("  " + burst);
      assertThat(loop).allSatisfy(d -> assertThat(d.frames()).isPositive());
      assertThat(nextEx).allSatisfy(d -> assertThat(d.frames()).isPositive());
    }
  }

  /** What LiveSource itself does: pcap4j's loop() with a RawPacketListener. */
  private static Drain drainWithLoop(NetworkNamespace ns, LiveOptions options, Generator generator) throws Exception {
    try (LiveSource source = LiveSource.open(options)) {
      generator.send(ns);
      long expected = awaitBuffered(
          () -> source.stats().received(), () -> source.stats().droppedByKernel(), generator.frames());
      Counting counting = new Counting();
      Thread watchdog = watchdog(source::stop);
      long start = System.nanoTime();
      long frames = source.run(counting, expected);
      long nanos = System.nanoTime() - start;
      watchdog.interrupt();
      return new Drain(frames, nanos, source.stats().droppedByKernel());
    }
  }

  /** The alternative: getNextRawPacketEx() in a loop, with the same work per frame as LiveSource. */
  private static Drain drainWithGetNextRawPacketEx(NetworkNamespace ns, LiveOptions options, Generator generator)
      throws Exception {
    PcapHandle handle = new PcapHandle.Builder(options.interfaceName())
        .snaplen(options.snapLength())
        .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
        .bufferSize(options.bufferSizeBytes())
        .timeoutMillis((int) options.readTimeout().toMillis())
        .timestampPrecision(TimestampPrecision.NANO)
        .build();
    try {
      handle.setFilter(options.filter(), BpfCompileMode.OPTIMIZE);
      generator.send(ns);
      long expected = awaitBuffered(() -> stats(handle).getNumPacketsReceived(),
          () -> stats(handle).getNumPacketsDropped(), generator.frames());
      int linkType = handle.getDlt().value();
      Counting counting = new Counting();
      long start = System.nanoTime();
      long frames = 0;
      while (frames < expected && System.nanoTime() - start < DEADLINE_NANOS) {
        byte[] frame;
        try {
          frame = handle.getNextRawPacketEx();
        } catch (TimeoutException e) {
          continue;
        }
        Timestamp time = handle.getTimestamp();
        int wire = handle.getOriginalLength();
        long nanos = Math.floorDiv(time.getTime(), 1000L) * 1_000_000_000L + time.getNanos();
        counting.accept(++frames, linkType, frame, frame.length, wire, nanos);
      }
      long nanos = System.nanoTime() - start;
      return new Drain(frames, nanos, stats(handle).getNumPacketsDropped());
    } finally {
      handle.close();
    }
  }

  /** A capture already running while the generator sends as fast as it can. */
  private static String burstWhileRunning(NetworkNamespace ns, LiveOptions options, Generator generator)
      throws Exception {
    try (LiveSource source = LiveSource.open(options)) {
      Counting counting = new Counting();
      FutureTask<Long> run = new FutureTask<>(() -> source.run(counting, 0));
      LiveSourceTest.startDaemon(run);
      double sentPerSecond = generator.send(ns);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (counting.frames < generator.frames() && System.nanoTime() < deadline) Thread.sleep(20);
      source.stop();
      long frames = run.get(5, TimeUnit.SECONDS);
      CaptureStats stats = source.stats();
      return String.format("burst while running: sent %,.0f frames/s, captured %,d of %,d, kernel received %,d, dropped %,d",
          sentPerSecond, frames, generator.frames(), stats.received(), stats.droppedByKernel());
    }
  }

  /**
   * Waits until the kernel has counted the burst, then for the ring's last block to be handed over
   * (a block goes to the reader when full or after the read timeout); returns the frames to read.
   */
  private static long awaitBuffered(LongSupplier received, LongSupplier dropped, int sent) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (received.getAsLong() < sent && System.nanoTime() < deadline) Thread.sleep(20);
    Thread.sleep(3 * LiveOptions.DEFAULT_READ_TIMEOUT.toMillis());
    return received.getAsLong() - dropped.getAsLong();
  }

  private static PcapStat stats(PcapHandle handle) {
    try {
      return handle.getStats();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Calls the action after the deadline unless interrupted first: a drain that lost frames ends. */
  private static Thread watchdog(Runnable action) {
    Thread thread = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NANOS));
        action.run();
      } catch (InterruptedException e) {
        // Not needed.
      }
    }, "throughput-watchdog");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  record Drain(long frames, long nanos, long dropped) {
    @Override
    public String toString() {
      String rate = String.format("%,.0f", frames * 1e6 / nanos);
      return dropped == 0 ? rate : rate + " (" + dropped + " dropped)";
    }
  }

  /** Touches what a real consumer would, so that nothing is optimized away. */
  static final class Counting implements FrameConsumer {
    volatile long frames;
    long bytes;
    long lastNanos;

    @Override
    public void accept(long index, int linkType, byte[] frame, int capturedLength, int wireLength, long timeNanos) {
      frames = index;
      bytes += capturedLength + wireLength + frame[frame.length - 1];
      lastNanos = timeNanos;
    }
  }

  /** Sends a bounded burst of UDP datagrams from inside the namespace. */
  record Generator(String name, int frames, String... command) {
    private static final String PYTHON = String.join("\n",
        "import socket, sys",
        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
        "to = (sys.argv[1], int(sys.argv[2]))",
        "for _ in range(int(sys.argv[3])): s.sendto(b'x' * 32, to)");

    /** python3 when installed (up to 200 k datagrams/s here), else a bash loop (up to 55 k/s). */
    static Generator choose(NetworkNamespace ns, int port) {
      if (NetworkNamespace.tool("python3").isPresent()) {
        int frames = 30_000;
        return new Generator("python3 sendto loop", frames, "python3", "-c", PYTHON, ns.hostIpv4(), "" + port, "" + frames);
      }
      int frames = 10_000;
      return new Generator("bash /dev/udp loop", frames, "bash", "-c",
          "exec 3>/dev/udp/" + ns.hostIpv4() + "/" + port
              + "; for ((i = 0; i < " + frames + "; i++)); do printf x >&3; done");
    }

    /** Returns the sending rate, frames/s (process start included). */
    double send(NetworkNamespace ns) {
      long start = System.nanoTime();
      ns.exec(command);
      return frames * 1e9 / (System.nanoTime() - start);
    }
  }
}

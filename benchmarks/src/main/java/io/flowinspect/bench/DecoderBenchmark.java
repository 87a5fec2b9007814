package io.flowinspect.bench;

import io.flowinspect.capture.decode.DecodedPacket;
import io.flowinspect.capture.decode.DecoderOptions;
import io.flowinspect.capture.decode.FrameDecoder;
import io.flowinspect.capture.decode.SkipReason;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.factory.PacketFactories;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * The header decoder on in-memory frames, one thread, next to pcap4j's own decoding of the same
 * frames into its per-layer packet objects. {@link Bench} reports frames per second.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@State(Scope.Benchmark)
public class DecoderBenchmark {
  @Param(Captures.DEFAULT)
  public String capture;

  @Param({"true", "false"})
  public boolean checksums;

  private Captures.Frames input;
  private FrameDecoder decoder;
  private final DecodedPacket out = new DecodedPacket();

  @Setup(Level.Trial)
  public void load() throws Exception {
    input = Captures.frames(Captures.resolve(capture));
    decoder = new FrameDecoder(new DecoderOptions(0, checksums, new int[] {21}, 128));
    // Without a packet factory on the classpath pcap4j would wrap the bytes undecoded.
    Packet sample = pcap4j(DataLinkType.getInstance(input.linkType()), input.frames().get(0));
    if (sample.get(org.pcap4j.packet.IpPacket.class) == null) {
      throw new IllegalStateException("pcap4j did not decode the IP layer: " + sample.getClass());
    }
  }

  private static Packet pcap4j(DataLinkType dlt, byte[] f) {
    return PacketFactories.getFactory(Packet.class, DataLinkType.class).newInstance(f, 0, f.length, dlt);
  }

  @Benchmark
  public void flowinspectDecoder(Blackhole hole) {
    int link = input.linkType();
    for (int i = 0; i < input.frames().size(); i++) {
      byte[] f = input.frames().get(i);
      SkipReason r = decoder.decode(link, f, f.length, input.wireLengths().get(i), 0L, out);
      hole.consume(r);
      hole.consume(out.seq());
    }
  }

  @Benchmark
  public void pcap4jDecoding(Blackhole hole) {
    DataLinkType dlt = DataLinkType.getInstance(input.linkType());
    for (byte[] f : input.frames()) {
      hole.consume(pcap4j(dlt, f));
    }
  }
}

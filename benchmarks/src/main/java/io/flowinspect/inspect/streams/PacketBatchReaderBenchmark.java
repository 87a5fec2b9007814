package io.flowinspect.inspect.streams;

import io.flowinspect.schemas.FlowKey;
import io.flowinspect.schemas.PacketBatch;
import io.flowinspect.schemas.PacketHeader;
import io.flowinspect.schemas.Topics;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading one packets-topic record into the engine's keys and packets ({@link PacketBatchReader}):
 * a batch shaped like the default benchmark's (74 packets over 40 IPv4 connections, as the agent
 * batches a busy partition), written by the topic's serde. Nanoseconds per packet.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@State(Scope.Benchmark)
public class PacketBatchReaderBenchmark {
  private static final int PACKETS = 74;
  private static final int KEYS = 40;

  private final Topics topics = Topics.defaults();
  private final PacketBatchReader reader = new PacketBatchReader(topics.packets().valueSerde().deserializer());
  private byte[] record;

  @Setup
  public void write() {
    SplittableRandom random = new SplittableRandom(3);
    List<FlowKey> keys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      int client = 0x0a00_0000 | random.nextInt(1 << 16);
      int server = 0xc633_6400 | random.nextInt(256); // 198.51.100.0/24 sorts after 10.0.0.0/8
      keys.add(new FlowKey(0, 6, ByteBuffer.allocate(4).putInt(0, client), 1024 + random.nextInt(60_000),
          ByteBuffer.allocate(4).putInt(0, server), 443));
    }
    List<PacketHeader> packets = new ArrayList<>();
    long time = 1_767_225_600_000_000_000L;
    for (int i = 0; i < PACKETS; i++) {
      time += random.nextInt(50_000);
      packets.add(PacketHeader.newBuilder().setKeyIndex(random.nextInt(KEYS)).setTimeNanos(time).setFlags(0)
          .setLength(60 + random.nextInt(1400)).setPayloadLength(random.nextInt(1400)).setTcpFlags(0x10)
          .setSeq(random.nextInt()).setAck(random.nextInt()).setWindow(64_240).setTcpOptions(0).setSackEdge(0)
          .setIcmpType(0).setIcmpCode(0).setErrorSource(null).setFtpLine(null).build());
    }
    record = topics.packets().valueSerde().serializer().serialize("packets",
        new PacketBatch("bench", time, keys, packets));
  }

  @Benchmark
  @OperationsPerInvocation(PACKETS)
  public InspectBatch read() {
    return reader.deserialize("packets", record);
  }
}

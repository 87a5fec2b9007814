package io.flowinspect.bench;

import io.flowinspect.capture.source.CaptureException;
import io.flowinspect.capture.source.CaptureFileReader;
import io.flowinspect.capture.source.PcapFileSource;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a capture file with a trivial consumer: the project's own memory-mapped reader next to
 * libpcap through pcap4j. One invocation reads the whole file; {@link Bench} turns the time into
 * frames per second.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@State(Scope.Benchmark)
public class CaptureReaderBenchmark {
  @Param(Captures.DEFAULT)
  public String capture;

  private Path file;
  private long checksum;

  @Setup
  public void locate() {
    file = Captures.resolve(capture);
  }

  @Benchmark
  public long captureFileReader() throws CaptureException {
    try (CaptureFileReader reader = CaptureFileReader.open(file)) {
      reader.forEach((i, l, frame, c, w, t) -> checksum += frame[c - 1] + t);
    }
    return checksum;
  }

  @Benchmark
  public long libpcapThroughPcap4j() throws CaptureException {
    try (PcapFileSource source = PcapFileSource.open(file)) {
      source.forEach((i, l, frame, c, w, t) -> checksum += frame[c - 1] + t);
    }
    return checksum;
  }
}

package io.flowinspect.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowinspect.capture.source.PcapFileSource;
import io.flowinspect.capture.source.SharedCaptures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every real capture is read and decoded frame by frame without an exception escaping. */
class SharedCapturesDecodingTest {
  @TestFactory
  Stream<DynamicTest> everyCaptureDecodesWithoutAnException() {
    return SharedCaptures.all().stream().map(capture -> DynamicTest.dynamicTest(capture.getFileName().toString(),
        () -> decodesCleanly(capture)));
  }

  private static void decodesCleanly(Path capture) throws Exception {
    FrameDecoder decoder = new FrameDecoder(DecoderOptions.defaults());
    DecodedPacket p = new DecodedPacket();
    List<String> violations = new ArrayList<>();
    long frames;
    try (PcapFileSource source = PcapFileSource.open(capture)) {
      frames = source.forEach((index, linkType, frame, captured, wire, time) -> {
        if (decoder.decode(linkType, frame, captured, wire, time, p) == null) {
          String violation = DecodedPacketInvariants.violation(p);
          if (violation != null) violations.add("#" + index + ": " + violation + " in " + p);
        }
      });
    }
    DecodeCounters counters = decoder.counters();
    assertThat(counters.seen()).isEqualTo(frames);
    assertThat(counters.decoded() + counters.skipped()).as("%s", counters).isEqualTo(frames);
    assertThat(violations).isEmpty();
  }
}

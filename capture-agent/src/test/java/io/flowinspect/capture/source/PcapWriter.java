package io.flowinspect.capture.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes classic pcap files for tests (little-endian, microsecond or nanosecond timestamps). */
final class PcapWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final boolean nanos;

  PcapWriter(int linkType, int snapLength, boolean nanos) {
    this.nanos = nanos;
    ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4);
    header.putInt(0).putInt(0).putInt(snapLength).putInt(linkType);
    out.writeBytes(header.array());
  }

  PcapWriter frame(long timeNanos, byte[] captured, int wireLength) {
    ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    long seconds = Math.floorDiv(timeNanos, 1_000_000_000L);
    long fraction = Math.floorMod(timeNanos, 1_000_000_000L);
    record.putInt((int) seconds).putInt((int) (nanos ? fraction : fraction / 1000));
    record.putInt(captured.length).putInt(wireLength);
    out.writeBytes(record.array());
    out.writeBytes(captured);
    return this;
  }

  Path writeTo(Path file) throws IOException {
    return Files.write(file, out.toByteArray());
  }
}

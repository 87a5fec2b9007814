package io.flowinspect.synth;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a classic pcap file with nanosecond timestamps (magic a1b23c4d), Ethernet link type. */
public final class PcapWriter implements AutoCloseable {
  private static final int MAGIC_NANOSECONDS = 0xa1b23c4d;
  private static final int LINKTYPE_ETHERNET = 1;
  private static final int SNAPLEN = 262144;

  private final OutputStream out;
  private final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
  private long frames;

  public PcapWriter(Path file) throws IOException {
    out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(MAGIC_NANOSECONDS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN)
        .putInt(LINKTYPE_ETHERNET);
    out.write(h.array());
  }

  public void write(long timeNanos, byte[] frame) throws IOException {
    write(timeNanos, frame, frame.length, frame.length);
  }

  /** Writes the first {@code captured} bytes of a frame that was {@code wire} bytes long. */
  public void write(long timeNanos, byte[] frame, int captured, int wire) throws IOException {
    header.clear();
    header.putInt((int) (timeNanos / 1_000_000_000L)).putInt((int) (timeNanos % 1_000_000_000L)).putInt(captured)
        .putInt(wire);
    out.write(header.array());
    out.write(frame, 0, captured);
    frames++;
  }

  public long frames() {
    return frames;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}

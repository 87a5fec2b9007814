package io.flowinspect.capture.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Objects;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.TimestampPrecision;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;

/**
 * Reads a capture file (pcap with microsecond or nanosecond timestamps, or pcapng) through libpcap,
 * by way of pcap4j. Timestamps are read at nanosecond precision whatever the file holds. Not
 * thread-safe.
 */
public final class PcapFileSource implements AutoCloseable {
  /** Classic pcap (not pcapng): a 24-byte file header, then 16-byte record headers. */
  private static final int PCAP_FILE_HEADER = 24;
  private static final int PCAP_RECORD_HEADER = 16;

  private final Path file;
  private final PcapHandle handle;
  private final int linkType;
  private final boolean classicPcap;
  private boolean read;
  private boolean closed;

  private PcapFileSource(Path file, PcapHandle handle, int linkType, boolean classicPcap) {
    this.file = file;
    this.handle = handle;
    this.linkType = linkType;
    this.classicPcap = classicPcap;
  }

  public static PcapFileSource open(Path file) throws CaptureException {
    Objects.requireNonNull(file, "file");
    boolean classicPcap = isClassicPcap(file);
    PcapHandle handle;
    try {
      handle = Pcaps.openOffline(file.toString(), TimestampPrecision.NANO);
    } catch (PcapNativeException e) {
      throw new CaptureException("cannot open " + file + ": " + e.getMessage(), e);
    }
    return new PcapFileSource(file, handle, handle.getDlt().value(), classicPcap);
  }

  /** The capture's link type as libpcap reports it (DLT_ value, e.g. 1 Ethernet, 12 raw IP). */
  public int linkType() {
    return linkType;
  }

  /**
   * Calls the consumer for every frame in file order; returns the number of frames. A corrupt file
   * throws a CaptureException naming the last good frame (and, for pcap, the byte offset where
   * reading failed) after the frames before the damage were delivered. An exception thrown by the
   * consumer stops the reading and propagates unchanged. A file is read once.
   */
  public long forEach(FrameConsumer consumer) throws CaptureException {
    Objects.requireNonNull(consumer, "consumer");
    if (read) throw new IllegalStateException("already read: " + file);
    read = true;
    Delivery delivery = new Delivery(consumer);
    try {
      handle.loop(-1, delivery);
    } catch (PcapNativeException e) {
      throw new CaptureException(corruptMessage(delivery, e.getMessage()), e);
    } catch (InterruptedException e) {
      if (delivery.failure == null) {
        Thread.currentThread().interrupt();
        throw new CaptureException(file + ": interrupted after frame " + delivery.frames, e);
      }
    } catch (NotOpenException e) {
      throw new CaptureException(file + ": already closed", e);
    }
    if (delivery.failure instanceof RuntimeException runtime) throw runtime;
    if (delivery.failure instanceof Error error) throw error;
    return delivery.frames;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    handle.close();
  }

  private String corruptMessage(Delivery delivery, String pcap4jMessage) {
    String where = classicPcap ? " at byte offset " + delivery.offset : "";
    String libpcap = pcap4jMessage == null ? "" : pcap4jMessage.replaceFirst("^Error occurred: ", "");
    return file + ": corrupt after frame " + delivery.frames + where + ": " + libpcap;
  }

  /**
   * pcap4j's loop() logs and swallows what a listener throws, so the listener keeps the first
   * failure and breaks the loop itself.
   */
  private final class Delivery implements RawPacketListener {
    private final FrameConsumer consumer;
    long frames;
    long offset = PCAP_FILE_HEADER;
    Throwable failure;

    Delivery(FrameConsumer consumer) {
      this.consumer = consumer;
    }

    @Override
    public void gotPacket(byte[] frame) {
      if (failure != null) return;
      Timestamp time = handle.getTimestamp();
      Integer wire = handle.getOriginalLength();
      long nanos = Math.floorDiv(time.getTime(), 1000L) * 1_000_000_000L + time.getNanos();
      long index = frames + 1;
      try {
        consumer.accept(index, linkType, frame, frame.length, wire == null ? frame.length : wire, nanos);
      } catch (RuntimeException | Error e) {
        failure = e;
        breakLoop();
        return;
      }
      frames = index;
      offset += PCAP_RECORD_HEADER + frame.length;
    }

    private void breakLoop() {
      try {
        handle.breakLoop();
      } catch (NotOpenException e) {
        failure.addSuppressed(e);
      }
    }
  }

  /** pcapng has variable block headers; a byte offset is only computed for classic pcap. */
  private static boolean isClassicPcap(Path file) {
    byte[] magic = new byte[4];
    try (InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(magic, 0, 4) < 4) return false;
    } catch (IOException e) {
      return false; // libpcap reports the real problem when it opens the file
    }
    int m = (magic[0] & 0xff) << 24 | (magic[1] & 0xff) << 16 | (magic[2] & 0xff) << 8 | (magic[3] & 0xff);
    return m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d || m == 0x4d3cb2a1;
  }
}

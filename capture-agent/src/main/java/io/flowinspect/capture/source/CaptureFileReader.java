package io.flowinspect.capture.source;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a capture file, classic pcap (draft-ietf-opsawg-pcap: microsecond or nanosecond
 * timestamps, either byte order) or pcapng (draft-ietf-opsawg-pcapng: either byte order, any number
 * of sections and interfaces), straight from a memory mapping of the file, without libpcap.
 *
 * <p>Why not libpcap: through JNA it reads about 0.9 M frames/s and makes garbage for every frame;
 * it refuses a pcapng file whose interfaces have different link types; and it cannot tell at which
 * byte a damaged file goes wrong. This reader allocates nothing per frame, reads such files, and
 * fails with the byte offset of the damaged record or block, after delivering every frame before it.
 *
 * <p><b>The frame array is reused</b>: the consumer gets the same array for every frame (grown
 * when a larger frame comes), holding the frame in its first {@code capturedLength} bytes. It is
 * valid only during the call; a consumer that keeps frames must copy them. (This is where the
 * reader departs from {@link FrameConsumer}'s "the array is the consumer's to keep".)
 *
 * <p><b>Link types are the file's own</b> LINKTYPE_ values (tcpdump.org's list, the values both
 * formats store): for pcapng, the link type of each frame's interface. libpcap instead reports
 * DLT_ values, which differ for a few: LINKTYPE_RAW is 101 here and DLT_RAW (12) there. The
 * decoder reads both.
 *
 * <p>Other differences from libpcap, each where the file breaks a rule of its format:
 *
 * <ul>
 *   <li>A frame longer than the snap length its file or interface states is delivered whole (it is
 *       in the file); libpcap cuts it to the snap length. No frame may exceed the larger of that
 *       snap length and 262,144 bytes (libpcap's default), nor 128 MiB.
 *   <li>The wire length delivered is never less than the captured length.
 *   <li>pcap seconds are unsigned, as the format says (libpcap reads them signed): dates run to
 *       2106, not 2038.
 *   <li>A pcapng Simple Packet Block, which has no timestamp, gets the previous frame's time, not 0.
 * </ul>
 *
 * <p>Not thread-safe, except {@link #bytesRead()} and {@link #size()}, meant for a progress bar
 * on another thread. The file's size is taken when it is opened.
 */
public final class CaptureFileReader implements AutoCloseable {
  /** Bytes of a foreign file shown in the message that refuses it. */
  private static final int SHOWN_BYTES = 8;

  private final MappedFile file;
  private final FrameDelivery delivery;
  private final CaptureFormat format;
  private boolean closed;

  private CaptureFileReader(MappedFile file, FrameDelivery delivery, CaptureFormat format) {
    this.file = file;
    this.delivery = delivery;
    this.format = format;
  }

  /**
   * Opens a pcap or pcapng file (told apart by its first bytes, not its name) and reads its file
   * header.
   *
   * @throws CaptureException when the file cannot be read, is neither format, or its header is bad
   */
  public static CaptureFileReader open(Path file) throws CaptureException {
    return open(file, MappedFile.DEFAULT_WINDOW);
  }

  /** With a smaller mapping window, so that tests can read small files as if they were large. */
  static CaptureFileReader open(Path path, int window) throws CaptureException {
    Objects.requireNonNull(path, "file");
    MappedFile file = MappedFile.open(path, window);
    try {
      FrameDelivery delivery = new FrameDelivery(path);
      return new CaptureFileReader(file, delivery, format(file, delivery));
    } catch (CaptureException | RuntimeException | Error e) {
      file.close();
      throw e;
    }
  }

  private static CaptureFormat format(MappedFile file, FrameDelivery delivery) throws CaptureException {
    int shown = (int) Math.min(file.size(), SHOWN_BYTES);
    int at = file.at(0, shown);
    ByteBuffer b = file.buffer();
    if (shown >= 4) {
      // Read as big-endian whatever the file's order: the magic numbers are listed that way.
      int magic = b.order() == ByteOrder.BIG_ENDIAN ? b.getInt(at) : Integer.reverseBytes(b.getInt(at));
      if (PcapFormat.isMagic(magic)) return PcapFormat.open(file, delivery, magic);
      if (magic == PcapngFormat.SECTION_HEADER) return PcapngFormat.open(file, delivery);
    }
    if (shown == 0) throw new CaptureException(file.path() + " is not a pcap or pcapng file (it is empty)");
    StringBuilder start = new StringBuilder();
    for (int i = 0; i < shown; i++) start.append(i == 0 ? "" : " ").append(String.format("%02X", b.get(at + i)));
    if (file.size() > shown) start.append(" …");
    throw new CaptureException(file.path() + " is not a pcap or pcapng file (starts with " + start + ")");
  }

  /**
   * Calls the consumer for every frame in file order and returns the number of frames. On corrupt
   * or truncated data it throws a CaptureException "FILE: corrupt at byte offset N (frame K): what
   * is wrong", N being where the damaged record or block starts and K the number the next frame
   * would have had, after delivering frames 1 to K - 1. What the consumer throws stops the reading
   * and propagates unchanged. A file is read once.
   */
  public long forEach(FrameConsumer consumer) throws CaptureException {
    if (closed) throw new IllegalStateException("closed: " + file.path());
    delivery.start(consumer);
    return format.readFrames();
  }

  /**
   * How far reading has come, in bytes from the start of the file: the end of the last record or
   * block read, or where the damaged one starts. Safe to call from any thread.
   */
  public long bytesRead() {
    return delivery.position();
  }

  /** The file's size in bytes when it was opened. */
  public long size() {
    return file.size();
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    file.close();
  }
}

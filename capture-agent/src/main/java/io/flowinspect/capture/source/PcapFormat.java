package io.flowinspect.capture.source;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Classic pcap (draft-ietf-opsawg-pcap): a file header, then one record per frame, every number in
 * the byte order of the host that wrote the file.
 */
final class PcapFormat implements CaptureFormat {
  /*
   * File Header (draft-ietf-opsawg-pcap, section 4), 24 bytes:
   *   0 Magic Number (4) | 4 Major Version (2) | 6 Minor Version (2) | 8 Reserved1 (4)
   *   | 12 Reserved2 (4) | 16 SnapLen (4) | 20 LinkType and additional information (4)
   * Packet Record (section 5), 16 bytes then the captured bytes:
   *   0 Timestamp seconds (4) | 4 microseconds or nanoseconds (4) | 8 Captured Packet Length (4)
   *   | 12 Original Packet Length (4) | 16 Packet Data
   */
  static final int FILE_HEADER = 24;
  static final int RECORD_HEADER = 16;
  private static final int MAJOR = 4;
  private static final int MINOR = 6;
  private static final int SNAP_LENGTH = 16;
  private static final int LINK_TYPE = 20;
  private static final int SECONDS = 0;
  private static final int FRACTION = 4;
  private static final int CAPTURED = 8;
  private static final int ORIGINAL = 12;

  /** The magic numbers as the file's first four bytes read in big-endian order. */
  static final int MICROSECONDS_BIG_ENDIAN = 0xa1b2c3d4;
  static final int NANOSECONDS_BIG_ENDIAN = 0xa1b23c4d;
  static final int MICROSECONDS_LITTLE_ENDIAN = 0xd4c3b2a1;
  static final int NANOSECONDS_LITTLE_ENDIAN = 0x4d3cb2a1;
  /**
   * The upper 16 bits of LinkType hold the FCS length and its "present" bit (section 4); they say
   * nothing about the link layer, and some writers fill them, so only the lower 16 bits are kept.
   */
  private static final int LINK_TYPE_MASK = 0xffff;

  private final MappedFile file;
  private final FrameDelivery out;
  private final int linkType;
  private final int maxCaptured;
  private final int fractionsPerSecond;
  private final int nanosPerFraction;

  private PcapFormat(MappedFile file, FrameDelivery out, int linkType, int maxCaptured, boolean nanoseconds) {
    this.file = file;
    this.out = out;
    this.linkType = linkType;
    this.maxCaptured = maxCaptured;
    this.fractionsPerSecond = nanoseconds ? 1_000_000_000 : 1_000_000;
    this.nanosPerFraction = nanoseconds ? 1 : 1_000;
  }

  static boolean isMagic(int bigEndianMagic) {
    return bigEndianMagic == MICROSECONDS_BIG_ENDIAN || bigEndianMagic == NANOSECONDS_BIG_ENDIAN
        || bigEndianMagic == MICROSECONDS_LITTLE_ENDIAN || bigEndianMagic == NANOSECONDS_LITTLE_ENDIAN;
  }

  static PcapFormat open(MappedFile file, FrameDelivery out, int bigEndianMagic) throws CaptureException {
    if (file.size() < FILE_HEADER) {
      throw out.corrupt(0, "truncated pcap file header: " + file.size() + " of " + FILE_HEADER + " bytes");
    }
    boolean bigEndian = bigEndianMagic == MICROSECONDS_BIG_ENDIAN || bigEndianMagic == NANOSECONDS_BIG_ENDIAN;
    file.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    int at = file.at(0, FILE_HEADER);
    ByteBuffer b = file.buffer();
    int major = Short.toUnsignedInt(b.getShort(at + MAJOR));
    int minor = Short.toUnsignedInt(b.getShort(at + MINOR));
    // Section 4: a reader must reject a major version it does not know; minor versions are compatible.
    if (major != 2) throw out.corrupt(0, "pcap version " + major + "." + minor + ", only 2.x is read");
    long snapLength = Integer.toUnsignedLong(b.getInt(at + SNAP_LENGTH));
    int linkType = b.getInt(at + LINK_TYPE) & LINK_TYPE_MASK;
    boolean nanoseconds = bigEndianMagic == NANOSECONDS_BIG_ENDIAN || bigEndianMagic == NANOSECONDS_LITTLE_ENDIAN;
    return new PcapFormat(file, out, linkType, FrameDelivery.maxCaptured(snapLength), nanoseconds);
  }

  @Override
  public long readFrames() throws CaptureException {
    long size = file.size();
    long position = FILE_HEADER;
    out.reached(position);
    while (position < size) {
      position = record(position, size - position);
      out.reached(position);
    }
    return out.frames();
  }

  /**
   * Delivers the record at {@code position} and returns where the next one starts. A method of its
   * own, not the loop's body, so that the JIT compiles it after a few hundred calls: a loop body is
   * compiled only after tens of thousands of turns, and a file is read once.
   */
  private long record(long position, long left) throws CaptureException {
    if (left < RECORD_HEADER) {
      throw out.corrupt(position, "truncated record header: " + left + " of " + RECORD_HEADER + " bytes");
    }
    int at = file.at(position, RECORD_HEADER);
    ByteBuffer b = file.buffer();
    long seconds = Integer.toUnsignedLong(b.getInt(at + SECONDS));
    int fraction = b.getInt(at + FRACTION);
    long captured = Integer.toUnsignedLong(b.getInt(at + CAPTURED));
    long original = Integer.toUnsignedLong(b.getInt(at + ORIGINAL));
    if (Integer.compareUnsigned(fraction, fractionsPerSecond) >= 0) {
      throw out.corrupt(position, "timestamp fraction " + Integer.toUnsignedString(fraction)
          + (nanosPerFraction == 1 ? " ns" : " µs") + " is a second or more");
    }
    if (captured > maxCaptured) {
      throw out.corrupt(position, "captured length " + captured + " exceeds the largest a frame may have here ("
          + maxCaptured + " bytes)");
    }
    if (captured > left - RECORD_HEADER) {
      throw out.corrupt(position, "truncated record: " + captured + " captured bytes, "
          + (left - RECORD_HEADER) + " left in the file");
    }
    // Seconds are unsigned (section 5), so at most 2^32 - 1: times 10^9 still fits in a long.
    long timeNanos = seconds * 1_000_000_000L + (long) fraction * nanosPerFraction;
    int record = file.at(position, RECORD_HEADER + (int) captured);
    out.deliver(linkType, file.buffer(), record + RECORD_HEADER, (int) captured, original, timeNanos);
    return position + RECORD_HEADER + captured;
  }
}

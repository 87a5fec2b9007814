package io.flowinspect.capture.source;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks in one or more sections. Each section
 * starts with a Section Header Block that sets the byte order of the section and forgets the
 * interfaces of the one before; Interface Description Blocks describe interfaces, numbered from 0
 * in the order they appear; packet blocks name their interface. Blocks that carry no frame (name
 * resolution, statistics, decryption secrets, custom, types not yet defined) are skipped by their
 * length, as the draft asks of readers.
 */
final class PcapngFormat implements CaptureFormat {
  /*
   * Every block (General Block Structure):
   *   0 Block Type (4) | 4 Block Total Length (4) | 8 Block Body ... | Block Total Length again (4)
   * The total length counts all of it, is a multiple of 4, and so at least 12.
   */
  static final int SECTION_HEADER = 0x0a0d0d0a;
  private static final int INTERFACE_DESCRIPTION = 1;
  /** Obsolete, replaced by the Enhanced Packet Block, still written by old tools. */
  private static final int PACKET = 2;
  private static final int SIMPLE_PACKET = 3;
  private static final int ENHANCED_PACKET = 6;
  private static final int LENGTH = 4;
  private static final int BODY = 8;
  private static final int TRAILER = 4;
  private static final int MIN_BLOCK = 12;

  /* Section Header Block: 8 Byte-Order Magic (4) | 12 Major (2) | 14 Minor (2) | 16 Section Length (8) | 24 options */
  private static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;
  private static final int MAJOR = 12;
  private static final int MINOR = 14;
  private static final int MIN_SECTION_HEADER = 28;

  /*
   * Enhanced Packet Block: 8 Interface ID (4) | 12 Timestamp high (4) | 16 Timestamp low (4)
   *   | 20 Captured Packet Length (4) | 24 Original Packet Length (4) | 28 Packet Data, padded | options
   * Packet Block (obsolete) is the same but for 8 Interface ID (2) | 10 Drops Count (2).
   */
  private static final int INTERFACE_ID = 8;
  private static final int TIMESTAMP_HIGH = 12;
  private static final int TIMESTAMP_LOW = 16;
  private static final int CAPTURED = 20;
  private static final int ORIGINAL = 24;
  private static final int PACKET_DATA = 28;
  private static final int MIN_PACKET = 32;

  /* Simple Packet Block: 8 Original Packet Length (4) | 12 Packet Data, padded. No interface, no time. */
  private static final int SIMPLE_ORIGINAL = 8;
  private static final int SIMPLE_DATA = 12;
  private static final int MIN_SIMPLE_PACKET = 16;

  private final MappedFile file;
  private final FrameDelivery out;
  private final SectionInterfaces interfaces;
  private long firstBlockEnd;
  /** The time given to a Simple Packet Block, which has none. */
  private long previousTimeNanos;

  private PcapngFormat(MappedFile file, FrameDelivery out) {
    this.file = file;
    this.out = out;
    this.interfaces = new SectionInterfaces(file, out);
  }

  /** Reads the Section Header Block that starts the file, so that a bad one fails the opening. */
  static PcapngFormat open(MappedFile file, FrameDelivery out) throws CaptureException {
    PcapngFormat format = new PcapngFormat(file, out);
    format.firstBlockEnd = format.sectionHeader(0);
    return format;
  }

  @Override
  public long readFrames() throws CaptureException {
    long size = file.size();
    long position = firstBlockEnd;
    out.reached(position);
    while (position < size) {
      position = block(position, size - position);
      out.reached(position);
    }
    return out.frames();
  }

  /** Reads the block at {@code position}; returns where the next one starts. */
  private long block(long position, long left) throws CaptureException {
    if (left < MIN_BLOCK) {
      throw out.corrupt(position, "truncated block: " + left + " bytes left, a block takes 12 or more");
    }
    int at = file.at(position, BODY);
    int type = file.buffer().getInt(at);
    if (type == SECTION_HEADER) return sectionHeader(position);
    long length = checkedLength(position, left);
    switch (type) {
      case ENHANCED_PACKET -> packet(position, length, "enhanced packet", false);
      case PACKET -> packet(position, length, "packet", true);
      case SIMPLE_PACKET -> simplePacket(position, length);
      case INTERFACE_DESCRIPTION -> interfaces.describe(position, length);
      default -> { } // carries no frame
    }
    return position + length;
  }

  /**
   * The byte-order magic says in which order the whole section, this block's length included, is
   * written; the block type reads the same in both.
   */
  private long sectionHeader(long position) throws CaptureException {
    long left = file.size() - position;
    if (left < MIN_BLOCK) {
      throw out.corrupt(position, "truncated section header block: " + left + " bytes left, it takes "
          + MIN_SECTION_HEADER + " or more");
    }
    int at = file.at(position, MIN_BLOCK);
    int magic = file.buffer().getInt(at + BODY);
    if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
      file.order(file.order() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    } else if (magic != BYTE_ORDER_MAGIC) {
      throw out.corrupt(position, "byte-order magic " + hex(file.order() == ByteOrder.BIG_ENDIAN ? magic
          : Integer.reverseBytes(magic)) + " in a section header block, expected 1A 2B 3C 4D or 4D 3C 2B 1A");
    }
    long length = checkedLength(position, left);
    if (length < MIN_SECTION_HEADER) {
      throw out.corrupt(position, "section header block of " + length + " bytes, shorter than its "
          + MIN_SECTION_HEADER + " bytes of fixed fields");
    }
    at = file.at(position, MIN_SECTION_HEADER);
    ByteBuffer b = file.buffer();
    int major = Short.toUnsignedInt(b.getShort(at + MAJOR));
    int minor = Short.toUnsignedInt(b.getShort(at + MINOR));
    // A new major version is, by the draft's definition, one this reader cannot understand.
    if (major != 1) throw out.corrupt(position, "pcapng version " + major + "." + minor + ", only 1.x is read");
    interfaces.forget();
    return position + length;
  }

  /** Checks the block's total length at both of its ends and returns it. */
  private long checkedLength(long position, long left) throws CaptureException {
    int at = file.at(position, BODY);
    int stated = file.buffer().getInt(at + LENGTH);
    long length = Integer.toUnsignedLong(stated);
    if (length < MIN_BLOCK) {
      throw out.corrupt(position, "block length " + length + ", less than the 12 bytes of any block");
    }
    if (length % 4 != 0) throw out.corrupt(position, "block length " + length + " is not a multiple of 4");
    if (length > left) {
      throw out.corrupt(position, "truncated block: " + length + " bytes long, " + left + " left in the file");
    }
    int trailer = file.at(position + length - TRAILER, TRAILER);
    int repeated = file.buffer().getInt(trailer);
    if (repeated != stated) {
      throw out.corrupt(position, "block length " + length + " at its start but " + Integer.toUnsignedLong(repeated)
          + " at its end");
    }
    return length;
  }

  /** An Enhanced Packet Block, or the obsolete Packet Block whose interface id has 16 bits. */
  private void packet(long position, long length, String name, boolean shortInterfaceId) throws CaptureException {
    if (length < MIN_PACKET) {
      throw out.corrupt(position, name + " block of " + length + " bytes, shorter than its " + MIN_PACKET
          + " bytes of fixed fields");
    }
    int at = file.at(position, PACKET_DATA);
    ByteBuffer b = file.buffer();
    long id = shortInterfaceId ? Short.toUnsignedInt(b.getShort(at + INTERFACE_ID))
        : Integer.toUnsignedLong(b.getInt(at + INTERFACE_ID));
    PcapngInterface link = interfaces.get(position, id);
    long units = (long) b.getInt(at + TIMESTAMP_HIGH) << 32 | Integer.toUnsignedLong(b.getInt(at + TIMESTAMP_LOW));
    long captured = Integer.toUnsignedLong(b.getInt(at + CAPTURED));
    long original = Integer.toUnsignedLong(b.getInt(at + ORIGINAL));
    if (captured > length - MIN_PACKET) {
      throw out.corrupt(position, "captured length " + captured + " does not fit in a block of " + length + " bytes");
    }
    if (captured > link.maxCaptured()) {
      throw out.corrupt(position, "captured length " + captured + " exceeds the largest a frame of interface " + id
          + " may have (" + link.maxCaptured() + " bytes)");
    }
    long timeNanos = time(position, link, units);
    int block = file.at(position, PACKET_DATA + (int) captured);
    out.deliver(link.linkType(), file.buffer(), block + PACKET_DATA, (int) captured, original, timeNanos);
    previousTimeNanos = timeNanos;
  }

  /**
   * A Simple Packet Block belongs to interface 0 and holds min(original length, its snap length)
   * bytes. It has no timestamp: it gets the previous frame's time (0 before any), so that times
   * never go backwards for the consumer; libpcap gives it 0.
   */
  private void simplePacket(long position, long length) throws CaptureException {
    if (length < MIN_SIMPLE_PACKET) {
      throw out.corrupt(position, "simple packet block of " + length + " bytes, shorter than its "
          + MIN_SIMPLE_PACKET + " bytes of fixed fields");
    }
    PcapngInterface link = interfaces.get(position, 0);
    int at = file.at(position, SIMPLE_DATA);
    long original = Integer.toUnsignedLong(file.buffer().getInt(at + SIMPLE_ORIGINAL));
    long captured = link.snapLength() == 0 ? original : Math.min(original, link.snapLength());
    if (captured > length - MIN_SIMPLE_PACKET) {
      throw out.corrupt(position, "simple packet block of " + length + " bytes cannot hold its " + captured
          + " captured bytes");
    }
    if (captured > link.maxCaptured()) {
      throw out.corrupt(position, "captured length " + captured + " exceeds the largest a frame of interface 0"
          + " may have (" + link.maxCaptured() + " bytes)");
    }
    int block = file.at(position, SIMPLE_DATA + (int) captured);
    out.deliver(link.linkType(), file.buffer(), block + SIMPLE_DATA, (int) captured, original, previousTimeNanos);
  }

  private long time(long position, PcapngInterface link, long units) throws CaptureException {
    try {
      return Math.addExact(link.resolution().nanos(units), link.offsetNanos());
    } catch (ArithmeticException e) {
      throw out.corrupt(position, "timestamp of " + Long.toUnsignedString(units) + " units of " + link.resolution()
          + " is beyond the years 1677 to 2262");
    }
  }

  private static String hex(int value) {
    return String.format("%02X %02X %02X %02X", value >>> 24, value >>> 16 & 0xff, value >>> 8 & 0xff, value & 0xff);
  }
}

package io.flowinspect.capture.source;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The interfaces of the current pcapng section, numbered from 0 in the order of their Interface
 * Description Blocks (draft-ietf-opsawg-pcapng); a new section starts with none.
 */
final class SectionInterfaces {
  /* Interface Description Block: 8 LinkType (2) | 10 Reserved (2) | 12 SnapLen (4) | 16 options */
  private static final int LINK_TYPE = 8;
  private static final int SNAP_LENGTH = 12;
  private static final int OPTIONS = 16;
  private static final int MIN_LENGTH = 20;
  private static final int TRAILER = 4;
  /* Options: Code (2) | Length (2) | Value, padded to 4 bytes. */
  private static final int OPTION_HEADER = 4;
  private static final int OPT_ENDOFOPT = 0;
  private static final int IF_TSRESOL = 9;
  private static final int IF_TSOFFSET = 14;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final MappedFile file;
  private final FrameDelivery out;
  private PcapngInterface[] described = new PcapngInterface[4];
  private int count;

  SectionInterfaces(MappedFile file, FrameDelivery out) {
    this.file = file;
    this.out = out;
  }

  void forget() {
    count = 0;
  }

  /** The interface a packet block at {@code position} names. */
  PcapngInterface get(long position, long id) throws CaptureException {
    if (id >= count) {
      throw out.corrupt(position, "interface " + id + " is not described: the section has "
          + (count == 1 ? "1 interface" : count + " interfaces") + " so far");
    }
    return described[(int) id];
  }

  /** Reads the Interface Description Block at {@code position}, whose length was checked. */
  void describe(long position, long length) throws CaptureException {
    if (length < MIN_LENGTH) {
      throw out.corrupt(position, "interface description block of " + length + " bytes, shorter than its "
          + MIN_LENGTH + " bytes of fixed fields");
    }
    int at = file.at(position, OPTIONS);
    ByteBuffer b = file.buffer();
    int linkType = Short.toUnsignedInt(b.getShort(at + LINK_TYPE));
    long snapLength = Integer.toUnsignedLong(b.getInt(at + SNAP_LENGTH));
    TimestampResolution resolution = TimestampResolution.MICROSECONDS;
    long offsetNanos = 0;
    long end = position + length - TRAILER;
    long option = position + OPTIONS;
    while (option + OPTION_HEADER <= end) {
      at = file.at(option, OPTION_HEADER);
      b = file.buffer();
      int code = Short.toUnsignedInt(b.getShort(at));
      int valueLength = Short.toUnsignedInt(b.getShort(at + 2));
      if (code == OPT_ENDOFOPT) break;
      long next = option + OPTION_HEADER + ((valueLength + 3) & ~3);
      if (next > end) {
        throw out.corrupt(position, "option " + code + " of " + valueLength
            + " bytes runs past the end of its interface description block");
      }
      // at() before buffer(): at() may map another window.
      int value = file.at(option + OPTION_HEADER, valueLength);
      if (code == IF_TSRESOL) {
        if (valueLength != 1) throw out.corrupt(position, "if_tsresol of " + valueLength + " bytes, not 1");
        resolution = TimestampResolution.of(file.buffer().get(value));
      } else if (code == IF_TSOFFSET) {
        if (valueLength != 8) throw out.corrupt(position, "if_tsoffset of " + valueLength + " bytes, not 8");
        long seconds = file.buffer().getLong(value);
        try {
          offsetNanos = Math.multiplyExact(seconds, NANOS_PER_SECOND);
        } catch (ArithmeticException e) {
          throw out.corrupt(position, "if_tsoffset of " + seconds + " seconds is beyond the years 1677 to 2262");
        }
      }
      option = next;
    }
    if (count == described.length) described = Arrays.copyOf(described, 2 * count);
    described[count++] = new PcapngInterface(linkType, snapLength, FrameDelivery.maxCaptured(snapLength),
        resolution, offsetNanos);
  }
}

package io.flowinspect.capture.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes pcapng files for tests, block by block (draft-ietf-opsawg-pcapng), in either byte order,
 * including blocks a reader must skip and blocks that break the format on purpose.
 */
final class PcapngWriter {
  static final int SECTION_HEADER = 0x0a0d0d0a;
  static final int INTERFACE_DESCRIPTION = 1;
  static final int PACKET = 2;
  static final int SIMPLE_PACKET = 3;
  static final int NAME_RESOLUTION = 4;
  static final int INTERFACE_STATISTICS = 5;
  static final int ENHANCED_PACKET = 6;
  static final int DECRYPTION_SECRETS = 0x0a;
  static final int CUSTOM = 0x00000bad;

  /** An option of an Interface Description Block. */
  record Option(int code, byte[] value) {
    static Option name(String name) {
      return new Option(2, name.getBytes(StandardCharsets.UTF_8));
    }

    /** if_tsresol: 10^-n seconds, or 2^-n with the high bit set. */
    static Option tsresol(int value) {
      return new Option(9, new byte[] {(byte) value});
    }

    /** if_tsoffset in seconds; its byte order is the section's, filled in when written. */
    static Option tsoffset(long seconds) {
      return new Option(14, ByteBuffer.allocate(8).putLong(0, seconds).array());
    }
  }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

  PcapngWriter section(ByteOrder order) {
    return section(order, 1, 0);
  }

  PcapngWriter section(ByteOrder order, int major, int minor) {
    this.order = order;
    ByteBuffer body = body(16).putInt(0x1a2b3c4d).putShort((short) major).putShort((short) minor).putLong(-1);
    return block(SECTION_HEADER, body.array());
  }

  PcapngWriter interfaceDescription(int linkType, int snapLength, Option... options) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(body(8).putShort((short) linkType).putShort((short) 0).putInt(snapLength).array());
    for (Option option : options) {
      byte[] value = option.value();
      if (option.code() == 14 && value.length == 8) value = body(8).putLong(ByteBuffer.wrap(value).getLong()).array();
      body.writeBytes(body(4).putShort((short) option.code()).putShort((short) value.length).array());
      body.writeBytes(value);
      body.writeBytes(new byte[padding(value.length)]);
    }
    if (options.length > 0) body.writeBytes(new byte[4]); // opt_endofopt
    return block(INTERFACE_DESCRIPTION, body.toByteArray());
  }

  PcapngWriter enhancedPacket(int interfaceId, long units, byte[] captured, int wireLength) {
    ByteBuffer fields = body(20).putInt(interfaceId).putInt((int) (units >>> 32)).putInt((int) units)
        .putInt(captured.length).putInt(wireLength);
    return block(ENHANCED_PACKET, concat(fields.array(), padded(captured)));
  }

  /** The obsolete Packet Block: a 16-bit interface id and a drops count. */
  PcapngWriter packet(int interfaceId, long units, byte[] captured, int wireLength) {
    ByteBuffer fields = body(20).putShort((short) interfaceId).putShort((short) 0).putInt((int) (units >>> 32))
        .putInt((int) units).putInt(captured.length).putInt(wireLength);
    return block(PACKET, concat(fields.array(), padded(captured)));
  }

  PcapngWriter simplePacket(byte[] captured, int wireLength) {
    return block(SIMPLE_PACKET, concat(body(4).putInt(wireLength).array(), padded(captured)));
  }

  /** Any block, its body padded to 4 bytes. */
  PcapngWriter block(int type, byte[] body) {
    byte[] padded = padded(body);
    int length = 12 + padded.length;
    out.writeBytes(body(8).putInt(type).putInt(length).array());
    out.writeBytes(padded);
    out.writeBytes(body(4).putInt(length).array());
    return this;
  }

  /** Bytes as they are, for blocks that break the format. */
  PcapngWriter raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  /** A buffer in the current section's byte order. */
  ByteBuffer body(int length) {
    return ByteBuffer.allocate(length).order(order);
  }

  /** Where the next block will start. */
  long size() {
    return out.size();
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  Path writeTo(Path file) throws IOException {
    return Files.write(file, out.toByteArray());
  }

  private static int padding(int length) {
    return (4 - length % 4) % 4;
  }

  private static byte[] padded(byte[] bytes) {
    byte[] padded = new byte[bytes.length + padding(bytes.length)];
    System.arraycopy(bytes, 0, padded, 0, bytes.length);
    return padded;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}

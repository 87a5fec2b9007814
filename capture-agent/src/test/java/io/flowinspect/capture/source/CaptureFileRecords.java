package io.flowinspect.capture.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads record headers of pcap and pcapng files straight from the bytes (pcap: draft-ietf-opsawg-pcap;
 * pcapng: draft-ietf-opsawg-pcapng), as an independent check of what libpcap delivers.
 */
final class CaptureFileRecords {
  record Record(long offset, long timeNanos, int capturedLength, int wireLength) {}

  private CaptureFileRecords() {}

  static List<Record> read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
    int magic = b.getInt(0);
    return magic == 0x0a0d0d0a ? pcapng(b) : pcap(b);
  }

  private static List<Record> pcap(ByteBuffer b) {
    b.order(ByteOrder.LITTLE_ENDIAN);
    int magic = b.getInt(0);
    if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) b.order(ByteOrder.BIG_ENDIAN);
    boolean nanos = b.getInt(0) == 0xa1b23c4d;
    List<Record> records = new ArrayList<>();
    int at = 24;
    while (at + 16 <= b.limit()) {
      long seconds = Integer.toUnsignedLong(b.getInt(at));
      long fraction = Integer.toUnsignedLong(b.getInt(at + 4));
      int captured = b.getInt(at + 8);
      int wire = b.getInt(at + 12);
      records.add(new Record(at, seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000), captured, wire));
      at += 16 + captured;
    }
    return records;
  }

  /** Section header, interface descriptions (with if_tsresol) and enhanced packet blocks only. */
  private static List<Record> pcapng(ByteBuffer b) {
    b.order(b.getInt(8) == 0x1a2b3c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    List<Long> unitsPerSecond = new ArrayList<>();
    List<Record> records = new ArrayList<>();
    int at = 0;
    while (at + 12 <= b.limit()) {
      int type = b.getInt(at);
      int length = b.getInt(at + 4);
      if (type == 1) unitsPerSecond.add(resolution(b, at + 16, at + length - 4));
      if (type == 6) {
        long units = unitsPerSecond.get(b.getInt(at + 8));
        long ts = (Integer.toUnsignedLong(b.getInt(at + 12)) << 32) | Integer.toUnsignedLong(b.getInt(at + 16));
        long nanos = ts / units * 1_000_000_000L + (ts % units) * 1_000_000_000L / units;
        records.add(new Record(at, nanos, b.getInt(at + 20), b.getInt(at + 24)));
      }
      at += length;
    }
    return records;
  }

  private static long resolution(ByteBuffer b, int options, int end) {
    for (int at = options; at + 4 <= end; ) {
      int code = Short.toUnsignedInt(b.getShort(at));
      int length = Short.toUnsignedInt(b.getShort(at + 2));
      if (code == 0) break;
      if (code == 9) {
        int value = b.get(at + 4);
        long units = 1;
        for (int i = 0; i < (value & 0x7f); i++) units *= (value & 0x80) != 0 ? 2 : 10;
        return units;
      }
      at += 4 + (length + 3) / 4 * 4;
    }
    return 1_000_000L;
  }
}

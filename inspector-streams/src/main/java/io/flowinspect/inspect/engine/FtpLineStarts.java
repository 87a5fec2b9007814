package io.flowinspect.inspect.engine;

/**
 * Where lines start on an FTP control connection: the kernel's FTP helper remembers, per
 * direction, the sequence numbers just after the last two segments that ended with a line feed,
 * and reads a command only in a segment that starts at one of them — so a PORT hidden in the
 * middle of a line, or in the first segment it ever sees, opens nothing.
 */
final class FtpLineStarts {
  private static final int REMEMBERED = 2;

  final int[] seqs = new int[2 * REMEMBERED];
  final int[] counts = new int[2];

  /** The binary form both connection forms use ({@link StateCodec}, {@link FixedConnLayout}): counts in a byte, then the sequence numbers. */
  void writeTo(Bytes out) {
    out.u8(counts[0] | counts[1] << 4);
    for (int seq : seqs) {
      out.i32(seq);
    }
  }

  static FtpLineStarts readFrom(Bytes in) {
    FtpLineStarts f = new FtpLineStarts();
    int packed = in.u8();
    f.counts[0] = packed & 0xf;
    f.counts[1] = packed >>> 4;
    for (int i = 0; i < f.seqs.length; i++) {
      f.seqs[i] = in.i32();
    }
    return f;
  }

  boolean startsLine(Direction dir, int seq) {
    int base = dir.index() * REMEMBERED;
    for (int i = 0; i < counts[dir.index()]; i++) {
      if (seqs[base + i] == seq) {
        return true;
      }
    }
    return false;
  }

  /** Remembers that a line starts at {@code seq}; the older of two remembered starts makes way. */
  void remember(Direction dir, int seq) {
    int d = dir.index();
    int base = d * REMEMBERED;
    for (int i = 0; i < counts[d]; i++) {
      if (seqs[base + i] == seq) {
        return;
      }
    }
    if (counts[d] < REMEMBERED) {
      seqs[base + counts[d]++] = seq;
      return;
    }
    int oldest = Seq.before(seqs[base], seqs[base + 1]) ? 0 : 1;
    if (Seq.after(seq, seqs[base + oldest])) {
      seqs[base + oldest] = seq;
    }
  }
}

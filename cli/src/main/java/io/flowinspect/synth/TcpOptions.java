package io.flowinspect.synth;

/**
 * TCP options a synthetic segment carries: MSS, window scale, SACK-permitted, up to three SACK
 * blocks. Encoded like Linux does, NOP-padded to 4-byte words.
 */
public record TcpOptions(int mss, int windowScale, boolean sackPermitted, int[] sackBlocks) {
  public static final TcpOptions NONE = new TcpOptions(0, -1, false, new int[0]);

  public static TcpOptions syn(int mss, int windowScale, boolean sackPermitted) {
    return new TcpOptions(mss, windowScale, sackPermitted, new int[0]);
  }

  /** SACK blocks as (left, right) pairs. */
  public static TcpOptions sack(int... leftRightPairs) {
    return new TcpOptions(0, -1, false, leftRightPairs.clone());
  }

  byte[] encode() {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    if (mss > 0) {
      b.write(2);
      b.write(4);
      b.write(mss >>> 8);
      b.write(mss);
    }
    if (sackPermitted) {
      b.write(1);
      b.write(1);
      b.write(4);
      b.write(2);
    }
    if (windowScale >= 0) {
      b.write(1);
      b.write(3);
      b.write(3);
      b.write(windowScale);
    }
    if (sackBlocks.length > 0) {
      b.write(1);
      b.write(1);
      b.write(5);
      b.write(2 + 4 * sackBlocks.length);
      for (int edge : sackBlocks) {
        b.write(edge >>> 24);
        b.write(edge >>> 16);
        b.write(edge >>> 8);
        b.write(edge);
      }
    }
    while (b.size() % 4 != 0) {
      b.write(1);
    }
    return b.toByteArray();
  }
}

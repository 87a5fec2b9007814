package io.flowinspect.capture.publish;

/**
 * MurmurHash2, 32-bit, with the seed Kafka's default partitioner uses, over a prefix of an array:
 * the agent hashes a reused scratch buffer, so nothing is allocated per packet. Equal to Kafka's
 * {@code Utils.murmur2} for the same bytes (a test holds it to that).
 */
final class Murmur2 {
  private static final int SEED = 0x9747b28c;
  private static final int M = 0x5bd1e995;
  private static final int R = 24;

  private Murmur2() {}

  static int hash(byte[] data, int length) {
    int h = SEED ^ length;
    int blocks = length / 4;
    for (int i = 0; i < blocks; i++) {
      int at = i * 4;
      int k = (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16 | (data[at + 3] & 0xff) << 24;
      k *= M;
      k ^= k >>> R;
      k *= M;
      h *= M;
      h ^= k;
    }
    int tail = blocks * 4;
    switch (length % 4) {
      case 3:
        h ^= (data[tail + 2] & 0xff) << 16;
        // falls through
      case 2:
        h ^= (data[tail + 1] & 0xff) << 8;
        // falls through
      case 1:
        h ^= data[tail] & 0xff;
        h *= M;
        break;
      default:
        break;
    }
    h ^= h >>> 13;
    h *= M;
    h ^= h >>> 15;
    return h;
  }
}

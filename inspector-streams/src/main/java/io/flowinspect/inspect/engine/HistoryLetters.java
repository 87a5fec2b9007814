package io.flowinspect.inspect.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The letters of a Zeek connection history in the order they were added, kept as bytes so that
 * adding one allocates nothing. Stored four bits a letter: the twelve letters of ordinary TCP
 * (S H A D F R in both cases) take one nibble, the rest an escape nibble and a second one.
 */
final class HistoryLetters {
  private static final String COMMON = "SHADFRshadfr";
  private static final String RARE = "CcTtWwGgIiQq^";
  private static final int ESCAPE = 12;

  /**
   * Histories so common that each is stored as one byte (0x80 + its index): the stages of an
   * ordinary TCP connection and of a UDP exchange. Part of the stored format: append, never reorder.
   */
  static final List<String> WELL_KNOWN = List.of("S", "Sh", "ShA", "ShAD", "ShADa", "ShADad", "ShADadf",
      "ShADadF", "ShADadFf", "ShADadfF", "ShADadFR", "ShADadR", "ShADadr", "ShADadFfR", "ShADadfFr", "ShAF",
      "ShAFf", "ShAfF", "ShADaF", "ShADaFf", "ShADdaFf", "ShADdf", "ShADdF", "ShADdFf", "ShR", "Sr", "ShAR", "ShAr",
      "ShADaR", "ShADdR", "D", "Dd", "d", "ShADdaf", "ShADdafF", "ShADdaF", "ShADdaFfR", "ShADadFr", "ShADadfR");
  private static final int WELL_KNOWN_BASE = 0x80;
  /** {@link #WELL_KNOWN} as letters and as {@link #packed} keys, so that coding one compares no strings. */
  private static final byte[][] WELL_KNOWN_LETTERS = WELL_KNOWN.stream()
      .map(h -> h.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
  private static final long[] WELL_KNOWN_PACKED = Arrays.stream(WELL_KNOWN_LETTERS)
      .mapToLong(h -> packed(h, h.length)).toArray();
  /** Histories longer than this have no {@link #packed} key (seven bits a letter fill 63). */
  private static final int PACKABLE = 9;
  /** Marks a history of 128 letters or more: its length follows as a varint. */
  private static final int LONG = 0xff;

  private byte[] letters = new byte[8];
  private int size;

  void add(char letter) {
    if (size == letters.length) {
      letters = Arrays.copyOf(letters, size * 2);
    }
    letters[size++] = (byte) letter;
  }

  /**
   * Zeek's {@code CheckHistory}: adds the letter (in the side's case) the first time this side
   * shows this kind of packet and returns false, else returns true. Zeek keeps "seen" bits per
   * side; a side's bit is set exactly when a letter of that kind in that side's case is in the
   * history (SYN and SYN/ACK share one), so the letters are the bits.
   */
  boolean addFirst(char kind, char letter, boolean isOrig) {
    boolean seen = contains(cased(kind, isOrig)) || (kind == 'S' && contains(cased('H', isOrig)));
    if (!seen) {
      add(cased(letter, isOrig));
    }
    return seen;
  }

  /**
   * Zeek's {@code ScaledHistoryEntry}: counts one more, and adds the letter (in the side's case)
   * at the 1st, 10th, 100th, ... occurrence; returns the new count.
   */
  int scaled(int count, char letter, boolean isOrig) {
    int next = count == Integer.MAX_VALUE ? count : count + 1;
    if (next != count && isPowerOfTen(next)) {
      add(cased(letter, isOrig));
    }
    return next;
  }

  /** The letter in the originator's (upper) or the responder's (lower) case. */
  void add(char letter, boolean isOrig) {
    add(cased(letter, isOrig));
  }

  static boolean isPowerOfTen(int n) {
    long p = 1;
    while (p < n) {
      p *= 10;
    }
    return p == n;
  }

  private static char cased(char letter, boolean isOrig) {
    return isOrig ? letter : Character.toLowerCase(letter);
  }

  boolean contains(char letter) {
    for (int i = 0; i < size; i++) {
      if (letters[i] == letter) {
        return true;
      }
    }
    return false;
  }

  boolean is(String history) {
    if (history.length() != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (letters[i] != history.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  void replaceWith(String history) {
    size = 0;
    for (int i = 0; i < history.length(); i++) {
      add(history.charAt(i));
    }
  }

  private void replaceWith(byte[] history) {
    if (letters.length < history.length) {
      letters = new byte[history.length];
    }
    System.arraycopy(history, 0, letters, 0, history.length);
    size = history.length;
  }

  /** The first {@code size} letters, seven bits each, for histories of up to {@link #PACKABLE}; -1 for longer ones. */
  private static long packed(byte[] letters, int size) {
    if (size > PACKABLE) {
      return -1;
    }
    long key = 0;
    for (int i = 0; i < size; i++) {
      key = key << 7 | letters[i];
    }
    return key;
  }

  /** The index of this history in {@link #WELL_KNOWN}, or -1. */
  private int wellKnownIndex() {
    long key = packed(letters, size);
    if (key < 0) {
      return -1;
    }
    for (int i = 0; i < WELL_KNOWN_PACKED.length; i++) {
      // Letters are never zero, so equal keys mean equal lengths too.
      if (WELL_KNOWN_PACKED[i] == key) {
        return i;
      }
    }
    return -1;
  }

  int size() {
    return size;
  }

  @Override
  public String toString() {
    return new String(letters, 0, size, StandardCharsets.US_ASCII);
  }

  /** One byte for a well-known history; otherwise the length, then a nibble a letter. */
  void writeTo(Bytes out) {
    int wellKnown = wellKnownIndex();
    if (wellKnown >= 0) {
      out.u8(WELL_KNOWN_BASE + wellKnown);
      return;
    }
    if (size < WELL_KNOWN_BASE) {
      out.u8(size);
    } else {
      out.u8(LONG);
      out.varLong(size);
    }
    int pending = -1;
    for (int i = 0; i < size; i++) {
      char letter = (char) letters[i];
      int common = COMMON.indexOf(letter);
      if (common >= 0) {
        pending = nibble(out, pending, common);
      } else {
        pending = nibble(out, pending, ESCAPE);
        pending = nibble(out, pending, RARE.indexOf(letter));
      }
    }
    if (pending >= 0) {
      out.u8(pending << 4);
    }
  }

  /** Writes one nibble; returns the high nibble still waiting for its partner, or -1. */
  private static int nibble(Bytes out, int pending, int value) {
    if (pending < 0) {
      return value;
    }
    out.u8(pending << 4 | value);
    return -1;
  }

  /** Reads letters written by {@link #writeTo} in place of this history's (a decoded connection's new history reuses its array). */
  void readInto(Bytes in) {
    size = 0;
    int first = in.u8();
    if (first >= WELL_KNOWN_BASE && first < WELL_KNOWN_BASE + WELL_KNOWN.size()) {
      replaceWith(WELL_KNOWN_LETTERS[first - WELL_KNOWN_BASE]);
      return;
    }
    if (first >= WELL_KNOWN_BASE && first != LONG) {
      throw new IllegalArgumentException("history code " + first + " is not known to this version");
    }
    long count = first == LONG ? in.varLong() : first;
    if (count > 1 << 20) {
      throw new IllegalArgumentException("history of " + count + " letters");
    }
    int buffered = -1;
    boolean escaped = false;
    while (size < count) {
      int value;
      if (buffered >= 0) {
        value = buffered;
        buffered = -1;
      } else {
        int b = in.u8();
        value = b >>> 4;
        buffered = b & 0xf;
      }
      if (escaped) {
        if (value >= RARE.length()) {
          throw new IllegalArgumentException("history letter code " + value + " after escape");
        }
        add(RARE.charAt(value));
        escaped = false;
      } else if (value == ESCAPE) {
        escaped = true;
      } else if (value < ESCAPE) {
        add(COMMON.charAt(value));
      } else {
        throw new IllegalArgumentException("history letter code " + value);
      }
    }
  }

  static boolean encodable(char letter) {
    return COMMON.indexOf(letter) >= 0 || RARE.indexOf(letter) >= 0;
  }
}

package io.flowinspect.inspect.engine;

/** Modular comparison of 32-bit sequence numbers (RFC 1982): valid within half the number space. */
final class Seq {
  private Seq() {}

  static boolean before(int a, int b) {
    return a - b < 0;
  }

  static boolean after(int a, int b) {
    return b - a < 0;
  }

  /** Unsigned comparison for window sizes, which the kernel keeps as u32. */
  static boolean greaterUnsigned(int a, int b) {
    return Integer.compareUnsigned(a, b) > 0;
  }
}

package io.flowinspect.capture.decode;

/**
 * Walks the IPv6 extension header chain to the upper-layer header, like the kernel's
 * ipv6_skip_exthdr (which conntrack uses): a header is read only if its first bytes are in the
 * packet, its length is then trusted, so a chain that runs past the end leaves the transport header
 * outside the packet (the kernel then finds it too short: INVALID). Mutable and reused.
 */
final class Ipv6ExtensionWalk {
  enum Outcome {
    /** {@link #nextHeader} is the upper-layer protocol, starting at {@link #offset}. */
    DONE,
    /** An extension header starts past the end of the packet: the kernel cannot find the transport. */
    MALFORMED,
    /** An extension header starts past the captured bytes (snap length). */
    TRUNCATED
  }

  int nextHeader;
  int offset;
  /** Fragment offset in bytes of the last fragment header, 0 when none. */
  int fragmentOffset;
  boolean moreFragments;
  boolean hasFragmentHeader;
  long fragmentId;

  /**
   * @param end end of the packet on the wire (bounded by the IPv6 payload length)
   * @param capturedEnd end of the captured bytes, at most {@code end}
   */
  Outcome walk(byte[] b, int firstHeader, int start, int end, int capturedEnd) {
    nextHeader = firstHeader;
    offset = start;
    fragmentOffset = 0;
    moreFragments = false;
    hasFragmentHeader = false;
    fragmentId = 0;
    // Every step advances at least 8 bytes, so the walk ends within (end - start) / 8 steps.
    while (Ipv6Header.isExtension(nextHeader)) {
      int fixed = nextHeader == Ipv6Header.FRAGMENT ? Ipv6Header.FRAGMENT_LENGTH : 2;
      if (offset + fixed > end) return Outcome.MALFORMED;
      if (offset + fixed > capturedEnd) return Outcome.TRUNCATED;
      int length;
      switch (nextHeader) {
        case Ipv6Header.FRAGMENT -> {
          int field = Bytes.u16(b, offset + Ipv6Header.FRAGMENT_OFFSET_FLAGS);
          fragmentOffset = field & Ipv6Header.FRAGMENT_OFFSET_MASK;
          moreFragments = (field & Ipv6Header.MORE_FRAGMENTS) != 0;
          hasFragmentHeader = true;
          fragmentId = Integer.toUnsignedLong(Bytes.u32(b, offset + Ipv6Header.FRAGMENT_IDENTIFICATION));
          length = Ipv6Header.FRAGMENT_LENGTH;
        }
        case Ipv6Header.AUTHENTICATION -> length = (Bytes.u8(b, offset + Ipv6Header.EXTENSION_LENGTH) + 2) * 4;
        default -> length = (Bytes.u8(b, offset + Ipv6Header.EXTENSION_LENGTH) + 1) * 8;
      }
      nextHeader = Bytes.u8(b, offset + Ipv6Header.EXTENSION_NEXT_HEADER);
      offset += length;
      // Beyond a non-first fragment's header lies the middle of a datagram, not a header.
      if (fragmentOffset != 0) return Outcome.DONE;
    }
    return Outcome.DONE;
  }
}

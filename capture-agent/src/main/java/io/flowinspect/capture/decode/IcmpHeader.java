package io.flowinspect.capture.decode;

/**
 * The ICMP (RFC 792) and ICMPv6 (RFC 4443) header, and which types are queries (with a reply that
 * shares their key) and which are errors (about an embedded packet).
 */
final class IcmpHeader {
  /*
   *  0                   1                   2                   3
   *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |     Type      |     Code      |          Checksum             |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |    Identifier (queries)       |   Sequence Number (queries)   |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |     Errors: the invoking packet's IP header + at least 8 bytes
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   */
  static final int TYPE = 0;
  static final int CODE = 1;
  static final int IDENTIFIER = 4;
  static final int SEQUENCE = 6;
  static final int LENGTH = 8;

  static final int V4_ECHO_REPLY = 0;
  static final int V4_DEST_UNREACHABLE = 3;
  static final int V4_SOURCE_QUENCH = 4;
  static final int V4_REDIRECT = 5;
  static final int V4_ECHO = 8;
  static final int V4_TIME_EXCEEDED = 11;
  static final int V4_PARAMETER_PROBLEM = 12;
  static final int V4_TIMESTAMP = 13;
  static final int V4_TIMESTAMP_REPLY = 14;
  static final int V4_INFO_REQUEST = 15;
  static final int V4_INFO_REPLY = 16;
  static final int V4_ADDRESS_MASK = 17;
  static final int V4_ADDRESS_MASK_REPLY = 18;

  static final int V6_ECHO_REQUEST = 128;
  static final int V6_ECHO_REPLY = 129;
  static final int V6_NODE_INFO_QUERY = 139;
  static final int V6_NODE_INFO_RESPONSE = 140;
  /** RFC 4443 §2.1: types 0-127 are errors; the kernel treats every one of them as an error. */
  static final int V6_FIRST_INFORMATIONAL = 128;

  private IcmpHeader() {}

  /** The ICMPv4 errors the kernel relates to a connection (icmp_is_err). */
  static boolean isError(boolean v6, int type) {
    if (v6) return type < V6_FIRST_INFORMATIONAL;
    return type == V4_DEST_UNREACHABLE
        || type == V4_SOURCE_QUENCH
        || type == V4_REDIRECT
        || type == V4_TIME_EXCEEDED
        || type == V4_PARAMETER_PROBLEM;
  }

  /**
   * The request type of a query message (a reply maps to its request, so both share a key), or -1
   * when the type is no query. These are the types the kernel can invert (its icmp invmap).
   */
  static int requestType(boolean v6, int type) {
    if (v6) {
      return switch (type) {
        case V6_ECHO_REQUEST, V6_ECHO_REPLY -> V6_ECHO_REQUEST;
        case V6_NODE_INFO_QUERY, V6_NODE_INFO_RESPONSE -> V6_NODE_INFO_QUERY;
        default -> -1;
      };
    }
    return switch (type) {
      case V4_ECHO, V4_ECHO_REPLY -> V4_ECHO;
      case V4_TIMESTAMP, V4_TIMESTAMP_REPLY -> V4_TIMESTAMP;
      case V4_INFO_REQUEST, V4_INFO_REPLY -> V4_INFO_REQUEST;
      case V4_ADDRESS_MASK, V4_ADDRESS_MASK_REPLY -> V4_ADDRESS_MASK;
      default -> -1;
    };
  }

  static boolean isReply(boolean v6, int type) {
    int request = requestType(v6, type);
    return request >= 0 && request != type;
  }

  /**
   * The "port" of both key endpoints: queries {@code (request type << 24) | (code << 16) |
   * identifier}, other messages {@code (type << 24) | (code << 16)}. The code is part of it because
   * the kernel's tuple compares it: an echo reply with another code than its request is no reply.
   */
  static int keyPort(boolean v6, int type, int code, int identifier) {
    int request = requestType(v6, type);
    if (request < 0) return type << 24 | code << 16;
    return request << 24 | code << 16 | identifier;
  }
}

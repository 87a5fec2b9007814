package io.flowinspect.capture.decode;

import java.util.Arrays;

/**
 * Finds the FTP control lines that open data connections: the PORT and EPRT commands (RFC 959
 * §4.1.2, RFC 2428 §2) and the 227 and 229 replies to PASV and EPSV (RFC 959 §4.2, RFC 2428 §3).
 * These are the lines the kernel's FTP helper turns into expectations; no other payload is kept.
 */
final class FtpLines {
  private static final int COMMAND_PREFIX = 5;
  private static final int REPLY_PREFIX = 4;

  private FtpLines() {}

  /** A copy of the line that starts at {@code start}, or null when it opens no data connection. */
  static byte[] extract(byte[] b, int start, int available, int maxLine) {
    if (!opensDataConnection(b, start, available)) return null;
    int limit = Math.min(available, maxLine);
    int end = start;
    while (end < start + limit && b[end] != '\r' && b[end] != '\n') end++;
    return Arrays.copyOfRange(b, start, end);
  }

  private static boolean opensDataConnection(byte[] b, int i, int available) {
    if (available >= COMMAND_PREFIX && b[i + 4] == ' ') {
      // Commands are case-insensitive (RFC 959 §5.3); | 0x20 lower-cases ASCII letters.
      int c0 = b[i] | 0x20, c1 = b[i + 1] | 0x20, c2 = b[i + 2] | 0x20, c3 = b[i + 3] | 0x20;
      if (c0 == 'p' && c1 == 'o' && c2 == 'r' && c3 == 't') return true;
      if (c0 == 'e' && c1 == 'p' && c2 == 'r' && c3 == 't') return true;
    }
    return available >= REPLY_PREFIX
        && b[i] == '2'
        && b[i + 1] == '2'
        && (b[i + 2] == '7' || b[i + 2] == '9')
        && b[i + 3] == ' ';
  }
}

package io.flowinspect.inspect.engine;

import java.util.Locale;

/**
 * Reads the FTP control lines that announce a data connection: PORT and EPRT from the client
 * (RFC 959, RFC 2428), 227 and 229 replies from the server.
 *
 * @param address where the data connection will go; null means the sender of the line itself
 * @param port the data connection's destination port
 */
record FtpAnnouncement(IpAddress address, int port) {

  /** The announcement in a line sent in {@code direction}, or null when it holds none. */
  static FtpAnnouncement parse(String line, Direction direction, boolean ipv6) {
    if (line == null || line.length() < 4) {
      return null;
    }
    String upper = line.toUpperCase(Locale.ROOT);
    try {
      if (direction == Direction.ORIGINAL) {
        if (upper.startsWith("PORT ") && !ipv6) {
          return sixNumbers(line.substring(5).trim());
        }
        if (upper.startsWith("EPRT ")) {
          return extendedPort(line.substring(5).trim(), ipv6);
        }
      } else {
        if (upper.startsWith("227 ") && !ipv6) {
          int open = line.indexOf('(');
          int from = open >= 0 ? open + 1 : firstDigit(line, 4);
          int close = line.indexOf(')', from);
          return from < 0 ? null : sixNumbers(line.substring(from, close >= 0 ? close : line.length()).trim());
        }
        if (upper.startsWith("229 ")) {
          int open = line.indexOf('(');
          int close = line.indexOf(')', open + 1);
          return open < 0 || close < 0 ? null : extendedPassive(line.substring(open + 1, close));
        }
      }
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return null; // a garbled line announces nothing
    }
    return null;
  }

  /** {@code h1,h2,h3,h4,p1,p2}: an IPv4 address and a port in bytes. */
  private static FtpAnnouncement sixNumbers(String text) {
    String[] parts = text.split(",");
    if (parts.length != 6) {
      return null;
    }
    int[] n = new int[6];
    for (int i = 0; i < 6; i++) {
      n[i] = Integer.parseInt(parts[i].trim());
      if (n[i] < 0 || n[i] > 255) {
        return null;
      }
    }
    long address = ((long) n[0] << 24) | (n[1] << 16) | (n[2] << 8) | n[3];
    int port = n[4] << 8 | n[5];
    return port == 0 ? null : new FtpAnnouncement(new IpAddress(false, 0, address), port);
  }

  /** {@code |af|address|port|} with any delimiter character. */
  private static FtpAnnouncement extendedPort(String text, boolean ipv6) {
    if (text.length() < 7) {
      return null;
    }
    String d = java.util.regex.Pattern.quote(text.substring(0, 1));
    String[] parts = text.split(d, -1);
    if (parts.length < 5) {
      return null;
    }
    int family = Integer.parseInt(parts[1]);
    if ((family == 1) == ipv6 || (family != 1 && family != 2)) {
      return null; // the announced family must be the control connection's
    }
    IpAddress address = IpAddress.parse(parts[2]);
    int port = Integer.parseInt(parts[3]);
    return port < 1 || port > 65535 ? null : new FtpAnnouncement(address, port);
  }

  /** {@code |||port|}: the server's own address. */
  private static FtpAnnouncement extendedPassive(String text) {
    if (text.length() < 5) {
      return null;
    }
    String d = java.util.regex.Pattern.quote(text.substring(0, 1));
    String[] parts = text.split(d, -1);
    if (parts.length < 5) {
      return null;
    }
    int port = Integer.parseInt(parts[3]);
    return port < 1 || port > 65535 ? null : new FtpAnnouncement(null, port);
  }

  private static int firstDigit(String line, int from) {
    for (int i = from; i < line.length(); i++) {
      if (Character.isDigit(line.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}

package io.flowinspect.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports on loopback that were free a moment ago. Another process can still take one before the broker
 * binds it, so the caller retries the whole start when the broker reports the address in use.
 */
final class FreePorts {
  static final String HOST = "127.0.0.1";

  /** The broker's two listeners: clients on {@code broker}, the KRaft quorum on {@code controller}. */
  record Ports(int broker, int controller) {}

  /** Where a start gets its ports: {@link #pick()}, or in tests ports known to be taken. */
  @FunctionalInterface
  interface Source {
    Ports pick() throws IOException;
  }

  private FreePorts() {}

  static Ports pick() throws IOException {
    InetAddress loopback = InetAddress.getByName(HOST);
    // Both sockets are held open together so that the kernel cannot hand out the same port twice.
    try (ServerSocket broker = new ServerSocket(0, 1, loopback);
        ServerSocket controller = new ServerSocket(0, 1, loopback)) {
      return new Ports(broker.getLocalPort(), controller.getLocalPort());
    }
  }
}

package io.flowinspect.synth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Writes a scripted exchange of packets to a capture, one millisecond apart unless told otherwise. */
public final class Script {
  private final PcapWriter out;
  final FrameBuilder frames = new FrameBuilder();
  private long now;
  private long step = 1_000_000L;

  public Script(PcapWriter out, long startNanos) {
    this.out = out;
    this.now = startNanos;
  }

  public TcpFlow tcp(Host client, int clientPort, Host server, int serverPort, int clientIsn, int serverIsn) {
    return new TcpFlow(this, client, clientPort, server, serverPort, clientIsn, serverIsn);
  }

  public Script udp(Host from, int fromPort, Host to, int toPort, int bytes) {
    return emit(frames.udp(from, fromPort, to, toPort, new byte[bytes]));
  }

  public Script icmpEcho(Host from, Host to, boolean reply, int id, int sequence) {
    boolean v6 = from.ipv6();
    int type = v6 ? (reply ? 129 : 128) : (reply ? 0 : 8);
    return emit(frames.icmp(from, to, type, 0, (id << 16) | sequence, new byte[32]));
  }

  /** An ICMP error from {@code router} to {@code to} quoting {@code quotedFrame}'s IP packet. */
  public Script icmpError(Host router, Host to, int type, int code, byte[] quotedFrame) {
    byte[] quoted = FrameBuilder.ipPacketOf(quotedFrame);
    byte[] body = java.util.Arrays.copyOf(quoted, Math.min(quoted.length, router.ipv6() ? 1232 : 548));
    return emit(frames.icmp(router, to, type, code, 0, body));
  }

  public Script icmp(Host from, Host to, int type, int code) {
    return emit(frames.icmp(from, to, type, code, 0, new byte[24]));
  }

  public Script pause(long nanos) {
    now += nanos;
    return this;
  }

  Script emit(byte[] frame) {
    try {
      out.write(now, frame);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    now += step;
    return this;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}

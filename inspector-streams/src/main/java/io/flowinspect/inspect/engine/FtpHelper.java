package io.flowinspect.inspect.engine;

/**
 * The kernel's FTP helper ({@code nf_conntrack_ftp}): on a control connection (responder port
 * configured as FTP) a PORT or EPRT from the client, or a 227 or 229 from the server, announces the
 * data connection, which becomes an {@link Expectation}. Like the kernel it reads only packets of
 * an established connection, only at the start of a line, only an address that is the sender's
 * own (the module's default, {@code loose=0}), and keeps one expectation per control connection.
 */
final class FtpHelper {
  private final TrackerConfig config;
  private final ExpectationTable expectations;

  FtpHelper(TrackerConfig config, ExpectationTable expectations) {
    this.config = config;
    this.expectations = expectations;
    this.expectationNanos = config.timeouts().expectation().toNanos();
  }

  private long expectationNanos;

  /** The expectation timeout from now on (shorter under pressure). */
  void use(TimeoutNanos timeouts) {
    expectationNanos = timeouts.expectation;
  }

  /** Looks at one accepted packet; returns true when the connection's state changed. */
  boolean inspect(FlowKey key, Conn ct, Packet p, Direction dir, Classification c) {
    if (p.payloadLength() == 0 || c.state() != CtState.ESTABLISHED || !config.isFtpPort(key.port(!ct.origIsHigh))) {
      return false;
    }
    if (ct.ftp == null) {
      ct.ftp = new FtpLineStarts();
    }
    if (ct.ftp.startsLine(dir, p.seq())) {
      announce(key, ct, p, dir);
    }
    if (p.endsLine()) {
      ct.ftp.remember(dir, p.seq() + p.payloadLength());
    }
    return true;
  }

  private void announce(FlowKey key, Conn ct, Packet p, Direction dir) {
    FtpAnnouncement a = FtpAnnouncement.parse(p.ftpLine(), dir, key.ipv6());
    if (a == null) {
      return;
    }
    IpAddress sender = key.address(p.fromHigh());
    if (a.address() != null && !a.address().equals(sender)) {
      return; // the kernel records no expectation towards an address that is not the sender's
    }
    if (ct.expectation != null) {
      expectations.remove(ct.expectation);
    }
    Expectation.Key k = Expectation.Key.of(key.zone(), Protocols.TCP, key.address(!p.fromHigh()), sender, a.port());
    expectations.put(new Expectation(k, key, ct.decision, ct.ruleId,
        p.timeNanos() + expectationNanos));
    ct.expectation = k;
  }

  /**
   * Marks a new connection {@code ct} as expected when an announcement waits for its first
   * packet {@code p}, consuming the announcement; returns it, or null.
   */
  Expectation claim(FlowKey key, Packet p, Conn ct, long now) {
    Expectation.Key wanted = Expectation.Key.forFirstPacket(key, p.fromHigh());
    Expectation e = expectations.get(wanted);
    if (e == null) {
      return null;
    }
    expectations.remove(wanted);
    if (e.expiresNanos() <= now) {
      return null;
    }
    ct.status |= Conn.EXPECTED;
    ct.decision = e.decision();
    ct.ruleId = e.ruleId();
    return e;
  }
}

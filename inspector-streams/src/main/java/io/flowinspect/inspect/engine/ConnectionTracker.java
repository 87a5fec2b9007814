package io.flowinspect.inspect.engine;

/**
 * Connection tracking with the semantics of Linux conntrack: finds (or creates) the connection a
 * packet belongs to, runs its protocol's tracker, and classifies the packet NEW, ESTABLISHED,
 * RELATED, INVALID or UNTRACKED exactly as {@code nf_conntrack_in} would. Time comes only from the
 * packets; an expired connection is forgotten when its next packet (or {@link #expire}) sees it.
 *
 * <p>Not thread-safe: one tracker per partition of the key space.
 */
public final class ConnectionTracker {
  /** How many due entries one {@link #expire} call handles at most; the rest waits for the next call. */
  public static final int DEFAULT_EXPIRY_BUDGET = 10_000;

  static final String TABLE_FULL = "connection table full";

  private final TrackerConfig config;
  private final ConnectionTable table;
  private final ExpectationTable expectations;
  private final ExpiryIndex expiry;
  private final UnrepliedIndex unreplied;
  private final TrackerMeta meta;
  private final TrackerListener listener;
  private final TcpTracker tcp;
  private final FtpHelper ftp;
  private final InPlaceSegment inPlace;
  private final long udpStreamDelayNanos = 2_000_000_000L;
  private TimeoutNanos timeouts;
  private final TablePressure pressure;
  private long connections;

  public ConnectionTracker(TrackerConfig config, TrackerState state, TrackerListener listener) {
    this.config = config;
    this.table = state.connections();
    this.expectations = state.expectations();
    this.expiry = state.expiry();
    this.unreplied = state.unreplied();
    this.meta = state.meta();
    this.listener = listener;
    this.tcp = new TcpTracker(config);
    this.ftp = new FtpHelper(config, expectations);
    this.inPlace = new InPlaceSegment(config);
    this.pressure = new TablePressure(listener);
    this.connections = meta.connectionCount();
    this.timeouts = TimeoutNanos.of(config.timeouts(), config.limits().timeoutScale(connections));
    tcp.use(timeouts);
    ftp.use(timeouts);
    inPlace.use(timeouts);
  }

  /** Connections tracked now. */
  public long connections() {
    return connections;
  }

  public TrackerConfig config() {
    return config;
  }

  /** Classifies one packet of the connection {@code key}, updating its state. */
  public Classification process(FlowKey key, Packet p) {
    if (p.icmpError() != null) {
      return icmpError(key, p);
    }
    return switch (key.protocol()) {
      case Protocols.TCP -> tcp(key, p);
      case Protocols.UDP -> udp(key, p);
      case Protocols.ICMP, Protocols.ICMPV6 -> icmpQuery(key, p);
      default -> generic(key, p);
    };
  }

  /**
   * Forgets every connection whose deadline is at or before {@code nowNanos}, at most
   * {@code budget} index entries per call; returns how many entries it handled.
   */
  public int expire(long nowNanos, int budget) {
    return expiry.drainDue(nowNanos, budget, (deadline, key) -> {
      Conn c = table.get(key);
      if (c == null || c.indexedNanos != deadline) {
        return; // stale entry: the connection is gone or was indexed again
      }
      if (c.expiresNanos > nowNanos) {
        c.indexedNanos = c.expiresNanos; // got traffic since: wait for its real deadline
        table.put(key, c);
        expiry.add(c.expiresNanos, key);
        return;
      }
      end(key, c, EndReason.afterTimeout(c), nowNanos);
    });
  }

  /** Ends a connection now, e.g. at the end of an offline capture or to make room. */
  public void forget(FlowKey key, Conn conn, EndReason reason, long nowNanos) {
    end(key, conn, reason, nowNanos);
  }

  private Classification tcp(FlowKey key, Packet p) {
    String malformed = tcp.malformation(p);
    if (malformed != null) {
      observeRefused(key, p);
      return Classification.invalid(malformed);
    }
    if (inPlace.prepare(key, p) && table.updateInPlace(key, inPlace)) {
      return inPlace.result(); // what the way below would have done, done on the connection's bytes
    }
    long now = p.timeNanos();
    Conn ct = live(key, now);
    Expectation expected = null;
    while (true) {
      boolean created = false;
      if (ct == null) {
        ct = Conn.openTcp(key, p.fromHigh(), now);
        String refused = tcp.start(ct, p);
        if (refused != null) {
          return Classification.invalid(refused);
        }
        if (!roomFor(key, now)) {
          return Classification.invalid(TABLE_FULL);
        }
        expected = ftp.claim(key, p, ct, now);
        created = true;
      }
      Direction dir = ct.directionOf(p.fromHigh());
      TcpTracker.Result result = tcp.track(ct, p, dir, now);
      switch (result.action()) {
        case REOPEN -> {
          end(key, ct, EndReason.CLOSED, now);
          ct = null;
          continue;
        }
        case INVALID -> {
          if (!created) {
            // Zeek has no notion of an invalid packet: its history records this one like any other.
            ct.history.observe(p, key.protocol(), dir == Direction.ORIGINAL, checksumBad(p));
            table.put(key, ct);
          }
          return Classification.invalid(result.reason());
        }
        case ACCEPT_AND_FORGET -> {
          Classification c = accepted(key, ct, p, dir, created, expected);
          end(key, ct, EndReason.RESET, now);
          return c;
        }
        default -> {
          Classification c = accepted(key, ct, p, dir, created, expected);
          if (ftp.inspect(key, ct, p, dir, c)) {
            table.put(key, ct);
          }
          return c;
        }
      }
    }
  }

  private Classification udp(FlowKey key, Packet p) {
    if (p.malformed()) {
      return Classification.invalid("truncated/malformed packet");
    }
    if (checksumBad(p)) {
      observeRefused(key, p);
      return Classification.invalid("bad checksum");
    }
    long now = p.timeNanos();
    Conn ct = live(key, now);
    Expectation expected = null;
    boolean created = ct == null;
    if (created) {
      if (!roomFor(key, now)) {
        return Classification.invalid(TABLE_FULL);
      }
      ct = Conn.open(key, p.fromHigh(), now);
      ct.streamNanos = now + udpStreamDelayNanos;
      expected = ftp.claim(key, p, ct, now);
    }
    Direction dir = ct.directionOf(p.fromHigh());
    // Conntrack sets SEEN_REPLY only after the first reply is processed, so that packet still
    // gets the unreplied timeout; a flow that keeps going two seconds later is a stream.
    long timeout = timeouts.udpUnreplied;
    if (ct.has(Conn.SEEN_REPLY) && now > ct.streamNanos) {
      timeout = timeouts.udpStream;
      ct.status |= Conn.ASSURED;
    }
    ct.expiresNanos = now + timeout;
    return accepted(key, ct, p, dir, created, expected);
  }

  private Classification icmpQuery(FlowKey key, Packet p) {
    boolean v6 = key.protocol() == Protocols.ICMPV6;
    if (p.malformed()) {
      return Classification.invalid("short packet");
    }
    if (config.checksums() && p.checksumBad()) {
      return Classification.invalid("bad checksum");
    }
    int type = p.icmpType();
    if (IcmpTypes.untracked(type, v6)) {
      return Classification.untracked("neighbour discovery or multicast listener message");
    }
    if (!v6 && type > IcmpTypes.MAX_KNOWN_V4) {
      return Classification.invalid("invalid icmp type " + type);
    }
    boolean request = IcmpTypes.request(type, v6);
    if (!request && !IcmpTypes.reply(type, v6)) {
      return Classification.invalid("icmp type " + type + " cannot belong to a connection");
    }
    long now = p.timeNanos();
    Conn ct = live(key, now);
    boolean created = ct == null;
    if (created) {
      if (!request) {
        return Classification.invalid("icmp reply without request");
      }
      if (!roomFor(key, now)) {
        return Classification.invalid(TABLE_FULL);
      }
      ct = Conn.open(key, p.fromHigh(), now);
    }
    Direction dir = ct.directionOf(p.fromHigh());
    if (dir == Direction.ORIGINAL && !request) {
      return Classification.invalid("icmp reply from the requester");
    }
    ct.expiresNanos = now + timeouts.icmp;
    return accepted(key, ct, p, dir, created, null);
  }

  private Classification generic(FlowKey key, Packet p) {
    long now = p.timeNanos();
    Conn ct = live(key, now);
    boolean created = ct == null;
    if (created) {
      if (!roomFor(key, now)) {
        return Classification.invalid(TABLE_FULL);
      }
      ct = Conn.open(key, p.fromHigh(), now);
    }
    Direction dir = ct.directionOf(p.fromHigh());
    ct.expiresNanos = now + timeouts.generic;
    return accepted(key, ct, p, dir, created, null);
  }

  /**
   * An ICMP error is RELATED to the connection its quoted packet belongs to, travelling back
   * towards that packet's sender; it changes nothing in the connection.
   */
  private Classification icmpError(FlowKey key, Packet p) {
    Packet.IcmpError error = p.icmpError();
    if (p.malformed()) {
      return Classification.invalid("short packet");
    }
    if (config.checksums() && p.checksumBad()) {
      return Classification.invalid("bad checksum");
    }
    if (!error.innerTrackable()) {
      return Classification.invalid("icmp error about a packet that cannot be tracked");
    }
    Conn ct = live(key, p.timeNanos());
    if (ct == null) {
      return Classification.invalid("icmp error for no connection");
    }
    if (error.destinationMismatch()) {
      return Classification.invalid("icmp error not addressed to the quoted packet's sender");
    }
    return Classification.related(ct.directionOf(error.innerFromHigh()).opposite());
  }

  /** A transport checksum that was verified, when the configuration asks for that, and is wrong. */
  private boolean checksumBad(Packet p) {
    return config.checksums() && p.checksumBad();
  }

  /**
   * A packet refused before its connection was looked up (malformed flags, bad checksum) still
   * belongs in the connection's Zeek history, where Zeek would record it ('C' for a bad checksum).
   */
  private void observeRefused(FlowKey key, Packet p) {
    Conn c = table.get(key);
    if (c != null && c.expiresNanos > p.timeNanos()) {
      c.history.observe(p, key.protocol(), c.directionOf(p.fromHigh()) == Direction.ORIGINAL, checksumBad(p));
      table.put(key, c);
    }
  }

  /** Classification of an accepted packet, and the bookkeeping every protocol shares. */
  private Classification accepted(FlowKey key, Conn ct, Packet p, Direction dir, boolean created,
      Expectation expected) {
    Classification c;
    if (dir == Direction.REPLY) {
      c = Classification.ESTABLISHED_REPLY;
    } else if (ct.has(Conn.SEEN_REPLY)) {
      c = Classification.ESTABLISHED_ORIGINAL;
    } else if (ct.has(Conn.EXPECTED)) {
      c = Classification.RELATED_ORIGINAL;
    } else {
      c = Classification.NEW_ORIGINAL;
    }
    if (dir == Direction.REPLY && !ct.has(Conn.SEEN_REPLY)) {
      ct.status |= Conn.SEEN_REPLY;
      // Answered: no longer a candidate for early drop. Left in the index, answered connections
      // piled up in front of the unanswered ones, and a full table walked (and deleted) all of
      // them, each step from a fresh iterator over the tombstones of the steps before: with four
      // million answered connections the first refused one took longer than 300 s.
      unreplied.ended(ct.firstNanos, key);
    }
    ct.count(dir, p.length(), p.timeNanos());
    ct.history.observe(p, key.protocol(), dir == Direction.ORIGINAL, checksumBad(p));
    if (created) {
      opened(key, ct);
      listener.opened(key, ct, p, expected);
    }
    save(key, ct);
    return c;
  }

  /**
   * Whether a new connection may be tracked: at the limit, the oldest connections that never saw
   * a reply make room (conntrack's early drop); an answered connection is never evicted.
   */
  private boolean roomFor(FlowKey key, long now) {
    long max = config.limits().maxConnections();
    while (connections >= max) {
      FlowKey victim = unreplied.pollOldest();
      if (victim == null) {
        reportPressure(key, true, now);
        return false;
      }
      Conn v = table.get(victim);
      if (v != null && !v.has(Conn.SEEN_REPLY)) {
        end(victim, v, EndReason.EVICTED, now);
        pressure.evicted();
      }
    }
    if (pressure.evictedSinceReport()) {
      reportPressure(key, false, now);
    }
    return true;
  }

  private void opened(FlowKey key, Conn ct) {
    unreplied.opened(ct.firstNanos, key);
    setConnections(connections + 1, key, ct.firstNanos);
  }

  private void setConnections(long value, FlowKey trigger, long now) {
    double before = timeouts.scale;
    connections = value;
    meta.connectionCount(value);
    double scale = config.limits().timeoutScale(value);
    if (scale != before) {
      timeouts = TimeoutNanos.of(config.timeouts(), scale);
      tcp.use(timeouts);
      ftp.use(timeouts);
      inPlace.use(timeouts);
      if (before == 1) {
        reportPressure(trigger, false, now); // just crossed into the adaptive range
      } else if (scale == 1) {
        pressure.relieved();
      }
    }
  }

  private void reportPressure(FlowKey trigger, boolean refused, long now) {
    pressure.report(trigger, connections, timeouts.scale, refused, now);
  }

  private void save(FlowKey key, Conn ct) {
    // The index keeps one entry per connection at its earliest known deadline; a later deadline
    // is found when that entry comes due, so steady traffic costs no index writes.
    if (ct.indexedNanos == 0 || ct.expiresNanos < ct.indexedNanos) {
      ct.indexedNanos = ct.expiresNanos;
      expiry.add(ct.expiresNanos, key);
    }
    table.put(key, ct);
  }

  /** The connection for {@code key} unless it has expired, in which case it ends now. */
  private Conn live(FlowKey key, long now) {
    Conn c = table.get(key);
    if (c != null && c.expiresNanos <= now) {
      end(key, c, EndReason.afterTimeout(c), now);
      return null;
    }
    return c;
  }

  private void end(FlowKey key, Conn c, EndReason reason, long now) {
    table.remove(key);
    if (!c.has(Conn.SEEN_REPLY)) {
      unreplied.ended(c.firstNanos, key); // answered ones left the index with their first reply
    }
    if (c.expectation != null) {
      expectations.remove(c.expectation);
    }
    setConnections(connections - 1, key, now);
    listener.ended(key, c, reason, now);
  }
}

package io.flowinspect.inspect.engine;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID v1 of a flow (corelight/community-id-spec): "1:" and the base64 of the SHA-1 of the
 * seed (2 bytes), the two addresses, the protocol (1 byte), a zero byte and the two ports (2 bytes
 * each, for TCP, UDP, SCTP, ICMP and ICMPv6 only), all big-endian, with the endpoints ordered so
 * that the smaller address (then port) comes first. Both directions of a flow get the same ID, and
 * Zeek, Suricata and Arkime compute the same one.
 */
public final class CommunityId {
  private static final int SCTP = 132;

  private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  });

  private CommunityId() {}

  /** With seed 0. For ICMP and ICMPv6, pass the type as {@code srcPort} and the code as {@code dstPort}. */
  public static String of(int protocol, IpAddress src, int srcPort, IpAddress dst, int dstPort) {
    return of(0, protocol, src, srcPort, dst, dstPort);
  }

  public static String of(int seed, int protocol, IpAddress src, int srcPort, IpAddress dst, int dstPort) {
    check(seed, "seed");
    check(srcPort, "srcPort");
    check(dstPort, "dstPort");
    if (protocol < 0 || protocol > 255) {
      throw new IllegalArgumentException("protocol: " + protocol);
    }
    if (src.ipv6() != dst.ipv6()) {
      throw new IllegalArgumentException("address families differ: " + src + " " + dst);
    }
    int sport = srcPort;
    int dport = dstPort;
    boolean oneWay = false;
    if (protocol == Protocols.ICMP || protocol == Protocols.ICMPV6) {
      // The spec takes Zeek's ICMP "ports": a message with a counterpart (echo request and reply,
      // ...) gets (type, counterpart type) and orders like a two-way flow; any other gets
      // (type, code) and keeps its direction.
      int counterpart = IcmpCounterparts.of(protocol == Protocols.ICMPV6, srcPort);
      if (counterpart >= 0) {
        dport = counterpart;
      } else {
        oneWay = true;
      }
    }
    IpAddress first = src;
    IpAddress second = dst;
    if (!oneWay) {
      int order = src.compareTo(dst);
      if (order > 0 || (order == 0 && sport > dport)) {
        first = dst;
        second = src;
        int t = sport;
        sport = dport;
        dport = t;
      }
    }
    MessageDigest sha1 = SHA1.get();
    sha1.reset();
    sha1.update((byte) (seed >>> 8));
    sha1.update((byte) seed);
    sha1.update(first.toBytes());
    sha1.update(second.toBytes());
    sha1.update((byte) protocol);
    sha1.update((byte) 0);
    if (hasPorts(protocol)) {
      sha1.update((byte) (sport >>> 8));
      sha1.update((byte) sport);
      sha1.update((byte) (dport >>> 8));
      sha1.update((byte) dport);
    }
    return "1:" + Base64.getEncoder().encodeToString(sha1.digest());
  }

  private static boolean hasPorts(int protocol) {
    return protocol == Protocols.TCP || protocol == Protocols.UDP || protocol == SCTP || protocol == Protocols.ICMP
        || protocol == Protocols.ICMPV6;
  }

  private static void check(int value, String name) {
    if (value < 0 || value > 0xffff) {
      throw new IllegalArgumentException(name + " not in 0..65535: " + value);
    }
  }

  /**
   * The ICMP message types that come in pairs, as the spec's reference implementations
   * (pycommunityid {@code icmp.py}, {@code icmp6.py}) list them after Zeek's {@code ICMP4_counterpart}
   * and {@code ICMP6_counterpart}.
   */
  static final class IcmpCounterparts {
    private static final int[][] V4 = {{8, 0}, {13, 14}, {15, 16}, {10, 9}, {17, 18}};
    // echo, MLD query/report, router solicit/advert, neighbour solicit/advert, who-are-you, home agent discovery
    private static final int[][] V6 = {{128, 129}, {130, 131}, {133, 134}, {135, 136}, {139, 140}, {144, 145}};

    private IcmpCounterparts() {}

    /** The counterpart type of {@code type}, or -1 when it has none. */
    static int of(boolean v6, int type) {
      for (int[] pair : v6 ? V6 : V4) {
        if (pair[0] == type) {
          return pair[1];
        }
        if (pair[1] == type) {
          return pair[0];
        }
      }
      return -1;
    }
  }
}

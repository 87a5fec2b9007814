#!/usr/bin/env bash
# record-sample.sh — record flowinspect's own demo capture (samples/home-office.pcap).
#
# Usage: scripts/record-sample.sh [OUT.pcap]      (run as root; default: samples/home-office.pcap)
#
# Builds a throw-away topology out of network namespaces, runs real programs (curl, dig, ping,
# nc, python3 http.server, pyftpdlib, a tiny python DNS responder) across it and records what a
# SPAN port on the home router's LAN side would see:
#
#     workstation 10.10.0.10 / fd00:10::10 ──┐                ┌── server 203.0.113.80 / 2001:db8:80::80
#                                            ├─ br-lan ─ router ─┤     (http :80, dns :53/udp, ftp :21)
#     home server 10.10.0.20 / fd00:10::20 ──┘  (tcpdump here) └── attacker 198.51.100.66
#
# No traffic leaves the namespaces this script creates: none of them has a link to the host's
# namespace and the router knows no default route. Everything created (namespaces with their
# veths and bridge, background processes, the temporary directory) is removed on exit, also on
# failure or Ctrl-C. Background processes are ended only by the PIDs recorded when they started.
#
# Needs: iproute2 tcpdump ethtool curl dnsutils iputils-ping netcat-openbsd python3
#        python3-pyftpdlib (Debian package names); tshark (optional) for the checksum check.

set -euo pipefail

# ---------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly OUT="${1:-$REPO_ROOT/samples/home-office.pcap}"

# Debian's interpreter, not whatever python3 is first on PATH: python3-pyftpdlib installs there.
readonly PY=/usr/bin/python3

# Namespace names carry this run's PID so that two runs, or a leftover of a killed run, never clash.
readonly TAG="fisample$$"
readonly NS_ROUTER="$TAG-router" NS_WS="$TAG-ws" NS_SRV="$TAG-srv" NS_NET="$TAG-inet" NS_ATK="$TAG-atk"

# Addresses (documentation / private ranges only).
readonly WS4=10.10.0.10 SRV4=10.10.0.20 GW_LAN4=10.10.0.1
readonly WS6=fd00:10::10 SRV6=fd00:10::20 GW_LAN6=fd00:10::1
readonly NET4=203.0.113.80 GW_NET4=203.0.113.1
readonly NET6=2001:db8:80::80 GW_NET6=2001:db8:80::1
readonly ATK4=198.51.100.66 GW_ATK4=198.51.100.1
readonly NOWHERE4=192.0.2.99    # the router has no route to 192.0.2.0/24: ICMP net unreachable

readonly FTP_USER=demo FTP_PASS=demo-pass
readonly SERVER_LIFETIME=120    # seconds; every server stops by itself after this at the latest

NAMESPACES=()   # created namespaces, deleted in reverse order on exit
PIDS=()         # background processes started here, ended on exit
WORKDIR=""      # temporary files (web/ftp roots, logs, the capture while it is written)

log() { printf '[record-sample] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# Cleanup: runs on every exit path (set -e failures included)
# ---------------------------------------------------------------------------------------------
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  local pid ns i
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${PIDS[@]}"; do
    # Give each process up to 3 s to go, then force it; it was started by us, so `wait` reaps it.
    for ((i = 0; i < 30; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  # Deleting a namespace also deletes the veths, bridge and addresses inside it.
  for ((i = ${#NAMESPACES[@]} - 1; i >= 0; i--)); do
    ip netns delete "${NAMESPACES[i]}" 2>/dev/null || log "warning: could not delete namespace ${NAMESPACES[i]}"
  done
  if [[ -n "$WORKDIR" && -d "$WORKDIR" ]]; then
    if ((rc != 0)); then
      # Keep the server logs visible when something went wrong.
      local f
      for f in "$WORKDIR"/*.log; do
        [[ -s "$f" ]] && { log "--- ${f##*/} ---"; tail -n 20 "$f" >&2; }
      done
    fi
    rm -rf -- "$WORKDIR"
  fi
  ((rc == 0)) || log "failed (exit $rc); everything created was removed"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
check_prerequisites() {
  [[ $EUID -eq 0 ]] || die "must run as root (network namespaces, tcpdump)"
  local missing=() cmd
  for cmd in ip tcpdump ethtool curl dig ping nc timeout; do
    command -v "$cmd" >/dev/null || missing+=("$cmd")
  done
  [[ -x $PY ]] || missing+=("$PY")
  "$PY" -c 'import pyftpdlib' 2>/dev/null || missing+=("python3-pyftpdlib")
  ((${#missing[@]} == 0)) || die "missing: ${missing[*]} — apt-get install -y iproute2 tcpdump ethtool curl dnsutils iputils-ping netcat-openbsd python3 python3-pyftpdlib"
  # The OpenBSD netcat is needed: the traditional one has other flags (-N, -z semantics).
  nc -h 2>&1 | grep -q -- '-N' || die "nc is not netcat-openbsd"
}

# in_ns NS CMD... — run a command inside a namespace.
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# start_bg NS LOGFILE CMD... — start a long-running program in a namespace, bounded by `timeout`
# so it cannot outlive the script even if cleanup were skipped, and remember its PID.
start_bg() {
  local ns=$1 logfile=$2; shift 2
  ip netns exec "$ns" timeout --kill-after=2 "$SERVER_LIFETIME" "$@" >"$logfile" 2>&1 &
  PIDS+=("$!")
}

add_ns() {
  ip netns add "$1"
  NAMESPACES+=("$1")
  in_ns "$1" ip link set lo up
}

# veth_pair NS_A IF_A NS_B IF_B — a veth pair created directly inside the two namespaces, so nothing
# ever appears in the host's namespace.
veth_pair() {
  ip -n "$1" link add "$2" type veth peer name "$4" netns "$3"
}

# quiet_offload NS IF — veths hand packets over with the checksum still to be filled in
# (CHECKSUM_PARTIAL) and as 64 KiB TSO/GSO super-segments; a capture taken on them would hold bad
# checksums and oversized frames. Turning the offloads off makes every sender finish its
# checksums and segments in software, so the capture shows what a real wire would.
quiet_offload() {
  in_ns "$1" ethtool -K "$2" rx off tx off tso off gso off gro off >/dev/null 2>&1 \
    || in_ns "$1" ethtool -K "$2" rx off tx off >/dev/null
}

# host_iface NS IF MAC — settings for an end host's interface: fixed MAC (the capture is then
# the same from run to run), static IPv6 only (no router solicitations to a router that sends no
# advertisements), offloads off.
host_iface() {
  local ns=$1 ifc=$2 mac=$3
  in_ns "$ns" ip link set "$ifc" address "$mac"
  in_ns "$ns" sysctl -qw "net.ipv6.conf.$ifc.accept_ra=0" "net.ipv6.conf.$ifc.router_solicitations=0"
  quiet_offload "$ns" "$ifc"
  in_ns "$ns" ip link set "$ifc" up
}

# addr NS IF CIDR — add an address without duplicate address detection (IPv6 addresses are then
# usable at once instead of after ~1 s of DAD).
addr() {
  if [[ $3 == *:* ]]; then
    in_ns "$1" ip -6 addr add "$3" dev "$2" nodad
  else
    in_ns "$1" ip addr add "$3" dev "$2"
  fi
}

# wait_listening NS PROTO PORT — poll (bounded, ~10 s) until something listens on PORT.
wait_listening() {
  local ns=$1 proto=$2 port=$3 i flag
  [[ $proto == tcp ]] && flag=-ltnH || flag=-lunH
  for ((i = 0; i < 100; i++)); do
    in_ns "$ns" ss "$flag" "sport = :$port" | grep -q . && return 0
    sleep 0.1
  done
  die "nothing listens on $proto/$port in $ns"
}

# expect_failure DESCRIPTION CMD... — for steps whose point is an error (refused, unreachable):
# a success would mean the sample does not show what it should.
expect_failure() {
  local what=$1; shift
  if "$@" >/dev/null 2>&1; then
    die "expected to fail but succeeded: $what"
  fi
  log "  (failed as intended: $what)"
}

# ---------------------------------------------------------------------------------------------
# Topology
# ---------------------------------------------------------------------------------------------
build_topology() {
  log "building namespaces ($TAG-*)"
  local ns
  for ns in "$NS_ROUTER" "$NS_WS" "$NS_SRV" "$NS_NET" "$NS_ATK"; do
    add_ns "$ns"
  done

  # Router: forwards IPv4 and IPv6. ICMP error rate limiting is off so that each error the
  # scenario provokes is really sent (the kernel default allows about one per second per peer).
  in_ns "$NS_ROUTER" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
    net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0

  # Home LAN: a bridge inside the router with one port per home host. The bridge interface is
  # the router's LAN leg and the capture point: every packet between the home network and the
  # rest of the world passes it, in both directions.
  in_ns "$NS_ROUTER" ip link add br-lan address 02:00:0a:0a:00:01 type bridge
  veth_pair "$NS_ROUTER" lan-ws "$NS_WS" eth0
  veth_pair "$NS_ROUTER" lan-srv "$NS_SRV" eth0
  local port
  for port in lan-ws lan-srv; do
    quiet_offload "$NS_ROUTER" "$port"
    in_ns "$NS_ROUTER" ip link set "$port" master br-lan up
  done
  quiet_offload "$NS_ROUTER" br-lan || true   # bridges inherit features from ports; best effort
  in_ns "$NS_ROUTER" sysctl -qw net.ipv6.conf.br-lan.accept_ra=0
  in_ns "$NS_ROUTER" ip link set br-lan up
  addr "$NS_ROUTER" br-lan "$GW_LAN4/24"
  addr "$NS_ROUTER" br-lan "$GW_LAN6/64"

  # "Internet" side: one link to the server, one to the attacker (its own /24).
  veth_pair "$NS_ROUTER" wan0 "$NS_NET" eth0
  veth_pair "$NS_ROUTER" wan1 "$NS_ATK" eth0
  for port in wan0 wan1; do
    quiet_offload "$NS_ROUTER" "$port"
    in_ns "$NS_ROUTER" ip link set "$port" up
  done
  addr "$NS_ROUTER" wan0 "$GW_NET4/24"
  addr "$NS_ROUTER" wan0 "$GW_NET6/64"
  addr "$NS_ROUTER" wan1 "$GW_ATK4/24"

  # End hosts. The MACs are fixed (locally administered) so that the recording is repeatable.
  host_iface "$NS_WS" eth0 02:00:0a:0a:00:0a
  addr "$NS_WS" eth0 "$WS4/24"
  addr "$NS_WS" eth0 "$WS6/64"
  in_ns "$NS_WS" ip route add default via "$GW_LAN4"
  in_ns "$NS_WS" ip -6 route add default via "$GW_LAN6"

  host_iface "$NS_SRV" eth0 02:00:0a:0a:00:14
  addr "$NS_SRV" eth0 "$SRV4/24"
  addr "$NS_SRV" eth0 "$SRV6/64"
  in_ns "$NS_SRV" ip route add default via "$GW_LAN4"
  in_ns "$NS_SRV" ip -6 route add default via "$GW_LAN6"

  host_iface "$NS_NET" eth0 02:00:cb:00:71:50
  addr "$NS_NET" eth0 "$NET4/24"
  addr "$NS_NET" eth0 "$NET6/64"
  in_ns "$NS_NET" ip route add default via "$GW_NET4"
  in_ns "$NS_NET" ip -6 route add default via "$GW_NET6"

  host_iface "$NS_ATK" eth0 02:00:c6:33:64:42
  addr "$NS_ATK" eth0 "$ATK4/24"
  in_ns "$NS_ATK" ip route add default via "$GW_ATK4"
}

# ---------------------------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------------------------

# A minimal authoritative DNS responder for example.com, written for this recording: answers A
# and AAAA for a few names, NXDOMAIN for other names under example.com. It serves IPv4 and IPv6
# on one dual-stack socket and stops by itself after a deadline.
write_dns_responder() {
  cat >"$WORKDIR/dns_responder.py" <<'PY'
import socket, struct, sys, time

ZONE = {
    ("www.example.com", 1): socket.inet_pton(socket.AF_INET, "203.0.113.80"),
    ("www.example.com", 28): socket.inet_pton(socket.AF_INET6, "2001:db8:80::80"),
    ("ftp.example.com", 1): socket.inet_pton(socket.AF_INET, "203.0.113.80"),
}
NAMES = {name for name, _ in ZONE}


def read_qname(msg, off):
    labels = []
    while True:
        length = msg[off]
        off += 1
        if length == 0:
            return ".".join(labels).lower(), off
        if length & 0xC0:          # a query's question never uses compression
            raise ValueError("compressed name in question")
        labels.append(msg[off:off + length].decode("ascii"))
        off += length


def answer(msg):
    tid, flags, qdcount = struct.unpack("!HHH", msg[:6])
    if flags & 0x8000 or qdcount != 1:
        return None                # a response, or nothing we can answer
    name, off = read_qname(msg, 12)
    qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
    question = msg[12:off + 4]
    rdata = ZONE.get((name, qtype))
    rcode = 0 if name in NAMES else 3           # NOERROR (maybe no data) or NXDOMAIN
    reply_flags = 0x8000 | (flags & 0x7900) | 0x0400 | rcode   # QR, opcode+RD echoed, AA
    out = struct.pack("!HHHHHH", tid, reply_flags, 1, 1 if rdata else 0, 0, 0) + question
    if rdata:
        out += struct.pack("!HHHIH", 0xC00C, qtype, qclass, 300, len(rdata)) + rdata
    return out


def main():
    lifetime = float(sys.argv[1])
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    sock.bind(("::", 53))
    sock.settimeout(0.5)
    deadline = time.monotonic() + lifetime
    while time.monotonic() < deadline:
        try:
            msg, peer = sock.recvfrom(1500)
        except socket.timeout:
            continue
        try:
            reply = answer(msg)
        except (ValueError, IndexError, struct.error, UnicodeDecodeError):
            reply = None
        if reply:
            sock.sendto(reply, peer)
            print("answered", peer[0], len(reply), flush=True)


main()
PY
}

start_servers() {
  log "starting servers in $NS_NET and $NS_SRV"
  # Content for the web and FTP servers: small, fixed text so that the capture stays small.
  mkdir -p "$WORKDIR/www" "$WORKDIR/ftp/pub"
  printf '<!doctype html>\n<title>example server</title>\n<p>Hello from the flowinspect demo web server.</p>\n' \
    >"$WORKDIR/www/index.html"
  printf 'Release notes\n- nothing to see here\n' >"$WORKDIR/www/notes.txt"
  printf 'This file came over a passive-mode (PASV) FTP data connection.\n' >"$WORKDIR/ftp/pub/readme.txt"
  {
    printf 'month,visitors\n'
    local m
    for m in 01 02 03 04 05 06; do printf '2024-%s,%d\n' "$m" $((100 + 10#$m * 7)); done
  } >"$WORKDIR/ftp/pub/report.csv"
  write_dns_responder

  # Web server: Python's http.server binding "::" serves IPv4 and IPv6 (dual-stack socket).
  start_bg "$NS_NET" "$WORKDIR/http.log" "$PY" -m http.server 80 --bind :: --directory "$WORKDIR/www"
  # DNS responder on udp/53 (IPv4 and IPv6).
  start_bg "$NS_NET" "$WORKDIR/dns.log" "$PY" -u "$WORKDIR/dns_responder.py" "$SERVER_LIFETIME"
  # FTP server: one read-only account; passive data ports from a small fixed range.
  start_bg "$NS_NET" "$WORKDIR/ftp.log" "$PY" -m pyftpdlib -i "$NET4" -p 21 -d "$WORKDIR/ftp" \
    -u "$FTP_USER" -P "$FTP_PASS" -r 30000-30009
  # Home server: a one-shot "SSH" listener that sends a banner line and closes after the client
  # has closed (-N: shut the socket down once the banner, its stdin, is sent).
  printf 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n' >"$WORKDIR/banner"
  ip netns exec "$NS_SRV" timeout --kill-after=2 "$SERVER_LIFETIME" \
    nc -N -l "$SRV4" 22 <"$WORKDIR/banner" >"$WORKDIR/ssh.log" 2>&1 &
  PIDS+=("$!")

  wait_listening "$NS_NET" tcp 80
  wait_listening "$NS_NET" udp 53
  wait_listening "$NS_NET" tcp 21
  wait_listening "$NS_SRV" tcp 22
}

# ---------------------------------------------------------------------------------------------
# Capture
# ---------------------------------------------------------------------------------------------
CAPTURE_PID=""
start_capture() {
  log "capturing on $NS_ROUTER/br-lan"
  # -Z root: tcpdump would otherwise drop to the 'tcpdump' user, who cannot write in WORKDIR.
  # -U: write each packet at once, so that stopping it loses nothing.
  ip netns exec "$NS_ROUTER" tcpdump -i br-lan -s 0 -n -U -Z root -w "$WORKDIR/capture.pcap" \
    >"$WORKDIR/tcpdump.log" 2>&1 &
  CAPTURE_PID=$!
  PIDS+=("$CAPTURE_PID")
  local i
  for ((i = 0; i < 100; i++)); do
    grep -q 'listening on' "$WORKDIR/tcpdump.log" 2>/dev/null && return 0
    sleep 0.1
  done
  die "tcpdump did not start"
}

stop_capture() {
  # Let the last teardown packets (FINs, final ACKs) arrive, then stop tcpdump cleanly so that it
  # flushes the file; cleanup would only be a fallback.
  sleep 1
  kill -INT "$CAPTURE_PID"
  local i
  for ((i = 0; i < 50; i++)); do
    kill -0 "$CAPTURE_PID" 2>/dev/null || break
    sleep 0.1
  done
  wait "$CAPTURE_PID" || true
  log "$(grep -E 'packets (captured|dropped by kernel)' "$WORKDIR/tcpdump.log" | tr '\n' ' ')"
}

# ---------------------------------------------------------------------------------------------
# Scenario — each step is a real client program; short pauses keep the phases apart in time.
# ---------------------------------------------------------------------------------------------
ws() { in_ns "$NS_WS" "$@"; }
atk() { in_ns "$NS_ATK" "$@"; }
pause() { sleep 0.5; }

scenario_http() {
  log "1. workstation -> web server: HTTP GETs (one over IPv6)"
  local url status
  for url in "http://$NET4/" "http://$NET4/notes.txt" "http://$NET4/no-such-page" "http://[$NET6]/"; do
    # Each curl is its own TCP connection (http.server answers HTTP/1.0 and closes).
    status=$(ws curl -g -sS -o /dev/null --max-time 5 -w '%{http_code}' "$url")
    log "  GET $url -> $status"
  done
}

scenario_dns() {
  log "2. workstation -> DNS server: queries, and one to a port where nothing listens"
  local q reply
  for q in "www.example.com A" "ftp.example.com A" "www.example.com AAAA" "nosuch.example.com A"; do
    # shellcheck disable=SC2086 # q is "name type" on purpose
    reply=$(ws dig +tries=1 +time=2 +noall +comments +answer @"$NET4" $q)
    log "  $q -> $(grep -o 'status: [A-Z]*' <<<"$reply") $(awk '!/^;/ && NF {print $NF}' <<<"$reply")"
  done
  reply=$(ws dig +tries=1 +time=2 +short @"$NET6" www.example.com AAAA)
  [[ -n $reply ]] || die "no answer over IPv6"
  log "  www.example.com AAAA over IPv6 -> $reply"
  # Nothing listens on udp/5353 there: the server's kernel answers ICMP port unreachable.
  expect_failure "DNS query to closed udp/5353" ws dig +tries=1 +time=1 -p 5353 @"$NET4" www.example.com A
}

scenario_icmp() {
  log "3. workstation: pings, an unreachable network and a TTL=1 ping"
  ws ping -n -q -c 3 -i 0.5 -W 2 "$NET4" >/dev/null
  ws ping -n -q -6 -c 2 -i 0.5 -W 2 "$NET6" >/dev/null
  # The router has no route to 192.0.2.0/24: it answers with ICMP destination (net) unreachable.
  expect_failure "ping $NOWHERE4 (no route at the router)" ws ping -n -c 2 -i 0.5 -W 1 "$NOWHERE4"
  # TTL 1 expires at the router: ICMP time exceeded.
  expect_failure "ping with TTL 1" ws ping -n -c 1 -t 1 -W 1 "$NET4"
}

scenario_ftp() {
  log "4. workstation -> FTP server: passive (PASV) and active (PORT) downloads"
  local base="ftp://$FTP_USER:$FTP_PASS@$NET4/pub"
  # --disable-epsv / --disable-eprt: curl would otherwise use the extended commands (EPSV, EPRT);
  # the sample is meant to show the classic PASV/227 and PORT forms.
  ws curl -sS --max-time 10 --disable-epsv -o /dev/null "$base/readme.txt"
  ws curl -sS --max-time 10 --disable-eprt --ftp-port - -o /dev/null "$base/report.csv"
}

scenario_attacker() {
  log "5. attacker -> home server: banner grab on 22, port sweep, ping"
  local banner
  banner=$(printf 'SSH-2.0-Go\r\n' | atk timeout 10 nc -N -w 3 "$SRV4" 22 | tr -d '\r')
  log "  port 22 answered: $banner"
  local p open=0
  # Ten ports, each probed once: SYN answered by RST/ACK since nothing listens there.
  for p in 21 23 25 80 110 139 443 445 3389 8080; do
    if atk nc -z -w 1 "$SRV4" "$p" 2>/dev/null; then open=$((open + 1)); fi
  done
  log "  sweep of 10 ports: $open open"
  atk ping -n -q -c 2 -i 0.5 -W 2 "$SRV4" >/dev/null
}

scenario_refused() {
  log "6. workstation -> closed port on the web server (SYN, RST)"
  expect_failure "connect to $NET4:8080" ws curl -sS --max-time 5 "http://$NET4:8080/"
}

# ---------------------------------------------------------------------------------------------
# Check and publish
# ---------------------------------------------------------------------------------------------
check_capture() {
  local file=$1 packets bad
  packets=$(tcpdump -r "$file" -n 2>/dev/null | wc -l)
  ((packets > 0)) || die "the capture is empty"
  log "captured $packets packets, $(stat -c %s "$file") bytes"
  if command -v tshark >/dev/null; then
    # Wireshark's checksum status: 0 bad, 1 good, 2 unverified. With validation switched on, a
    # TCP/UDP checksum left "unverified" is one tshark could not check; neither kind may occur.
    local -a verify=(-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE)
    bad=$(tshark -r "$file" "${verify[@]}" -Y 'ip.checksum.status==0 || tcp.checksum.status==0 ||
      udp.checksum.status==0 || icmp.checksum.status==0 || icmpv6.checksum.status==0 ||
      tcp.checksum.status==2 || udp.checksum.status==2' 2>/dev/null | wc -l)
    if ((bad > 0)); then
      cp "$file" "$OUT.rejected.pcap"
      die "$bad packets with a bad or unverifiable checksum (offload still on?); kept as $OUT.rejected.pcap"
    fi
    log "checksums: all verified good"
  else
    log "tshark not installed: checksums not verified"
  fi
}

main() {
  check_prerequisites
  mkdir -p "$(dirname "$OUT")"
  WORKDIR=$(mktemp -d /tmp/record-sample.XXXXXX)

  build_topology
  start_servers
  # Let link-up chatter (IPv6 DAD and MLD reports) finish before recording.
  sleep 2
  start_capture
  pause

  scenario_http;     pause
  scenario_dns;      pause
  scenario_icmp;     pause
  scenario_ftp;      pause
  scenario_attacker; pause
  scenario_refused

  stop_capture
  check_capture "$WORKDIR/capture.pcap"
  # Replace the output only once the new capture has passed the checks.
  cp "$WORKDIR/capture.pcap" "$OUT.tmp"
  mv -f "$OUT.tmp" "$OUT"
  log "wrote $OUT"
}

main "$@"

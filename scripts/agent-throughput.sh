#!/usr/bin/env bash
# Measures the capture agent from a capture file into a real local broker, with batching on and
# off, three runs each, next to argus reading the same file (when installed). Prints a table.
# Usage: scripts/agent-throughput.sh [PCAP]   (default: a 2,000,000-packet synthetic workload)
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fi="$home/flowinspect"
pcap="${1:-${TMPDIR:-/tmp}/flowinspect-agent-bench.pcap}"
log="$(mktemp)"
broker_pid=""
cleanup() {
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null
  rm -f "$log"
}
trap cleanup EXIT

if [ ! -f "$pcap" ]; then
  "$fi" synth --out "$pcap" --concurrent 10000 --rate 2000 --packets 2000000 --seed 1 >&2
fi
"$fi" broker --partitions 6 >"$log" 2>&1 &
broker_pid=$!
for _ in $(seq 1 120); do
  grep -q "broker running" "$log" && break
  sleep 0.5
done
bootstrap="$(grep -o 'bootstrap-servers [^ ]*' "$log" | cut -d' ' -f2)"
[ -n "$bootstrap" ] || { echo "broker did not start:" >&2; cat "$log" >&2; exit 1; }

echo "file: $pcap ($(du -h "$pcap" | cut -f1)), broker $bootstrap, $(nproc) cores"
printf '%-22s %14s %14s %12s\n' "run" "packets/s" "records/s" "per record"
for batch in 256 1; do
  for run in 1 2 3; do
    out="$("$fi" capture --pcap "$pcap" --bootstrap-servers "$bootstrap" --batch "$batch" --sensor "b$batch-$run" 2>/dev/null)"
    pps="$(echo "$out" | grep -o '[0-9]* packets/s' | head -1 | cut -d' ' -f1)"
    rps="$(echo "$out" | grep -o '[0-9]* records/s' | head -1 | cut -d' ' -f1)"
    per="$(echo "$out" | grep -o '([0-9.]* per record)' | tr -d '(' | cut -d' ' -f1)"
    printf '%-22s %14s %14s %12s\n' "agent batch=$batch #$run" "$pps" "$rps" "$per"
  done
done
if command -v argus >/dev/null; then
  packets="$("$fi" inspect --pcap "$pcap" | head -1 | grep -o '[0-9]* frames' | cut -d' ' -f1)"
  for run in 1 2 3; do
    start=$(date +%s.%N)
    argus -r "$pcap" -w /dev/null
    end=$(date +%s.%N)
    printf '%-22s %14.0f\n' "argus #$run" "$(echo "$packets / ($end - $start)" | bc -l)"
  done
fi

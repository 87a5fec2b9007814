#!/usr/bin/env bash
# Regenerates the kernel's answers for the project's own edge-case captures: writes every scenario
# with `flowinspect synth --scenarios`, replays each through the running kernel's conntrack with
# ../shared/tools/ct-oracle (root and network namespaces needed), and stores capture and answer in
# cli/src/test/resources/kernel-scenarios/, where KernelScenariosTest holds the engine to them.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
oracle="${CT_ORACLE:-$home/../shared/tools/ct-oracle}"
out="$home/cli/src/test/resources/kernel-scenarios"
[ -x "$oracle" ] || { echo "kernel-scenarios: no ct-oracle at $oracle (set CT_ORACLE)" >&2; exit 2; }

"$home/flowinspect" synth --scenarios "$out"
for capture in "$out"/*.pcap; do
  "$oracle" "$capture" "${capture%.pcap}.oracle.tsv" --no-dump
done
echo "kernel answers written to $out (kernel $(uname -r))"

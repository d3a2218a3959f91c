#!/usr/bin/env bash
# Alternated imports: each binary imports FILE into a fresh store, in turn, N rounds. On these
# noisy 2-core machines only such pairs compare (BENCHMARKS.md, issue 4).
#   Benchmarks/profile/alternate.sh N FILE BINARY... [-- IMPORT-OPTIONS...]
# Prints one line per import: binary, wall, user and system seconds.
set -euo pipefail
n=$1 file=$2; shift 2
bins=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do bins+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
dir=$(mktemp -d "${TMPDIR:-/tmp}/erpctl-alternate.XXXXXX")
trap 'rm -rf "$dir"' EXIT
TIMEFORMAT='%R %U %S'
for round in $(seq "$n"); do
  for b in "${bins[@]}"; do
    rm -rf "$dir/s"
    "$b" init --store "$dir/s" >/dev/null 2>&1
    t=$( { time "$b" import --store "$dir/s" -q "$file" "$@" >/dev/null 2>&1; } 2>&1 )
    read -r wall user sys <<<"$t"
    printf '%s round %d: %s s wall, %s user, %s sys\n' "$(basename "$b")" "$round" "$wall" "$user" "$sys"
  done
done

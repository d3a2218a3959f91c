#!/usr/bin/env bash
# Instruction counts per thread of one import (valgrind's callgrind), for before/after
# comparisons that the machine's noise does not blur.
#   Benchmarks/profile/callgrind.sh BINARY FILE OUTDIR
# Valgrind cannot read Swift 6.3's DWARF 5: a copy with the debug sections stripped runs (the
# symbols stay). OUTDIR gets out-01 (appending thread), out-02 and out-03 (the encoding and
# reading threads, in the order they started) and out-04 (the commit's writeback thread,
# `CommitFlusher`, a few thousand instructions); read them with `callgrind_annotate --inclusive=yes`.
set -euo pipefail
bin=$1 file=$2 out=$3
mkdir -p "$out"
dir=$(mktemp -d "${TMPDIR:-/tmp}/erpctl-callgrind.XXXXXX")
trap 'rm -rf "$dir"' EXIT
strip --strip-debug -o "$dir/erpctl" "$bin"
"$dir/erpctl" init --store "$dir/s" >/dev/null
valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out/out" \
  "$dir/erpctl" import --store "$dir/s" -q "$file" 2>"$out/valgrind.log"
grep -H '^totals:' "$out"/out-*

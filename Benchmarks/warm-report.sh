#!/bin/sh
# Issue 5 (b), before and after a change: `report sales --by rep,month` on a warm store after
# 1,000 new primary events, and again with nothing new, for each erpctl binary given, alternated
# ROUNDS times so that both see the same machine (these machines are noisy).
#
#   Benchmarks/warm-report.sh DIR ROUNDS BINARY...
#
# DIR holds `warm.lmdb`, a store whose sales projection is built (a report was run on it), and
# `tail.jsonl`, the 1,000 primary events to import before each measurement. Every round copies
# the store afresh (and lets the copy reach the disk). Prints one line per run: the binary, then
# wall, user and system seconds after the 1,000, then the same with nothing new (GNU time, 10 ms
# resolution). The outputs are compared with cmp.
set -eu
dir=$1; rounds=$2; shift 2
i=0
while [ "$i" -lt "$rounds" ]; do
  for b in "$@"; do
    rm -rf "$dir/run.lmdb"
    cp -r "$dir/warm.lmdb" "$dir/run.lmdb"
    "$b" import --store "$dir/run.lmdb" -q "$dir/tail.jsonl"
    sync
    sleep 1
    a=$({ /usr/bin/time -f "%e %U %S" "$b" report sales --store "$dir/run.lmdb" --by rep,month --format csv >"$dir/after.csv"; } 2>&1)
    n=$({ /usr/bin/time -f "%e %U %S" "$b" report sales --store "$dir/run.lmdb" --by rep,month --format csv >"$dir/again.csv"; } 2>&1)
    cmp -s "$dir/after.csv" "$dir/again.csv" || { echo "outputs differ" >&2; exit 1; }
    [ -f "$dir/first.csv" ] || cp "$dir/after.csv" "$dir/first.csv"
    cmp -s "$dir/first.csv" "$dir/after.csv" || { echo "$b: output differs from the first binary's" >&2; exit 1; }
    echo "$(basename "$b") $a $n"
  done
  i=$((i + 1))
done
rm -rf "$dir/run.lmdb" "$dir/first.csv"

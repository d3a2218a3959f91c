#!/usr/bin/env python3
"""Where each thread of a `perf record -g` run spends its samples (a development aid, not part of
the product).

    perf record -F 499 -g -o perf.data erpctl import --store S -q FILE
    perf script -i perf.data -F tid,time,ip,sym > perf.txt
    Benchmarks/profile/threads.py perf.txt [--timeline SECONDS]

For each thread (largest first): its share of the samples, the functions on top of its stacks,
and "own code": each sample given to the innermost frame in erpctl's modules, so that the
runtime's retain/release and malloc count towards the code that called them. --timeline prints
the samples per thread in slices of that many seconds (where only one core was busy).
"""
import collections
import re
import sys


def samples(path):
    out, cur = [], None
    for line in open(path, errors="replace"):
        if not line.strip():
            if cur:
                out.append(cur)
            cur = None
            continue
        head = re.match(r"^\s*(\d+)\s+([\d.]+):\s*$", line) or re.match(r"^\s*(\d+)\s*$", line)
        if head and not line.startswith("\t"):
            cur = (int(head.group(1)), float(head.group(2)) if head.lastindex == 2 else 0.0, [])
            continue
        if cur is not None:
            parts = line.strip().split(None, 1)
            cur[2].append(parts[1] if len(parts) > 1 else parts[0])
    if cur:
        out.append(cur)
    return out


def main():
    args = sys.argv[1:]
    timeline = None
    if "--timeline" in args:
        i = args.index("--timeline")
        timeline = float(args[i + 1])
        del args[i:i + 2]
    all_samples = samples(args[0])
    total = len(all_samples)
    by_thread = collections.Counter(s[0] for s in all_samples)
    print(f"{total} samples")
    ours = re.compile(r"\$s\d+(ERPCore|ERPStore|ERPCLI)|^mdb_")
    for tid, n in by_thread.most_common():
        print(f"\n== thread {tid}: {n} samples ({100 * n / total:.1f} %)")
        top, own = collections.Counter(), collections.Counter()
        for t, _, stack in all_samples:
            if t != tid or not stack:
                continue
            top[stack[0]] += 1
            own[next((f for f in stack if ours.search(f)), "(outside erpctl's code)")] += 1
        print("  on top of the stack:")
        for f, k in top.most_common(12):
            print(f"    {100 * k / n:5.1f} %  {f[:140]}")
        print("  own code (runtime and libc calls counted to their caller):")
        for f, k in own.most_common(20):
            print(f"    {100 * k / n:5.1f} %  {f[:140]}")
    if timeline:
        t0 = min(s[1] for s in all_samples)
        tids = [t for t, _ in by_thread.most_common()]
        slices = collections.defaultdict(collections.Counter)
        for t, when, _ in all_samples:
            slices[int((when - t0) / timeline)][t] += 1
        print("\nseconds  " + "  ".join(f"{t:>8}" for t in tids))
        for k in sorted(slices):
            print(f"{k * timeline:7.2f}  " + "  ".join(f"{slices[k][t]:8d}" for t in tids))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Recompute erpctl's hash chain from an export, independently of erpctl (SPEC 7).

hash(n) = SHA-256(hash(n-1) || JCS(event n without "hash")), hash(0) = 32 zero bytes.
erpctl's data holds only strings, integers, booleans, null, arrays and objects, for which
RFC 8785 (JCS) equals json.dumps with sorted keys, no spaces and no ASCII escaping (keys
are compared by UTF-16 code units; the sort below does exactly that).

Usage: erpctl export | python3 tools/verify-chain.py     (stdlib only)
"""
import hashlib, json, sys

def jcs(v):
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + jcs(v[k]) for k in keys) + "}"
    if isinstance(v, list):
        return "[" + ",".join(jcs(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)

prev = bytes(32)
n = 0
for lineno, line in enumerate(sys.stdin, 1):
    if not line.strip():
        continue
    event = json.loads(line)
    stored = event.pop("hash")
    h = hashlib.sha256(prev + jcs(event).encode("utf-8")).digest()
    if h.hex() != stored:
        print(f"line {lineno} (seq {event.get('seq')}): hash mismatch", file=sys.stderr)
        sys.exit(1)
    prev, n = h, n + 1
print(f"ok: {n} events, head {prev.hex()}")

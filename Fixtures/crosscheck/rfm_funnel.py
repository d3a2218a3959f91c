#!/usr/bin/env python3
"""Independent cross-check of `erpctl report customers` and `erpctl report funnel`.

Reads an `erpctl export` (JSON Lines) and computes, from the SPEC 7 definitions alone (not
from erpctl's code), per customer: orders, monetary, revenue, gross profit, last order,
recency days, the R/F/M scores (numpy's linear percentiles) and the segment; and the funnel's
reached count per stage for the leads created in a period. Writes two CSV files that
`Tests/ERPCLITests/CrossCheckTests.swift` compares with erpctl's output.

The history is erpctl's own generator, so the expectations follow it; after a change to
`erpctl generate`, regenerate them (the test prints these commands when it fails):

    erpctl generate --months 12 --customers 120 --reps 4 --products 10 --seed 21 \
        --start 2025-01-01 --out h.jsonl
    erpctl init --store s.lmdb --currency CNY --timezone Asia/Shanghai
    erpctl import --store s.lmdb h.jsonl
    erpctl export --store s.lmdb > export.jsonl
    python3 Fixtures/crosscheck/rfm_funnel.py export.jsonl 2025-12-31 2025-04-01 2025-07-01 \
        Fixtures/crosscheck

Needs numpy (pip install numpy).
"""
import csv
import json
import sys
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

TZ = timezone(timedelta(hours=8))  # Asia/Shanghai has no DST
STAGES = ["new", "contacted", "qualified", "quoted", "negotiating", "won"]
SEGMENTS = {}
for r in range(1, 6):
    for f in range(1, 6):
        if r == 5 and f >= 4: s = "champions"
        elif r in (3, 4) and f >= 4: s = "loyal"
        elif r >= 4 and f in (2, 3): s = "potential_loyalist"
        elif r == 5 and f == 1: s = "new"
        elif r == 4 and f == 1: s = "promising"
        elif r == 3 and f == 3: s = "need_attention"
        elif r == 3 and f <= 2: s = "about_to_sleep"
        elif r <= 2 and f == 5: s = "cannot_lose"
        elif r <= 2 and f in (3, 4): s = "at_risk"
        else: s = "hibernating"
        SEGMENTS[(r, f)] = s


def business_date(at):
    if len(at) == 10:
        return date.fromisoformat(at)
    return datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(TZ).date()


def cents(text):
    return int((Decimal(text) * 100).to_integral_value(ROUND_HALF_UP))


def line_amount(line, qty):
    """qty × unit_price × (1 − discount), rounded half away from zero to the cent (SPEC 7)."""
    v = Decimal(qty) * Decimal(line["unit_price"]) * (1 - Decimal(line.get("discount") or "0")) * 100
    return int(v.to_integral_value(ROUND_HALF_UP))  # amounts are never negative here


def main(export, as_of, cohort_from, cohort_to, out_dir):
    as_of = date.fromisoformat(as_of)
    cohort = (date.fromisoformat(cohort_from), date.fromisoformat(cohort_to))
    orders = {}  # id -> dict(customer, day, lines, shipped, value, cancelled, shipped_any)
    money = {}  # customer -> [revenue, cogs]
    leads = {}  # id -> [created day, furthest stage index]
    with open(export, encoding="utf-8") as f:
        for raw in f:
            e = json.loads(raw)
            day = business_date(e["at"])
            if day > as_of:
                continue
            t, d = e["type"], e["data"]
            if t == "OrderConfirmed":
                orders[d["order"]] = dict(
                    customer=d["customer"], day=day, lines=d["lines"], shipped=[0] * len(d["lines"]),
                    value=sum(line_amount(l, l["qty"]) for l in d["lines"]), cancelled=False, shipped_any=False)
            elif t == "Shipped":
                o = orders[d["order"]]
                o["shipped_any"] = True
                for s in d["lines"]:
                    left = s["qty"]
                    for i, l in enumerate(o["lines"]):
                        if l["sku"] == s["sku"] and left > 0:
                            take = min(l["qty"] - o["shipped"][i], left)
                            if take > 0:
                                o["shipped"][i] += take
                                left -= take
                    money.setdefault(o["customer"], [0, 0])[1] += cents(s["cogs"])
            elif t == "OrderCancelled":
                o = orders[d["order"]]
                if not o["cancelled"]:
                    o["cancelled"] = True
                    for i, l in enumerate(o["lines"]):
                        if l["qty"] > o["shipped"][i]:
                            o["value"] -= line_amount(l, l["qty"] - o["shipped"][i])
            elif t == "ReturnReceived":
                money.setdefault(orders[d["order"]]["customer"], [0, 0])[1] -= cents(d["cogs"])
            elif t == "InvoiceIssued":
                money.setdefault(d["customer"], [0, 0])[0] += cents(d["amount"])
            elif t == "CreditNoteIssued":
                money.setdefault(d["customer"], [0, 0])[0] -= cents(d["amount"])
            elif t == "LeadCreated":
                leads[d["lead"]] = [day, 0]
            elif t == "LeadStageChanged" and d["stage"] != "lost":
                l = leads[d["lead"]]
                l[1] = max(l[1], STAGES.index(d["stage"]))

    per = {}
    for o in orders.values():
        if o["cancelled"] and not o["shipped_any"]:
            continue  # fully cancelled: not a purchase
        c = per.setdefault(o["customer"], dict(orders=0, monetary=0, last=o["day"]))
        c["orders"] += 1
        c["monetary"] += o["value"]
        c["last"] = max(c["last"], o["day"])
    ids = sorted(per)
    rec = np.array([(as_of - per[c]["last"]).days for c in ids], dtype=float)
    frq = np.array([per[c]["orders"] for c in ids], dtype=float)
    mon = np.array([per[c]["monetary"] for c in ids], dtype=float)
    q = [20, 40, 60, 80]
    rc, fc, mc = (np.percentile(a, q) for a in (rec, frq, mon))
    with open(f"{out_dir}/expected-customers.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["customer", "orders", "monetary", "revenue", "gross_profit", "recency_days", "r", "f", "m", "segment"])
        for i, c in enumerate(ids):
            r = 1 + int(np.sum(rc > rec[i]))
            fs = 1 + int(np.sum(fc < frq[i]))
            m = 1 + int(np.sum(mc < mon[i]))
            rev, cogs = money.get(c, [0, 0])
            w.writerow([c, per[c]["orders"], f"{Decimal(per[c]['monetary']) / 100:.2f}", f"{Decimal(rev) / 100:.2f}",
                        f"{Decimal(rev - cogs) / 100:.2f}", int(rec[i]), r, fs, m, SEGMENTS[(r, fs)]])
    chosen = [l for l in leads.values() if cohort[0] <= l[0] < cohort[1]]
    with open(f"{out_dir}/expected-funnel.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["stage", "reached"])
        for i, s in enumerate(STAGES):
            w.writerow([s, sum(1 for l in chosen if l[1] >= i)])


if __name__ == "__main__":
    main(*sys.argv[1:6])

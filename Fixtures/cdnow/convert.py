#!/usr/bin/env python3
"""Build the CDNOW fixture and the reference values for Tests/ERPCoreTests/Customers.

Input: the CDNOW sample transactions (2,357 customers who first bought in 1997 Q1) as shipped in
the `lifetimes` package (datasets/CDNOW_sample.txt: master id, sample id, yyyymmdd, CDs, dollars).

Output, next to this script:
- cdnow_summary.csv: one row per customer, with the BG/NBD inputs of SPEC 7 for the calibration
  period 1997-01-01 .. 1997-09-30 (39 weeks, as in Fader, Hardie & Lee 2005): x = distinct
  purchase days after the first; t_x and T in days (t_x_days, T_days) and in weeks (/7); and
  monetary_value = mean dollar amount per repeat purchase day (same-day amounts summed, first day
  excluded; 0 when x = 0).
- reference.json: the published estimates, the maximum-likelihood fits of `lifetimes` on this
  file, and per-customer values computed by `lifetimes` at its fitted parameters (P(alive),
  E[X(t)], Gamma-Gamma expected spend, CLV in days), plus 2F1 values from mpmath for hard
  arguments. The tests read these; no Python runs at test time.

Run (once; the output is committed):
    python3 -m venv /tmp/venv && . /tmp/venv/bin/activate && pip install lifetimes mpmath
    python3 Fixtures/cdnow/convert.py [path/to/CDNOW_sample.txt]
Checked with lifetimes 0.11.3, pandas 3.1, scipy 1.17, numpy 2.4, mpmath 1.4.

The conversion is checked against the package's own summaries
(cdnow_customers_summary_with_transactions.csv, values rounded to 2 decimals).
"""

import collections
import csv
import datetime
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
START = datetime.date(1997, 1, 1)
END = datetime.date(1997, 9, 30)  # the last day of the 39-week calibration period


def datasets_dir():
    import lifetimes

    return os.path.join(os.path.dirname(lifetimes.__file__), "datasets")


def read_transactions(path):
    """customer id -> {date: cents}, calibration period only, same-day amounts summed."""
    days = collections.defaultdict(lambda: collections.defaultdict(int))
    with open(path) as f:
        for line in f:
            fields = line.split()
            if not fields:
                continue
            _, sid, ymd, _, dollars = fields
            d = datetime.date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
            if d > END:
                continue
            days[int(sid)][d] += round(float(dollars) * 100)
    return days


def summarise(days):
    rows = []
    for cid in sorted(days):
        ds = sorted(days[cid])
        x = len(ds) - 1
        tx_days = (ds[-1] - ds[0]).days
        T_days = (END - ds[0]).days
        cents = sum(days[cid][d] for d in ds[1:])
        rows.append(
            {
                "id": cid,
                "x": x,
                "t_x_days": tx_days,
                "T_days": T_days,
                "t_x": tx_days / 7,
                "T": T_days / 7,
                "monetary_value": cents / x / 100 if x else 0.0,
            }
        )
    return rows


def check_against_package(rows, ddir):
    packaged = {}
    with open(os.path.join(ddir, "cdnow_customers_summary_with_transactions.csv")) as f:
        for r in csv.DictReader(f):
            packaged[int(r["ID"])] = r
    assert len(packaged) == len(rows), (len(packaged), len(rows))
    for r in rows:
        p = packaged[r["id"]]
        assert int(p["x"]) == r["x"], r
        assert abs(float(p["t_x"]) - r["t_x"]) < 0.0051, r
        assert abs(float(p["T"]) - r["T"]) < 0.0051, r
        assert abs(float(p["zbar"]) - r["monetary_value"]) < 0.0051, r


def write_csv(rows, path):
    cols = ["id", "x", "t_x_days", "T_days", "t_x", "T", "monetary_value"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            # repr() is the shortest text that reads back as the same double.
            w.writerow([r["id"], r["x"], r["t_x_days"], r["T_days"], repr(r["t_x"]), repr(r["T"]), repr(r["monetary_value"])])


def read_back(path):
    with open(path) as f:
        return [
            {k: (float(v) if k in ("t_x", "T", "monetary_value") else int(v)) for k, v in r.items()}
            for r in csv.DictReader(f)
        ]


def main():
    import numpy as np
    import pandas as pd
    import mpmath
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import _customer_lifetime_value

    ddir = datasets_dir()
    source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ddir, "CDNOW_sample.txt")
    rows = summarise(read_transactions(source))
    check_against_package(rows, ddir)
    csv_path = os.path.join(HERE, "cdnow_summary.csv")
    write_csv(rows, csv_path)
    rows = read_back(csv_path)  # the references are computed from exactly what the tests read

    df = pd.DataFrame(rows).set_index("id")
    bg = BetaGeoFitter(penalizer_coef=0.0)
    bg.fit(df["x"], df["t_x"], df["T"])
    r, alpha, a, b = (float(bg.params_[k]) for k in ("r", "alpha", "a", "b"))
    weights = np.ones(len(df))
    bg_ll = -len(df) * BetaGeoFitter._negative_log_likelihood(
        np.log([r, alpha, a, b]), df["x"].values, df["t_x"].values, df["T"].values, weights, 0.0
    )

    rep = df[df["x"] > 0]
    gg = GammaGammaFitter(penalizer_coef=0.0)
    gg.fit(rep["x"], rep["monetary_value"])
    p, q, v = (float(gg.params_[k]) for k in ("p", "q", "v"))
    gg_ll = -len(rep) * GammaGammaFitter._negative_log_likelihood(
        np.log([p, q, v]), rep["x"].values, rep["monetary_value"].values, np.ones(len(rep)), 0.0
    )

    # A spread of histories: no repeat purchase (old and young), few, many, recent and lapsed.
    ids = [1, 2, 3, 18, 36, 100, 1000, 1516, 2000, 2357]
    by_x = df.sort_values(["x", "T"], ascending=[False, True])
    ids += [int(by_x.index[0]), int(by_x.index[1])]  # the most repeat purchases
    lapsed = df[(df["x"] >= 3) & (df["T"] - df["t_x"] > 25)]
    ids.append(int(lapsed.index[0]))
    ids = list(dict.fromkeys(ids))
    horizons = [1.0, 10.0, 39.0, 52.0, 104.0, 520.0]

    # The same model in days: alpha x 7 (the model is invariant to the time unit).
    bg_days = BetaGeoFitter()
    bg_days.params_ = pd.Series({"r": r, "alpha": alpha * 7, "a": a, "b": b})
    bg_days.predict = bg_days.conditional_expected_number_of_purchases_up_to_time  # set by fit()
    customers = []
    for cid in ids:
        c = df.loc[cid]
        x, tx, T, m = int(c["x"]), float(c["t_x"]), float(c["T"]), float(c["monetary_value"])
        spend = float(gg.conditional_expected_average_profit(pd.Series([x]), pd.Series([m])).iloc[0])
        clv = _customer_lifetime_value(
            bg_days,
            pd.Series([x]),
            pd.Series([float(c["t_x_days"])]),
            pd.Series([float(c["T_days"])]),
            pd.Series([spend]),
            time=12,
            discount_rate=0.01,
            freq="D",
        )
        customers.append(
            {
                "id": cid,
                "x": x,
                "t_x": tx,
                "T": T,
                "t_x_days": int(c["t_x_days"]),
                "T_days": int(c["T_days"]),
                "monetary_value": m,
                "p_alive": float(np.atleast_1d(bg.conditional_probability_alive(x, tx, T))[0]),
                "expected_purchases": [
                    {"t": t, "value": float(bg.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T))}
                    for t in horizons
                ],
                "expected_spend": spend,
                "clv_days_12_months_1pct": float(clv.iloc[0]),
            }
        )

    # 2F1 at arguments where the plain series is slow or the 1 - z formula is near its poles,
    # from mpmath with 40 significant digits.
    mpmath.mp.dps = 40
    hyp = []
    for ha, hb, hc, hz in [
        (0.243, 2.426, 2.219, 0.5),
        (2.243, 4.426, 4.219, 0.95),
        (0.3, 2.4, 2.2, 0.999),
        (10.24, 12.4, 12.2, 0.9999),
        (1.5, 2.5, 5.0, 0.97),  # c - a - b = 1 exactly
        (1.5, 2.5, 5.0000000001, 0.97),  # just off it
        (0.5, 1.5, 2.0, 0.99),  # c - a - b = 0
        (30.2, 32.4, 32.1, 0.98),  # many repeat purchases
        (100.2, 102.4, 102.1, 0.93),
        (0.25, 0.4, -0.35, 0.6),  # x = 0 with a + b < 1: c < 0
        (0.25, 0.4, -0.35, 0.96),
        (3.0, -2.0, 1.5, 0.95),  # a polynomial
    ]:
        val = mpmath.hyp2f1(ha, hb, hc, hz)
        hyp.append({"a": ha, "b": hb, "c": hc, "z": hz, "value": float(val)})

    out = {
        "source": "lifetimes datasets/CDNOW_sample.txt, calibration 1997-01-01..1997-09-30, weeks",
        "customers_count": len(df),
        "repeat_customers_count": len(rep),
        "published": {
            "bgnbd": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "log_likelihood": -9582.4},
            "gamma_gamma": {"p": 6.25, "q": 3.74, "v": 15.44},
        },
        "lifetimes_fit": {
            "bgnbd": {"r": r, "alpha": alpha, "a": a, "b": b, "log_likelihood": float(bg_ll)},
            "gamma_gamma": {"p": p, "q": q, "v": v, "log_likelihood": float(gg_ll)},
        },
        "customers": customers,
        "hyp2f1": hyp,
        "versions": {
            "lifetimes": __import__("lifetimes").__version__,
            "numpy": np.__version__,
            "scipy": __import__("scipy").__version__,
            "pandas": pd.__version__,
            "mpmath": mpmath.__version__,
        },
    }
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"{len(df)} customers ({len(rep)} with repeat purchases); BG/NBD r={r:.4f} alpha={alpha:.4f} "
          f"a={a:.4f} b={b:.4f} LL={bg_ll:.2f}; Gamma-Gamma p={p:.4f} q={q:.4f} v={v:.4f}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Booked and revenue by rep and month, computed by DuckDB from `erpctl export` (JSON Lines).

The benchmark's independent second method (issue 5): erpctl-bench runs it and compares its
figures and its time with `erpctl report sales --by rep,month`. Not part of the product.

usage: duckdb_sales.py EXPORT.jsonl OUT.csv   (also writes OUT.csv.time: "load_s query_s")

Assumes what `erpctl generate` writes: business times with the store's +08:00 offset or plain
dates (so the month is the first 7 characters of `at`), and no SKU twice on one order.
"""
import sys
import time

import duckdb

src, out = sys.argv[1], sys.argv[2]
con = duckdb.connect()
t0 = time.perf_counter()
path = src.replace("'", "''")
con.execute(
    f"""CREATE TABLE ev AS SELECT * FROM read_ndjson('{path}',
        columns={{seq: 'BIGINT', type: 'VARCHAR', "at": 'VARCHAR', data: 'JSON'}})"""
)
t1 = time.perf_counter()
rows = con.execute(
    """
    WITH orders AS (
      SELECT data->>'order' AS ord, data->>'rep' AS rep FROM ev WHERE type = 'OrderConfirmed'),
    lines AS (
      SELECT e.data->>'order' AS ord, substr(e."at", 1, 7) AS month, l->>'sku' AS sku,
             CAST(l->>'qty' AS BIGINT) AS qty, CAST(l->>'unit_price' AS DECIMAL(18, 2)) AS price,
             CAST(coalesce(l->>'discount', '0') AS DECIMAL(18, 6)) AS disc
      FROM ev e, unnest(CAST(e.data->'lines' AS JSON[])) AS t(l) WHERE e.type = 'OrderConfirmed'),
    shipped AS (
      SELECT e.data->>'order' AS ord, l->>'sku' AS sku, CAST(l->>'qty' AS BIGINT) AS qty, e.seq
      FROM ev e, unnest(CAST(e.data->'lines' AS JSON[])) AS t(l) WHERE e.type = 'Shipped'),
    cancels AS (
      SELECT data->>'order' AS ord, seq, substr("at", 1, 7) AS month FROM ev WHERE type = 'OrderCancelled'),
    booked AS (
      SELECT o.rep, l.month, round(l.qty * l.price * (1 - l.disc), 2) AS amount
      FROM lines l JOIN orders o USING (ord)
      UNION ALL
      SELECT o.rep, c.month,
             -round((l.qty - coalesce((SELECT sum(s.qty) FROM shipped s
                                       WHERE s.ord = l.ord AND s.sku = l.sku AND s.seq < c.seq), 0))
                    * l.price * (1 - l.disc), 2)
      FROM cancels c JOIN lines l USING (ord) JOIN orders o USING (ord)),
    revenue AS (
      SELECT o.rep, substr(e."at", 1, 7) AS month, CAST(e.data->>'amount' AS DECIMAL(18, 2)) AS amount
      FROM ev e JOIN orders o ON o.ord = e.data->>'order' WHERE e.type = 'InvoiceIssued'
      UNION ALL
      SELECT o.rep, substr(e."at", 1, 7), -CAST(e.data->>'amount' AS DECIMAL(18, 2))
      FROM ev e JOIN orders o ON o.ord = e.data->>'order' WHERE e.type = 'CreditNoteIssued'),
    b AS (SELECT rep, month, sum(amount) AS booked FROM booked GROUP BY ALL),
    r AS (SELECT rep, month, sum(amount) AS revenue FROM revenue GROUP BY ALL)
    SELECT rep, month, coalesce(b.booked, 0), coalesce(r.revenue, 0)
    FROM b FULL OUTER JOIN r USING (rep, month) ORDER BY rep, month
    """
).fetchall()
t2 = time.perf_counter()
with open(out, "w") as f:
    f.write("rep,month,booked,revenue\n")
    for rep, month, booked, revenue in rows:
        f.write(f"{rep},{month},{booked:.2f},{revenue:.2f}\n")
with open(out + ".time", "w") as f:
    f.write(f"{t1 - t0} {t2 - t1}\n")

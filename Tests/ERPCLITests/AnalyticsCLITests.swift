import ERPTestSupport
import Foundation
import Testing

/// `report customers`, `report funnel`, `forecast` and `replenish` through the binary, on a
/// generated history: the stable CSV headers and JSON shapes of SPEC 6, `--as-of`, and the
/// usage errors.
@Suite("analytics reports through the binary")
struct AnalyticsCLITests {
  static let small = ["--months", "18", "--customers", "80", "--reps", "5", "--products", "12", "--seed", "11",
    "--start", "2025-01-01"]

  /// A store with a generated history (built once per test; the binary is what users run).
  static func store(_ dir: TemporaryDirectory) throws -> String {
    let file = dir.file("h.jsonl")
    let gen = try erpctl(["generate", "-q", "--out", file] + small)
    #expect(gen.exited(0), "\(describe(gen))")
    let s = dir.file("s.lmdb")
    try initStore(s, ["--currency", "CNY", "--timezone", "Asia/Shanghai"])
    let imported = try erpctl(["import", "--store", s, file])
    #expect(imported.exited(0), "\(describe(imported))")
    return s
  }

  @Test func forecastAndReplenish() throws {
    let dir = try TemporaryDirectory("erpctl-analytics")
    defer { dir.remove() }
    let s = try Self.store(dir)
    let asOf = ["--as-of", "2026-06-30"]
    let f = try erpctl(["forecast", "--store", s, "--format", "csv", "--horizon", "3"] + asOf)
    #expect(f.exited(0), "\(describe(f))")
    #expect(f.outLines.first == "sku,period,forecast,lo80,hi80,lo95,hi95,model")
    let rows = f.outLines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    #expect(rows.count >= 3 && rows.count % 3 == 0)
    // The series end with June 2026 (complete on the as-of date): the forecast starts in July.
    #expect(Set(rows.map { String($0[1]) }) == ["2026-07", "2026-08", "2026-09"])
    for r in rows {
      let v = r[2...6].map { Double($0)! }
      #expect(v[3] <= v[1] && v[1] <= v[0] && v[0] <= v[2] && v[2] <= v[4], "intervals nest: \(r)")
      #expect(v[3] >= 0)
    }
    let total = try erpctl(["forecast", "--store", s, "--by", "total", "--format", "json"] + asOf)
    #expect(total.exited(0), "\(describe(total))")
    let doc = try jsonObject(total.out)
    #expect((doc["rows"] as? [[String: Any]])?.count == 12)
    #expect((doc["models"] as? [String: Any])?.keys.first == "total")

    // Weekly: the last ISO week complete on Tuesday 2026-06-30 is 2026-W26.
    let w = try erpctl(["forecast", "--store", s, "--interval", "week", "--horizon", "4", "--by", "total", "--format", "csv"] + asOf)
    #expect(w.exited(0), "\(describe(w))")
    #expect(w.outLines.dropFirst().map { String($0.split(separator: ",")[1]) } == ["2026-W27", "2026-W28", "2026-W29", "2026-W30"])
    let unknown = try erpctl(["forecast", "--store", s, "--sku", "NOPE", "--format", "csv"] + asOf)
    #expect(unknown.exited(0) && unknown.outLines.count == 1 && unknown.err.contains("'NOPE'"), "\(describe(unknown))")

    let b = try erpctl(["forecast", "--store", s, "--backtest", "--format", "csv", "--sku", "PMP-0001"] + asOf)
    #expect(b.exited(0), "\(describe(b))")
    #expect(b.outLines.first == "sku,model,mase,smape,naive_mase,naive_smape,owa")

    let r = try erpctl(["replenish", "--store", s, "--format", "csv"] + asOf)
    #expect(r.exited(0), "\(describe(r))")
    #expect(r.outLines.first == "sku,on_hand,reserved,on_order,lead_time_days,demand_over_lead_time,safety_stock,reorder_point,suggested_qty,days_of_cover,status,model,mase")
    #expect(r.outLines.count == 13, "one row per product")
    for line in r.outLines.dropFirst() {
      let c = line.split(separator: ",", omittingEmptySubsequences: false)
      #expect(["order_now", "ok", "overstock"].contains(String(c[10])), "\(line)")
    }
    for bad in [["forecast", "--period", "2026-01"], ["forecast", "--horizon", "0"], ["replenish", "--service-level", "1.2"],
      ["forecast", "--by", "rep"], ["replenish", "--by", "sku"]]
    {
      let e = try erpctl(bad + ["--store", s])
      #expect(e.exited(64), "\(bad): \(describe(e))")
      #expect(e.stdout.isEmpty)
    }
  }

  @Test func customersThroughTheBinary() throws {
    let dir = try TemporaryDirectory("erpctl-analytics")
    defer { dir.remove() }
    let s = try Self.store(dir)
    let asOf = ["--as-of", "2026-06-30"]
    let csv = try erpctl(["report", "customers", "--store", s, "--format", "csv"] + asOf)
    #expect(csv.exited(0), "\(describe(csv))")
    #expect(csv.outLines.first == "customer,orders,revenue,gross_profit,aov,first_order,last_order,recency_days,frequency,monetary,r,f,m,segment,ltv_historical,p_alive,expected_purchases,clv,status")
    #expect(csv.outLines.count > 40)
    let json = try erpctl(["report", "customers", "--store", s, "--format", "json", "--time-unit", "week", "--top", "5"] + asOf)
    #expect(json.exited(0), "\(describe(json))")
    let doc = try jsonObject(json.out)
    #expect((doc["rows"] as? [Any])?.count == 5)
    let model = try #require(doc["model"] as? [String: Any])
    for k in ["r", "alpha", "a", "b", "p", "q", "v", "log_likelihood"] {
      #expect((model[k] as? NSNumber)?.doubleValue ?? 0 > 0 || k == "log_likelihood", "model.\(k): \(model)")
    }
    #expect(model["time_unit"] as? String == "week")
    let summary = try #require(doc["summary"] as? [String: Any])
    #expect(summary["pareto_share"] is NSNumber && summary["repurchase_rate"] is NSNumber)
    #expect(doc["pareto_curve"] is [String: Any] && doc["cac"] is [String: Any])
    let meta = try #require(doc["meta"] as? [String: Any])
    #expect(meta["as_of"] as? String == "2026-06-30" && meta["discount_rate"] as? String == "0.01")
    // Filters keep what they say.
    let dormant = try erpctl(["report", "customers", "--store", s, "--status", "dormant", "--format", "csv"] + asOf)
    #expect(dormant.outLines.dropFirst().allSatisfy { $0.hasSuffix(",dormant") }, "\(dormant.out)")
    let grouped = try erpctl(["report", "customers", "--store", s, "--by", "region", "--format", "csv", "--lang", "zh"] + asOf)
    #expect(grouped.exited(0) && grouped.outLines.first?.hasPrefix("region,customers,new_customers") == true, "\(describe(grouped))")
    let zh = try erpctl(["report", "customers", "--store", s, "--top", "3", "--lang", "zh"] + asOf)
    #expect(zh.exited(0) && zh.out.contains("客户分群"), "\(describe(zh))")
    for bad in [["--segment", "vip"], ["--status", "asleep"], ["--horizon", "0"], ["--discount-rate", "1.5"],
      ["--time-unit", "month"], ["--by", "product"], ["--dormant-days", "-1"]]
    {
      let e = try erpctl(["report", "customers", "--store", s] + bad)
      #expect(e.exited(64), "\(bad): \(describe(e))")
      #expect(e.stdout.isEmpty)
    }
    let missing = try erpctl(["report", "customers", "--store", dir.file("none.lmdb")])
    #expect(missing.exited(66), "\(describe(missing))")
  }

  @Test func funnelThroughTheBinary() throws {
    let dir = try TemporaryDirectory("erpctl-analytics")
    defer { dir.remove() }
    let s = try Self.store(dir)
    let f = try erpctl(["report", "funnel", "--store", s, "--period", "2025", "--by", "source", "--format", "csv", "--as-of", "2026-06-30"])
    #expect(f.exited(0), "\(describe(f))")
    #expect(f.outLines.first == "source,stage,reached,conversion,drop_off,avg_days_in_stage")
    let j = try erpctl(["report", "funnel", "--store", s, "--period", "2025", "--format", "json", "--as-of", "2026-06-30"])
    let doc = try jsonObject(j.out)
    let summary = try #require(doc["summary"] as? [String: Any])
    for k in ["leads", "won", "lost", "win_rate", "close_rate", "avg_cycle_days", "median_cycle_days"] {
      #expect(summary[k] != nil, "\(k)")
    }
    #expect(doc["lost_reasons"] is [String: Any])
    let a = try erpctl(["report", "funnel", "--store", s, "--activity", "--format", "csv", "--as-of", "2026-06-30"])
    #expect(a.exited(0), "\(describe(a))")
    #expect(a.outLines.first == "rep,calls,visits,emails,meetings,activities,won,won_revenue,activities_per_won")
    #expect(a.outLines.count == 6, "five reps")
    for bad in [["--by", "product"], ["--activity", "--by", "source"], ["--period", "2025-13"]] {
      let e = try erpctl(["report", "funnel", "--store", s] + bad)
      #expect(e.exited(64), "\(bad): \(describe(e))")
    }
  }
}

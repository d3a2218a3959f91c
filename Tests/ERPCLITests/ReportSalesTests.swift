import ERPTestSupport
import Foundation
import Testing

/// `erpctl report sales` through the binary on `Fixtures/reports/sales-small.jsonl`. The
/// figures are worked out by hand in `Tests/ERPStoreTests/SalesProjectionTests.swift`; here they
/// are checked as a user reads them (CSV, JSON), with the as-of view and the drill-down.
@Suite("report sales")
struct ReportSalesTests {
  static func store(_ dir: TemporaryDirectory) throws -> String {
    let s = dir.file("s.lmdb")
    try initStore(s)
    let r = try erpctl(["import", "--store", s, Fixtures.path("reports/sales-small.jsonl")])
    #expect(r.exited(0), "\(describe(r))")
    return s
  }

  @Test func byMonthAndByRepAsCSV() throws {
    let dir = try TemporaryDirectory("erpctl-report")
    defer { dir.remove() }
    let s = try Self.store(dir)
    let months = try erpctl(["report", "sales", "--store", s, "--by", "month", "--as-of", "2026-12-31", "--format", "csv"])
    #expect(months.exited(0), "\(describe(months))")
    #expect(months.outLines == [
      "month,booked,orders,aov,revenue,units,cogs,gross_margin,margin_rate,collections,collection_rate",
      "2026-10,1600.00,2,800.00,1100.00,14,680.00,420.00,0.3818,0.00,0.4762",
      "2026-11,150.00,1,150.00,150.00,1,100.00,50.00,0.3333,700.00,1.0000",
      "2026-12,0.00,0,,0.00,0,0.00,0.00,,0.00,",
    ], "\(describe(months))")

    let reps = try erpctl(["report", "sales", "--store", s, "--by", "rep", "--as-of", "2026-12-31", "--format", "csv"])
    #expect(reps.outLines == [
      "rep,booked,orders,aov,revenue,units,cogs,gross_margin,margin_rate,collections,collection_rate,rank,flag",
      "R-1,1550.00,2,775.00,1050.00,13,660.00,390.00,0.3714,500.00,0.4762,1,champion",
      "R-2,200.00,1,200.00,200.00,2,120.00,80.00,0.4000,200.00,1.0000,2,",
    ], "\(describe(reps))")

    // A period: November only, by product, with the classes against October.
    let nov = try erpctl(["report", "sales", "--store", s, "--by", "product", "--period", "2026-11", "--as-of", "2026-12-31", "--format", "csv"])
    #expect(nov.outLines.first == "product,booked,orders,aov,revenue,units,cogs,gross_margin,margin_rate,collections,collection_rate,revenue_share,revenue_growth,class")
    #expect(nov.outLines.dropFirst() == [
      "P-A,-300.00,0,,200.00,2,120.00,80.00,0.4000,,,1.3333,-0.7778,star",
      "P-B,450.00,1,450.00,-50.00,-1,-20.00,-30.00,0.6000,,,-0.3333,-1.2500,dog",
    ], "\(describe(nov))")
  }

  @Test func asOfDrillDownAndMeta() throws {
    let dir = try TemporaryDirectory("erpctl-report")
    defer { dir.remove() }
    let s = try Self.store(dir)
    // The auditor's view on 2026-11-05: no return, no SO-3, no PAY-2 yet.
    let then = try erpctl(["report", "sales", "--store", s, "--by", "month", "--as-of", "2026-11-05", "--format", "csv"])
    #expect(then.outLines.dropFirst() == [
      "2026-10,1600.00,2,800.00,1100.00,14,680.00,420.00,0.3818,0.00,0.4545",
      "2026-11,-300.00,0,,200.00,2,120.00,80.00,0.4000,500.00,0.0000",
    ], "\(describe(then))")

    // JSON carries meta: the head it was computed at, the as-of date and the period.
    let json = try erpctl(["report", "sales", "--store", s, "--by", "rep", "--period", "2026-11", "--as-of", "2026-12-31", "--format", "json"])
    #expect(json.exited(0), "\(describe(json))")
    let doc = try jsonObject(json.out)
    let meta = try #require(doc["meta"] as? [String: Any])
    #expect(int(meta["seq"]) == 31)
    #expect((meta["hash"] as? String)?.count == 64)
    #expect(meta["as_of"] as? String == "2026-12-31")
    let period = try #require(meta["period"] as? [String: Any])
    #expect(period["from"] as? String == "2026-11-01" && period["to"] as? String == "2026-12-01")
    let rows = try #require(doc["rows"] as? [[String: Any]])
    #expect(rows.map { $0["rep"] as? String } == ["R-1", "R-2"])
    #expect(rows.first?["booked"] as? String == "450.00")

    // The facts behind R-1's row over all history, by event seq: SO-1 (9), SH-1 (12), its invoice
    // (13), PAY-1's match (21), the return (22) and its credit note (23), SO-3 (24).
    let explain = try erpctl(["report", "sales", "--store", s, "--by", "rep", "--as-of", "2026-12-31", "--explain", "R-1", "--format", "jsonl"])
    #expect(explain.exited(0), "\(describe(explain))")
    let facts = try explain.outLines.map { try jsonObject($0) }
    #expect(facts.count == 18)
    #expect(Set(facts.compactMap { int($0["seq"]) }) == [9, 12, 13, 21, 22, 23, 24])
    #expect(try erpctl(["report", "sales", "--store", s, "--by", "rep,month", "--explain", "R-1"]).exited(64))

    // The table for people ends with the reproducibility line; verify also checks the projection.
    let table = try erpctl(["report", "sales", "--store", s, "--by", "rep", "--lang", "zh"])
    #expect(table.exited(0), "\(describe(table))")
    #expect(table.out.contains("销售代表"), "\(describe(table))")
    #expect(table.outLines.last?.contains("31") == true, "\(describe(table))")
    #expect(try erpctl(["verify", "--store", s]).exited(0))
    #expect(try erpctl(["report", "sales", "--store", s, "--by", "colour"]).exited(64))
    #expect(try erpctl(["report", "sales", "--store", s, "--period", "2026-13"]).exited(64))
  }

  /// Targets from Fixtures/reports/targets.jsonl (dated 2026-10-01): R-1 1000.00 and R-2 400 for
  /// 2026-11 revenue, the company 2000 for 2026-11. As of 2026-11-15, 15 of November's 30 days
  /// have passed. R-1's November revenue is the 50.00 credit note: completion −50 / 1000 =
  /// −0.05, pace −0.05 / (15/30) = −0.1. R-2's is SH-2's 200.00: 0.5 and 1.0, so R-2 ranks first
  /// by completion. The company: 150.00 / 2000 = 0.075, pace 0.15; October has no target.
  @Test func targetsCompletionAndPace() throws {
    let dir = try TemporaryDirectory("erpctl-report")
    defer { dir.remove() }
    let s = try Self.store(dir)
    #expect(try erpctl(["import", "--store", s, Fixtures.path("reports/targets.jsonl")]).exited(0))
    let reps = try erpctl(["report", "sales", "--store", s, "--by", "rep", "--period", "2026-11", "--as-of", "2026-11-15", "--format", "csv"])
    #expect(reps.exited(0), "\(describe(reps))")
    #expect(reps.outLines == [
      "rep,booked,orders,aov,revenue,units,cogs,gross_margin,margin_rate,collections,collection_rate,target,completion,pace,rank,flag",
      "R-1,450.00,1,450.00,-50.00,-1,-20.00,-30.00,0.6000,500.00,,1000.00,-0.0500,-0.1000,2,",
      "R-2,-300.00,0,,200.00,2,120.00,80.00,0.4000,0.00,0.0000,400.00,0.5000,1.0000,1,champion",
    ], "\(describe(reps))")
    let months = try erpctl(["report", "sales", "--store", s, "--by", "month", "--as-of", "2026-11-15", "--format", "csv"])
    #expect(months.outLines == [
      "month,booked,orders,aov,revenue,units,cogs,gross_margin,margin_rate,collections,collection_rate,target,completion,pace",
      "2026-10,1600.00,2,800.00,1100.00,14,680.00,420.00,0.3818,0.00,0.4762,,,",
      "2026-11,150.00,1,150.00,150.00,1,100.00,50.00,0.3333,500.00,0.0000,2000.00,0.0750,0.1500",
    ], "\(describe(months))")
    // No target for orders: no target columns.
    let orders = try erpctl(["report", "sales", "--store", s, "--by", "rep", "--period", "2026-11", "--target-metric", "orders", "--format", "csv"])
    #expect(orders.outLines.first?.hasSuffix("collection_rate,rank,flag") == true, "\(describe(orders))")
    #expect(try erpctl(["report", "sales", "--store", s, "--target-metric", "smiles"]).exited(64))
  }
}

import ERPTestSupport
import Foundation
import Testing

/// `erpctl report pivot` through the binary on `Fixtures/reports/sales-small.jsonl`, as of
/// 2026-12-31. Booked by rep and month, worked by hand (see also
/// `Tests/ERPStoreTests/PivotReportTests.swift`): R-1 SO-1 1100.00 in October, SO-3 450.00 in
/// November; R-2 SO-2 500.00 in October, its unshipped 300.00 cancelled in November, SO-4
/// 100.00 confirmed and cancelled in December.
@Suite("report pivot")
struct ReportPivotTests {
  @Test func bookedByRepAndMonth() throws {
    let dir = try TemporaryDirectory("erpctl-pivot")
    defer { dir.remove() }
    let s = try ReportSalesTests.store(dir)
    let base = ["report", "pivot", "--store", s, "--measure", "booked", "--rows", "rep", "--cols", "month", "--as-of", "2026-12-31"]

    let csv = try erpctl(base + ["--format", "csv"])
    #expect(csv.exited(0), "\(describe(csv))")
    // Row totals 1100 + 450 + 0 = 1550 and 500 − 300 + 0 = 200; month totals 1600, 150, 0;
    // all 1750 (= the months of report sales by month).
    #expect(csv.outLines == [
      "rep,2026-10,2026-11,2026-12,total",
      "R-1,1100.00,450.00,0.00,1550.00",
      "R-2,500.00,-300.00,0.00,200.00",
      "total,1600.00,150.00,0.00,1750.00",
    ], "\(describe(csv))")

    // --sort and --top order and cut the rows; the total row stays last and covers them all.
    let top = try erpctl(base + ["--format", "csv", "--sort", "2026-11:asc", "--top", "1"])
    #expect(top.outLines == [
      "rep,2026-10,2026-11,2026-12,total",
      "R-2,500.00,-300.00,0.00,200.00",
      "total,1600.00,150.00,0.00,1750.00",
    ], "\(describe(top))")

    let json = try erpctl(base + ["--format", "json"])
    #expect(json.exited(0), "\(describe(json))")
    let doc = try jsonObject(json.out)
    let meta = try #require(doc["meta"] as? [String: Any])
    #expect(meta["report"] as? String == "pivot")
    #expect(int(meta["seq"]) == 31)
    #expect(meta["as_of"] as? String == "2026-12-31")
    #expect(meta["measure"] as? String == "booked")
    #expect(meta["rows"] as? String == "rep")
    #expect(meta["cols"] as? String == "month")
    let rows = try #require(doc["rows"] as? [[String: Any]])
    #expect(rows.map { $0["rep"] as? String } == ["R-1", "R-2", "total"])
    #expect(rows.map { $0["total"] as? String } == ["1550.00", "200.00", "1750.00"])
    #expect(rows.first?["2026-11"] as? String == "450.00")
    let summary = try #require(doc["summary"] as? [String: Any])
    #expect(summary["total"] as? String == "1750.00")
  }

  @Test func ratesAndOrderCountsTotalFromTheirSums() throws {
    let dir = try TemporaryDirectory("erpctl-pivot")
    defer { dir.remove() }
    let s = try ReportSalesTests.store(dir)
    // Margin rate: R-1 Oct (1100 − 680) / 1100 = 0.3818, Nov (−50 + 20) / −50 = 0.6, total
    // 390 / 1050 = 0.3714; R-2 Nov and total 80 / 200 = 0.4; no revenue: empty. Months:
    // 0.3818, 50 / 150 = 0.3333; all 470 / 1250 = 0.3760.
    let rate = try erpctl([
      "report", "pivot", "--store", s, "--measure", "margin_rate", "--rows", "rep", "--cols", "month",
      "--as-of", "2026-12-31", "--format", "csv",
    ])
    #expect(rate.outLines == [
      "rep,2026-10,2026-11,2026-12,total",
      "R-1,0.3818,0.6000,,0.3714",
      "R-2,,0.4000,,0.4000",
      "total,0.3818,0.3333,,0.3760",
    ], "\(describe(rate))")

    // Orders by product count an order once per product on it; the totals count orders:
    // R-1 has SO-1 (P-A, P-B) and SO-3 (P-B): 1, 2, total 2; R-2 SO-2 (P-A) and SO-4 (P-B,
    // cancelled unshipped): 1, 0, total 1; products 2 and 2; all 3.
    let orders = try erpctl([
      "report", "pivot", "--store", s, "--measure", "orders", "--rows", "rep", "--cols", "product",
      "--as-of", "2026-12-31", "--format", "csv",
    ])
    #expect(orders.outLines == [
      "rep,P-A,P-B,total",
      "R-1,1,2,2",
      "R-2,1,0,1",
      "total,2,2,3",
    ], "\(describe(orders))")
  }

  @Test func usageErrors() throws {
    let dir = try TemporaryDirectory("erpctl-pivot")
    defer { dir.remove() }
    let s = try ReportSalesTests.store(dir)
    let base = ["report", "pivot", "--store", s]
    #expect(try erpctl(base + ["--measure", "booked", "--rows", "rep", "--cols", "month"]).exited(0))
    let by = try erpctl(base + ["--measure", "booked", "--rows", "rep", "--cols", "month", "--by", "region"])
    #expect(by.exited(64), "\(describe(by))")
    #expect(by.err.contains("--rows"), "\(describe(by))")
    #expect(try erpctl(base + ["--rows", "rep", "--cols", "month"]).exited(64))
    #expect(try erpctl(base + ["--measure", "booked", "--cols", "month"]).exited(64))
    #expect(try erpctl(base + ["--measure", "bookings", "--rows", "rep", "--cols", "month"]).exited(64))
    #expect(try erpctl(base + ["--measure", "booked", "--rows", "rep", "--cols", "rep"]).exited(64))
    #expect(try erpctl(base + ["--measure", "booked", "--rows", "rep", "--cols", "colour"]).exited(64))
    let split = try erpctl(base + ["--measure", "collections", "--rows", "rep", "--cols", "product"])
    #expect(split.exited(64), "\(describe(split))")
    #expect(split.err.contains("does not split by product"), "\(describe(split))")
  }
}

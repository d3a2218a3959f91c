import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

/// `report pivot` on `Fixtures/reports/sales-small.jsonl` as of 2026-12-31. The figures per rep
/// and month are those worked out in `SalesProjectionTests`: R-1 has SO-1 (Oct, 1100.00 booked,
/// shipped and invoiced in October at COGS 680.00; one P-B returned in November: −50.00
/// revenue, −20.00 COGS) and SO-3 (Nov, 450.00 booked, not shipped); R-2 has SO-2 (Oct, 500.00
/// booked; 2 shipped on 11-02, 200.00 revenue at 120.00 COGS; the remainder 300.00 cancelled
/// on 11-03) and SO-4 (Dec, 100.00 confirmed and cancelled).
@Suite("pivot report")
struct PivotReportTests {
  static let end = CivilDate(year: 2026, month: 12, day: 31) ?? CivilDate(daysSinceEpoch: 0)

  static func pivot(
    _ p: SalesProjection, measure: String, rows: [String], col: String
  ) throws -> (columns: [String], rows: [[Cell]], total: [Cell]) {
    let q = PivotReport.Query(range: nil, asOf: end, rows: rows, col: col, measure: measure)
    try PivotReport.check(q)
    let meta = ReportMeta(seq: 31, hash: "", asOf: end, period: nil, report: "pivot")
    let (doc, total) = PivotReport.document(p, q, meta: meta, moneyDigits: 2)
    return (doc.columns.map(\.name), doc.rows, total)
  }

  static func projection(_ dir: TemporaryDirectory) throws -> SalesProjection {
    let s = try makeStore(dir)
    _ = try s.append(try SalesProjectionTests.fixtureEvents(), clock: { fixedInstant })
    return try s.salesProjection()
  }

  @Test func bookedByRepAndMonthWithTotals() throws {
    let dir = try TemporaryDirectory("erpctl-pivot")
    defer { dir.remove() }
    let p = try Self.projection(dir)
    let t = try Self.pivot(p, measure: "booked", rows: ["rep"], col: "month")
    #expect(t.columns == ["rep", "2026-10", "2026-11", "2026-12", "total"])
    // Oct 1100.00, Nov 450.00, nothing in Dec (an empty combination is 0), total 1550.00.
    // Oct 500.00, Nov −300.00, Dec +100.00 − 100.00 = 0.00, total 200.00.
    // Months: 1600.00, 150.00, 0.00; all 1750.00.
    #expect(t.rows == [
      [.text("R-1"), .money(110_000), .money(45_000), .money(0), .money(155_000)],
      [.text("R-2"), .money(50_000), .money(-30_000), .money(0), .money(20_000)],
    ])
    #expect(t.total == [.text("total"), .money(160_000), .money(15_000), .money(0), .money(175_000)])
  }

  @Test func rateTotalsAreRatiosOfSums() throws {
    let dir = try TemporaryDirectory("erpctl-pivot")
    defer { dir.remove() }
    let p = try Self.projection(dir)
    let t = try Self.pivot(p, measure: "margin_rate", rows: ["rep"], col: "month")
    // margin_rate = (revenue − COGS) / revenue of each cell's sums:
    // R-1 Oct (1100 − 680) / 1100 = 0.381818 → 0.3818; Nov (−50 − −20) / −50 = 0.6; Dec no revenue.
    // R-1 total (1050 − 660) / 1050 = 0.371428 → 0.3714.
    // R-2 Oct no revenue (SO-2 shipped in November); Nov (200 − 120) / 200 = 0.4; total 0.4.
    // Months: Oct 0.3818; Nov (150 − 100) / 150 = 0.3333; all (1250 − 780) / 1250 = 0.376
    // (not the mean of the reps' rates, 0.3857).
    func r(_ x: Int64?) -> Cell { .rate(x.map { Ratio4(tenThousandths: $0) }) }
    #expect(t.rows == [
      [.text("R-1"), r(3818), r(6000), r(nil), r(3714)],
      [.text("R-2"), r(nil), r(4000), r(nil), r(4000)],
    ])
    #expect(t.total == [.text("total"), r(3818), r(3333), r(nil), r(3760)])
  }

  @Test func orderTotalsAcrossProductsCountEachOrderOnce() throws {
    let dir = try TemporaryDirectory("erpctl-pivot")
    defer { dir.remove() }
    let p = try Self.projection(dir)
    let t = try Self.pivot(p, measure: "orders", rows: ["rep"], col: "product")
    #expect(t.columns == ["rep", "P-A", "P-B", "total"])
    // Per product an order counts once for each product on it: R-1's SO-1 (P-A and P-B) and
    // SO-3 (P-B) give P-A 1, P-B 2, but R-1 has 2 orders, not 3. R-2: SO-2 (P-A; shipped in
    // part, so its cancellation keeps the order) 1; SO-4 (P-B) confirmed and cancelled with
    // nothing shipped, 0; total 1. Products: P-A 2, P-B 2; all 3 orders.
    #expect(t.rows == [
      [.text("R-1"), .int(1), .int(2), .int(2)],
      [.text("R-2"), .int(1), .int(0), .int(1)],
    ])
    #expect(t.total == [.text("total"), .int(2), .int(2), .int(3)])
  }

  @Test func checks() {
    func message(_ measure: String, _ rows: [String], _ col: String) -> String? {
      do {
        try PivotReport.check(.init(range: nil, asOf: Self.end, rows: rows, col: col, measure: measure))
        return nil
      } catch {
        return error.message
      }
    }
    #expect(message("booked", ["rep", "region"], "quarter") == nil)
    #expect(message("bookings", ["rep"], "month")?.hasPrefix("unknown measure 'bookings'") == true)
    #expect(message("booked", ["rep"], "colour")?.hasPrefix("unknown dimension 'colour'") == true)
    #expect(message("booked", ["rep"], "rep") != nil)
    #expect(message("booked", [], "rep") != nil)
    #expect(message("collection_rate", ["rep"], "product")?.contains("does not split by product") == true)
    #expect(message("collections", ["line"], "month") != nil)
  }
}

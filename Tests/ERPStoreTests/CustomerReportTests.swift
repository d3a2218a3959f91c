import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

/// `report customers` on `Fixtures/reports/customers-small.jsonl`, worked out by hand, as of
/// 2026-06-30 (all values in yuan; P-A costs 60.00 a unit):
///
/// | customer | orders (value)                                   | revenue − COGS        | GP  | first | last  | recency |
/// |----------|--------------------------------------------------|-----------------------|-----|-------|-------|---------|
/// | C-1      | SO-1 01-10 200, SO-2 02-10 100, SO-3 03-10 300   | 300 − 180             | 120 | 01-10 | 03-10 | 112     |
/// | C-2      | SO-4 and SO-5 both 01-15, 100 each               | 100 − 60              | 40  | 01-15 | 01-15 | 166     |
/// | C-3      | SO-6 02-01 500 (SO-7 fully cancelled: no purchase)| 500 − 100 − (300 − 60)| 160 | 02-01 | 02-01 | 149     |
/// | C-4      | SO-8 03-01 1000, 6 of 10 cancelled → 400         | 400 − 240             | 160 | 03-01 | 03-01 | 121     |
///
/// C-5 has no order and no row. Cut points (numpy's linear percentiles at 20/40/60/80):
/// recency {112, 121, 149, 166} → 117.4, 126.6, 143.4, 155.8, so R = 5, 4, 2, 1 for C-1, C-4,
/// C-3, C-2; frequency {1, 1, 2, 3} → 1, 1.2, 1.8, 2.4, so F = 5 (C-1), 4 (C-2), 1, 1;
/// monetary {200, 400, 500, 600} → 320, 420, 480, 540, so M = 5 (C-1), 1 (C-2), 4 (C-3),
/// 2 (C-4). Segments: C-1 (5, 5) champions, C-2 (1, 4) at_risk, C-3 (2, 1) hibernating, C-4
/// (4, 1) promising. With --dormant-days 120 only C-1 (112) is active.
///
/// Summary: 4 customers, 4 new; repurchase rate 2/4; AOV 1700 / 7 = 242.857 → 242.86; revenue
/// 1200, gross profit 480. Pareto: 160, 160, 120 reach 384 (80 % of 480) at 3 of 4 → 0.75.
/// Top decile (1 customer) by LTV: C-3 (160, before C-4 by id), dormant → 1 dormant high-value.
/// CAC: direct 300.00 / 2 new (C-1, C-3) = 150.00, online 100.00 / 2 (C-2, C-4) = 50.00;
/// LTV/CAC: direct (120 + 160) / 300 = 0.93, online (40 + 160) / 100 = 2.00.
/// Four customers are too few for the BG/NBD fit: the model columns stay empty.
///
/// For February only: C-1 (SO-2, 100; revenue 100 − 60 = 40) and C-3 (SO-6, 500; GP 160), one
/// new customer (C-3).
@Suite("customers report")
struct CustomerReportTests {
  static let asOf = CivilDate(year: 2026, month: 6, day: 30)!

  static func projection() throws -> (CustomerProjection, TemporaryDirectory) {
    let dir = try TemporaryDirectory("erpctl-customers")
    let s = try makeStore(dir)
    let reader = EventRecordReader(moneyDigits: 2)
    _ = try s.append(try Fixtures.lines("reports/customers-small.jsonl").map { try reader.newEvent(Array($0.utf8)) }, clock: { fixedInstant })
    let p = CustomerProjection()
    _ = try s.replay([p], asOf: asOf)
    return (p, dir)
  }

  static func options(_ window: DateRange? = nil) -> CustomerReport.Options {
    var o = CustomerReport.Options(asOf: asOf, window: window ?? DateRange(from: DateRange.beginningOfTime, to: asOf.adding(days: 1)))
    o.dormantDays = 120
    return o
  }

  @Test func rowsScoresAndSegments() throws {
    let (p, dir) = try Self.projection()
    defer { dir.remove() }
    let meta = ReportMeta(seq: 0, hash: "", asOf: Self.asOf, period: nil, report: "customers")
    let (doc, result) = CustomerReport.document(p, Self.options(), meta: meta)
    #expect(result.model == nil && result.modelError != nil)
    for (got, want) in [(result.cuts.r, [117.4, 126.6, 143.4, 155.8]), (result.cuts.f, [1, 1.2, 1.8, 2.4]),
      (result.cuts.m, [32_000, 42_000, 48_000, 54_000])]
    {
      #expect(got.count == 4 && zip(got, want).allSatisfy { abs($0 - $1) < 1e-9 }, "\(got) ≠ \(want)")
    }
    let byID = Dictionary(uniqueKeysWithValues: doc.rows.map { (Self.text($0[0]), $0) })
    #expect(Set(byID.keys) == ["C-1", "C-2", "C-3", "C-4"])
    func col(_ name: String, _ c: String) -> Cell { byID[c]![doc.columnIndex(name)!] }
    let d = { (m: Int, day: Int) in Cell.date(CivilDate(year: 2026, month: m, day: day)!) }
    let expected: [String: [String: Cell]] = [
      "C-1": ["orders": .int(3), "revenue": .money(30_000), "gross_profit": .money(12_000), "aov": .money(20_000),
        "first_order": d(1, 10), "last_order": d(3, 10), "recency_days": .int(112), "frequency": .int(3),
        "monetary": .money(60_000), "r": .int(5), "f": .int(5), "m": .int(5), "segment": .text("champions"),
        "ltv_historical": .money(12_000), "status": .text("active"), "p_alive": .rate(nil), "clv": .null],
      "C-2": ["orders": .int(2), "revenue": .money(10_000), "gross_profit": .money(4_000), "aov": .money(10_000),
        "recency_days": .int(166), "monetary": .money(20_000), "r": .int(1), "f": .int(4), "m": .int(1),
        "segment": .text("at_risk"), "status": .text("dormant")],
      "C-3": ["orders": .int(1), "revenue": .money(40_000), "gross_profit": .money(16_000), "recency_days": .int(149),
        "monetary": .money(50_000), "r": .int(2), "f": .int(1), "m": .int(4), "segment": .text("hibernating")],
      "C-4": ["orders": .int(1), "revenue": .money(40_000), "gross_profit": .money(16_000), "recency_days": .int(121),
        "monetary": .money(40_000), "r": .int(4), "f": .int(1), "m": .int(2), "segment": .text("promising"),
        "status": .text("dormant")],
    ]
    for (c, cols) in expected {
      for (name, value) in cols { #expect(col(name, c) == value, "\(c) \(name)") }
    }
    // Sorted by gross profit, then id.
    #expect(doc.rows.map { Self.text($0[0]) } == ["C-3", "C-4", "C-1", "C-2"])
    let summary = Dictionary(uniqueKeysWithValues: doc.summary)
    #expect(summary["customers"] == .int(4))
    #expect(summary["new_customers"] == .int(4))
    #expect(summary["repurchase_rate"] == .rate(Ratio4(tenThousandths: 5_000)))
    #expect(summary["aov"] == .money(24_286))
    #expect(summary["revenue"] == .money(120_000))
    #expect(summary["gross_profit"] == .money(48_000))
    #expect(summary["pareto_share"] == .rate(Ratio4(tenThousandths: 7_500)))
    #expect(summary["dormant"] == .int(3))
    #expect(summary["dormant_high_value"] == .int(1))
    #expect(summary["segment_champions"] == .int(1) && summary["segment_loyal"] == .int(0))
    let sections = Dictionary(uniqueKeysWithValues: doc.sections)
    #expect(sections["cac"]!.map(\.0) == ["direct", "online"])
    #expect(sections["cac"]!.map(\.1) == [.money(15_000), .money(5_000)])
    #expect(sections["ltv_cac"]!.map(\.1) == [.decimal(93, scale: 2), .decimal(200, scale: 2)])
    #expect(sections["dormant_high_value"]!.map(\.0) == ["C-3"])
    #expect(sections["model"]!.contains { $0.0 == "error" })
  }

  @Test func aPeriodBoundsTheOrdersAndMoney() throws {
    let (p, dir) = try Self.projection()
    defer { dir.remove() }
    let feb = DateRange(from: CivilDate(year: 2026, month: 2, day: 1)!, to: CivilDate(year: 2026, month: 3, day: 1)!)
    let meta = ReportMeta(seq: 0, hash: "", asOf: Self.asOf, period: feb, report: "customers")
    let (doc, _) = CustomerReport.document(p, Self.options(feb), meta: meta)
    let rows = doc.rows.map { r in (Self.text(r[0]), r[doc.columnIndex("orders")!], r[doc.columnIndex("monetary")!], r[doc.columnIndex("gross_profit")!], r[doc.columnIndex("first_order")!]) }
    #expect(rows.map(\.0) == ["C-3", "C-1"])
    #expect(rows.map(\.1) == [.int(1), .int(1)])
    #expect(rows.map(\.2) == [.money(50_000), .money(10_000)])
    #expect(rows.map(\.3) == [.money(16_000), .money(4_000)])
    #expect(rows[1].4 == .date(CivilDate(year: 2026, month: 1, day: 10)!), "first order over all history")
    #expect(Dictionary(uniqueKeysWithValues: doc.summary)["new_customers"] == .int(1))
  }

  @Test func segmentStatusAndGroupFilters() throws {
    let (p, dir) = try Self.projection()
    defer { dir.remove() }
    let meta = ReportMeta(seq: 0, hash: "", asOf: Self.asOf, period: nil, report: "customers")
    var o = Self.options()
    o.segment = "at_risk"
    #expect(CustomerReport.document(p, o, meta: meta).0.rows.map { Self.text($0[0]) } == ["C-2"])
    o.segment = nil
    o.status = "active"
    #expect(CustomerReport.document(p, o, meta: meta).0.rows.map { Self.text($0[0]) } == ["C-1"])
    o.status = nil
    o.by = ["channel"]
    let g = CustomerReport.document(p, o, meta: meta).0
    #expect(g.columns.prefix(4).map(\.name) == ["channel", "customers", "new_customers", "orders"])
    #expect(g.rows.map { [$0[0], $0[1], $0[3]] } == [[.text("direct"), .int(2), .int(4)], [.text("online"), .int(2), .int(3)]])
  }

  static func text(_ c: Cell) -> String {
    if case .text(let s) = c { return s }
    return ""
  }
}

import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

/// Receivables (SPEC 5) on `Fixtures/reports/sales-small.jsonl`, worked out by hand:
///
/// - INV-SH-1 (SH-1 of SO-1: customer C-1, rep R-1, team t1, region east, channel direct, tier
///   gold): 10 × 100.00 × 0.90 + 4 × 50.00 = 1100.00, issued 2026-10-06, due 2026-11-05 (30-day
///   terms: 25 days left in October + 5). PAY-1 matches 500.00 on 2026-11-04; the return of one
///   P-B on 2026-11-10 credits 50.00 against it. Open: 1100.00 to 11-03, 600.00 from 11-04,
///   550.00 from 11-10.
/// - INV-SH-2 (SH-2 of SO-2: C-2, R-2, t2, north, online, no tier): 2 × 100.00 = 200.00, issued
///   2026-11-02, due 2026-12-02 (28 days left in November + 2); PAY-2 matches 200.00 on
///   2026-11-20, so it is open 2026-11-02 … 2026-11-19 only.
/// - Revenue by date: +1100.00 on 10-06, +200.00 on 11-02, −50.00 on 11-10.
@Suite("receivables report")
struct ReceivablesReportTests {
  static func date(_ y: Int, _ m: Int, _ d: Int) -> CivilDate {
    CivilDate(year: y, month: m, day: d) ?? CivilDate(daysSinceEpoch: 0)
  }

  /// Sums from the hand-worked figures; buckets in the order current, 1–30, 31–60, 61–90, 91+.
  static func sums(_ count: Int64, _ buckets: [Int64], oldest: CivilDate?) -> ReceivablesReport.Sums {
    var s = ReceivablesReport.Sums()
    s.openInvoices = count
    s.receivables = buckets.reduce(0, +)
    s.buckets = buckets
    s.oldestDue = oldest
    return s
  }

  static func store(_ dir: TemporaryDirectory) throws -> EventStore {
    let s = try makeStore(dir)
    _ = try s.append(try SalesProjectionTests.fixtureEvents(), clock: { fixedInstant })
    return s
  }

  static func rows(_ s: EventStore, asOf: CivilDate, by: [String] = ["customer"]) throws -> [ReceivablesReport.Row] {
    ReceivablesReport.rows(try s.replaySales(asOf: asOf), .init(asOf: asOf, by: by))
  }

  @Test func openBalancesAsOfSeveralDates() throws {
    let dir = try TemporaryDirectory("erpctl-rcv")
    defer { dir.remove() }
    let s = try Self.store(dir)
    func open(_ asOf: CivilDate) throws -> [String: Int64] {
      Dictionary(uniqueKeysWithValues: try s.replaySales(asOf: asOf).openInvoices.map { ($0.invoice, $0.open) })
    }
    // Before INV-SH-2 and before any payment.
    #expect(try open(Self.date(2026, 10, 31)) == ["INV-SH-1": 110_000])
    // PAY-1 on 11-04: 1100.00 − 500.00.
    #expect(try open(Self.date(2026, 11, 5)) == ["INV-SH-1": 60_000, "INV-SH-2": 20_000])
    // The credit note on 11-10: 600.00 − 50.00; INV-SH-2 settled on 11-20 and gone.
    #expect(try open(Self.date(2026, 11, 19)) == ["INV-SH-1": 55_000, "INV-SH-2": 20_000])
    #expect(try open(Self.date(2026, 11, 20)) == ["INV-SH-1": 55_000])

    // The persisted projection: built (with its working state), then read back up to date
    // (dimensions and open invoices only); both know the one open invoice and its parts.
    let built = try s.salesProjection()
    let read = try s.salesProjection()
    for p in [built, read] {
      let inv = p.openInvoices
      #expect(inv.map(\.invoice) == ["INV-SH-1"])
      #expect(inv.first?.amount == 110_000 && inv.first?.matched == 50_000 && inv.first?.credited == 5_000)
      #expect(inv.first?.issued == Self.date(2026, 10, 6) && inv.first?.due == Self.date(2026, 11, 5))
      #expect(p.tuples[Int(inv.first?.tuple ?? 0)].customer == "C-1")
    }
    // The same report from the persisted projection as from a replay.
    let end = Self.date(2026, 12, 31)
    let q = ReceivablesReport.Query(asOf: end, by: ["customer"])
    #expect(ReceivablesReport.rows(read, q) == ReceivablesReport.rows(try s.replaySales(asOf: end), q))
    #expect(try s.verify().ok)
  }

  @Test func agingBucketsByCustomerAtTheirBoundaries() throws {
    let dir = try TemporaryDirectory("erpctl-rcv")
    defer { dir.remove() }
    let s = try Self.store(dir)
    let dueOne = Self.date(2026, 11, 5)
    let dueTwo = Self.date(2026, 12, 2)

    // 11-05: INV-SH-1 (600.00) is due that very day, 0 days past due: current, like INV-SH-2.
    let nov5 = try Self.rows(s, asOf: Self.date(2026, 11, 5))
    #expect(nov5.map(\.keys) == [["C-1"], ["C-2"]])
    #expect(nov5[0].sums == Self.sums(1, [60_000, 0, 0, 0, 0], oldest: dueOne))
    #expect(nov5[1].sums == Self.sums(1, [20_000, 0, 0, 0, 0], oldest: dueTwo))
    // 11-06: one day past due.
    let nov6 = try Self.rows(s, asOf: Self.date(2026, 11, 6))
    #expect(nov6[0].sums == Self.sums(1, [0, 60_000, 0, 0, 0], oldest: dueOne))
    #expect(nov6[0].sums.overdue == 60_000 && nov6[0].sums.current == 0)
    // INV-SH-1 at 550.00 from 11-10 on, days past its due date 11-05: 12-05 is 30 (25 left in
    // November + 5), 12-06 31, 12-31 56; 2027-01-05 is 30 + 31 (December) = 61, so 01-04 is 60;
    // 2027-02-03 is 61 + 29 (26 left in January + 3) = 90, 02-04 91. C-2 has nothing open
    // after 11-20.
    let cases: [(CivilDate, [Int64])] = [
      (Self.date(2026, 12, 5), [0, 55_000, 0, 0, 0]),
      (Self.date(2026, 12, 6), [0, 0, 55_000, 0, 0]),
      (Self.date(2026, 12, 31), [0, 0, 55_000, 0, 0]),
      (Self.date(2027, 1, 4), [0, 0, 55_000, 0, 0]),
      (Self.date(2027, 1, 5), [0, 0, 0, 55_000, 0]),
      (Self.date(2027, 2, 3), [0, 0, 0, 55_000, 0]),
      (Self.date(2027, 2, 4), [0, 0, 0, 0, 55_000]),
    ]
    for (asOf, buckets) in cases {
      let rows = try Self.rows(s, asOf: asOf)
      #expect(rows.map(\.keys) == [["C-1"]], "\(asOf)")
      #expect(rows.first?.sums == Self.sums(1, buckets, oldest: dueOne), "\(asOf)")
    }
    #expect(ReceivablesReport.daysPastDue(due: dueOne, asOf: Self.date(2026, 12, 31)) == 56)

    // By rep, region, channel and tier: the order's dimensions at confirmation.
    let byDims = try Self.rows(s, asOf: Self.date(2026, 11, 6), by: ["rep", "region", "channel", "tier"])
    #expect(byDims.map(\.keys) == [["R-1", "east", "direct", "gold"], ["R-2", "north", "online", ""]])
    #expect(byDims[1].sums == Self.sums(1, [20_000, 0, 0, 0, 0], oldest: dueTwo))
  }

  @Test func theDocumentByInvoiceWithTotalsAndDSO() throws {
    let dir = try TemporaryDirectory("erpctl-rcv")
    defer { dir.remove() }
    let s = try Self.store(dir)
    let asOf = Self.date(2026, 11, 6)
    let q = ReceivablesReport.Query(asOf: asOf, by: ["invoice"])
    let meta = ReportMeta(seq: 31, hash: "", asOf: asOf, period: nil, report: "receivables")
    let doc = ReceivablesReport.document(try s.replaySales(asOf: asOf), q, meta: meta, moneyDigits: 2)
    #expect(doc.columns.map(\.name) == [
      "invoice", "open_invoices", "receivables", "current", "overdue", "aging_0_30", "aging_31_60",
      "aging_61_90", "aging_90_plus", "oldest_due", "due", "days_overdue",
    ])
    #expect(doc.rows == [
      [
        .text("INV-SH-1"), .int(1), .money(60_000), .money(0), .money(60_000), .money(60_000), .money(0),
        .money(0), .money(0), .date(Self.date(2026, 11, 5)), .date(Self.date(2026, 11, 5)), .int(1),
      ],
      [
        .text("INV-SH-2"), .int(1), .money(20_000), .money(20_000), .money(0), .money(0), .money(0),
        .money(0), .money(0), .date(Self.date(2026, 12, 2)), .date(Self.date(2026, 12, 2)), .int(0),
      ],
    ])
    // Totals; revenue of 2026-08-09 … 11-06 = 1100.00 + 200.00 (the credit note is later);
    // DSO = 800.00 / 1300.00 × 90 = 55.38… → 55.4.
    #expect(doc.summary.map(\.0) == [
      "open_invoices", "receivables", "current", "overdue", "aging_0_30", "aging_31_60", "aging_61_90",
      "aging_90_plus", "oldest_due", "revenue_90d", "dso",
    ])
    #expect(doc.summary.map(\.1) == [
      .int(2), .money(80_000), .money(20_000), .money(60_000), .money(60_000), .money(0), .money(0), .money(0),
      .date(Self.date(2026, 11, 5)), .money(130_000), .decimal(554, scale: 1),
    ])
  }

  @Test func dsoWindowIsTheNinetyDaysEndingOnTheAsOfDate() throws {
    let dir = try TemporaryDirectory("erpctl-rcv")
    defer { dir.remove() }
    let s = try Self.store(dir)
    func dso(_ asOf: CivilDate) throws -> (revenue: Int64, dso: Cell) {
      let p = try s.replaySales(asOf: asOf)
      let revenue = ReceivablesReport.revenueForDSO(p, asOf: asOf)
      let open = p.openInvoices.reduce(0) { $0 + $1.open }
      return (revenue, ReceivablesReport.dso(receivables: open, revenue: revenue))
    }
    // 2027-01-03 − 89 days = 2026-10-06: the window holds all revenue, 1250.00; 550.00 / 1250.00
    // × 90 = 39.6 exactly. The next day the window starts on 10-07 and loses INV-SH-1's 1100.00:
    // 150.00, and 550.00 / 150.00 × 90 = 330.0.
    let jan3 = try dso(Self.date(2027, 1, 3))
    #expect(jan3.revenue == 125_000 && jan3.dso == .decimal(396, scale: 1))
    let jan4 = try dso(Self.date(2027, 1, 4))
    #expect(jan4.revenue == 15_000 && jan4.dso == .decimal(3_300, scale: 1))
    // 2027-02-04 − 89 = 2026-11-07: only the credit note (−50.00); no DSO without revenue.
    let feb4 = try dso(Self.date(2027, 2, 4))
    #expect(feb4.revenue == -5_000 && feb4.dso == .null)
    // Before the first invoice: nothing open, no revenue.
    let oct1 = try dso(Self.date(2026, 10, 1))
    #expect(oct1.revenue == 0 && oct1.dso == .null)
  }

  @Test func aPeriodKeepsTheInvoicesIssuedInIt() throws {
    let dir = try TemporaryDirectory("erpctl-rcv")
    defer { dir.remove() }
    let s = try Self.store(dir)
    let asOf = Self.date(2026, 11, 6)
    let p = try s.replaySales(asOf: asOf)
    let nov = DateRange(from: Self.date(2026, 11, 1), to: Self.date(2026, 12, 1))
    let rows = ReceivablesReport.rows(p, .init(asOf: asOf, range: nov, by: ["customer"]))
    #expect(rows.map(\.keys) == [["C-2"]])
  }
}

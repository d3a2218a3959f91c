import ERPCore
import Testing

/// The receivables aging buckets at their edges and the DSO's rounding, worked by hand.
@Suite("Receivables aging and DSO")
struct ReceivablesAgingTests {
  typealias Bucket = ReceivablesReport.Bucket

  @Test(arguments: [
    (-30, Bucket.current), (0, Bucket.current), (1, Bucket.days0to30), (30, Bucket.days0to30),
    (31, Bucket.days31to60), (60, Bucket.days31to60), (61, Bucket.days61to90),
    (90, Bucket.days61to90), (91, Bucket.days90plus), (4000, Bucket.days90plus),
  ])
  func bucketEdges(days: Int, bucket: Bucket) {
    #expect(Bucket(daysPastDue: days) == bucket)
  }

  @Test func sumsAddUp() {
    let asOf = CivilDate(year: 2026, month: 12, day: 31) ?? CivilDate(daysSinceEpoch: 0)
    var s = ReceivablesReport.Sums()
    // Due 2027-01-10 (not due yet), 2026-12-31 (due today: current), 2026-12-01 (30 days past
    // due), 2026-09-01 (121 days: 30 + 31 + 30 + 30).
    s.add(open: 100, due: CivilDate(year: 2027, month: 1, day: 10) ?? asOf, asOf: asOf)
    s.add(open: 200, due: asOf, asOf: asOf)
    s.add(open: 400, due: CivilDate(year: 2026, month: 12, day: 1) ?? asOf, asOf: asOf)
    s.add(open: 800, due: CivilDate(year: 2026, month: 9, day: 1) ?? asOf, asOf: asOf)
    #expect(s.openInvoices == 4 && s.receivables == 1_500)
    #expect(s.buckets == [300, 400, 0, 0, 800])
    #expect(s.current == 300 && s.overdue == 1_200)
    #expect(s.oldestDue == CivilDate(year: 2026, month: 9, day: 1))
    #expect(ReceivablesReport.daysPastDue(due: CivilDate(year: 2026, month: 9, day: 1) ?? asOf, asOf: asOf) == 121)
  }

  @Test func dsoRoundsHalfAwayFromZeroToOneDecimal() {
    // 5 / 900 × 90 = 0.5 exactly.
    #expect(ReceivablesReport.dso(receivables: 5, revenue: 900) == .decimal(5, scale: 1))
    // 1 / 1800 × 90 = 0.05: half, rounded up to 0.1; 1 / 1801 × 90 = 0.04997…: 0.0.
    #expect(ReceivablesReport.dso(receivables: 1, revenue: 1_800) == .decimal(1, scale: 1))
    #expect(ReceivablesReport.dso(receivables: 1, revenue: 1_801) == .decimal(0, scale: 1))
    // 800.00 / 1300.00 × 90 = 55.3846… → 55.4; nothing open: 0.0.
    #expect(ReceivablesReport.dso(receivables: 80_000, revenue: 130_000) == .decimal(554, scale: 1))
    #expect(ReceivablesReport.dso(receivables: 0, revenue: 100) == .decimal(0, scale: 1))
    // No revenue, or credit notes beyond the invoices: no DSO.
    #expect(ReceivablesReport.dso(receivables: 100, revenue: 0) == .null)
    #expect(ReceivablesReport.dso(receivables: 100, revenue: -5) == .null)
  }
}

import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

/// `report funnel` on `Fixtures/reports/funnel-small.jsonl`, worked out by hand. October's
/// cohort is L-1 … L-4 (L-5 is created in November):
///
/// - L-1 (web, R-1): new 10-01 → contacted 10-03 → qualified 10-06 → quoted 10-10 →
///   negotiating 10-12 → won 10-15 (derived from SO-1, 2 × 100.00 = 200.00). Stays 2, 3, 4, 2, 3.
/// - L-2 (web, R-1): new 10-02 → contacted 10-04 → lost 10-09 ("price"). Stays 2, 5.
/// - L-3 (fair, R-2): new 10-05 → contacted 10-06 → quoted 10-11 (skips qualified) → won 10-20;
///   SO-2 (1 × 100.00) names it on 10-21. Stays 1, 5, 9.
/// - L-4 (fair, R-2): new 10-08, nothing since.
///
/// Reached: new 4, contacted 3, qualified 2 (L-3 reached quoted), quoted 2, negotiating 2 (L-3
/// won), won 2. Conversion 1, 0.75, 0.6667, 1, 1, 1. Drop-off 1, 1, 0, 0, 0, –.
/// Average stay: new (2+2+1)/3 = 1.7, contacted (3+5+5)/3 = 4.3, qualified 4.0, quoted
/// (2+9)/2 = 5.5, negotiating 3.0, won none.
/// Summary: leads 4, won 2, lost 1, win rate 0.5, close rate 2/3 = 0.6667, cycles 14 and 15
/// days → mean and median 14.5; won revenue 300.00 (web 200.00, fair 100.00).
///
/// Activity view for October: R-1 calls 2, visits 1, emails 1 (4), won 1 (L-1, 200.00), 4.0
/// per won; R-2 call 1, meeting 1 (2), won 1 (L-3, 100.00), 2.0; R-3 email 1, won 0. Pearson r
/// of (4, 2, 1) and (200, 100, 0) = 300 / √(14/3 · 20000) = 0.98198… → 0.9820.
@Suite("funnel report")
struct FunnelReportTests {
  static let october = DateRange(from: CivilDate(year: 2026, month: 10, day: 1)!, to: CivilDate(year: 2026, month: 11, day: 1)!)
  static let asOf = CivilDate(year: 2026, month: 11, day: 30)!

  static func projection(asOf: CivilDate = asOf) throws -> (FunnelProjection, TemporaryDirectory) {
    let dir = try TemporaryDirectory("erpctl-funnel")
    let s = try makeStore(dir)
    let reader = EventRecordReader(moneyDigits: 2)
    _ = try s.append(try Fixtures.lines("reports/funnel-small.jsonl").map { try reader.newEvent(Array($0.utf8)) }, clock: { fixedInstant })
    let p = FunnelProjection()
    _ = try s.replay([p], asOf: asOf)
    return (p, dir)
  }

  static func meta() -> ReportMeta {
    ReportMeta(seq: 0, hash: "", asOf: asOf, period: october, report: "funnel")
  }

  @Test func cohortStagesAndSummary() throws {
    let (p, dir) = try Self.projection()
    defer { dir.remove() }
    let doc = FunnelReport.document(p, .init(window: Self.october, by: []), meta: Self.meta(), moneyDigits: 2)
    #expect(doc.columns.map(\.name) == ["stage", "reached", "conversion", "drop_off", "avg_days_in_stage"])
    func r(_ t: Int64) -> Cell { .rate(Ratio4(tenThousandths: t)) }
    func d(_ t: Int64) -> Cell { .decimal(t, scale: 1) }
    #expect(doc.rows == [
      [.text("new"), .int(4), r(10_000), .int(1), d(17)],
      [.text("contacted"), .int(3), r(7_500), .int(1), d(43)],
      [.text("qualified"), .int(2), r(6_667), .int(0), d(40)],
      [.text("quoted"), .int(2), r(10_000), .int(0), d(55)],
      [.text("negotiating"), .int(2), r(10_000), .int(0), d(30)],
      [.text("won"), .int(2), r(10_000), .null, .null],
    ])
    let summary = Dictionary(uniqueKeysWithValues: doc.summary)
    #expect(summary["leads"] == .int(4))
    #expect(summary["won"] == .int(2))
    #expect(summary["lost"] == .int(1))
    #expect(summary["win_rate"] == r(5_000))
    #expect(summary["close_rate"] == r(6_667))
    #expect(summary["avg_cycle_days"] == d(145))
    #expect(summary["median_cycle_days"] == d(145))
    #expect(summary["won_revenue"] == .money(30_000))
    let sections = Dictionary(uniqueKeysWithValues: doc.sections)
    #expect(sections["lost_reasons"]?.map(\.0) == ["price"])
    #expect(sections["won_revenue_by_source"]?.map(\.0) == ["web", "fair"])
    #expect(sections["won_revenue_by_source"]?.map(\.1) == [.money(20_000), .money(10_000)])
  }

  @Test func bySource() throws {
    let (p, dir) = try Self.projection()
    defer { dir.remove() }
    let doc = FunnelReport.document(p, .init(window: Self.october, by: ["source"]), meta: Self.meta(), moneyDigits: 2)
    let reached = doc.rows.map { [$0[0], $0[1], $0[2]] }
    #expect(reached == [
      [.text("fair"), .text("new"), .int(2)], [.text("fair"), .text("contacted"), .int(1)],
      [.text("fair"), .text("qualified"), .int(1)], [.text("fair"), .text("quoted"), .int(1)],
      [.text("fair"), .text("negotiating"), .int(1)], [.text("fair"), .text("won"), .int(1)],
      [.text("web"), .text("new"), .int(2)], [.text("web"), .text("contacted"), .int(2)],
      [.text("web"), .text("qualified"), .int(1)], [.text("web"), .text("quoted"), .int(1)],
      [.text("web"), .text("negotiating"), .int(1)], [.text("web"), .text("won"), .int(1)],
    ])
  }

  @Test func asOfBeforeTheWins() throws {
    // As of 10-14 nothing is won yet and L-2 is lost; L-1 is negotiating.
    let (p, dir) = try Self.projection(asOf: CivilDate(year: 2026, month: 10, day: 14)!)
    defer { dir.remove() }
    let doc = FunnelReport.document(p, .init(window: Self.october, by: []), meta: Self.meta(), moneyDigits: 2)
    #expect(doc.rows.map { $0[1] } == [.int(4), .int(3), .int(2), .int(2), .int(1), .int(0)])
    let summary = Dictionary(uniqueKeysWithValues: doc.summary)
    #expect(summary["won"] == .int(0))
    #expect(summary["close_rate"] == .rate(Ratio4(tenThousandths: 0)))
    #expect(summary["avg_cycle_days"] == .null)
  }

  @Test func activityView() throws {
    let (p, dir) = try Self.projection()
    defer { dir.remove() }
    let doc = FunnelReport.activityDocument(p, window: Self.october, meta: Self.meta(), moneyDigits: 2)
    #expect(doc.rows == [
      [.text("R-1"), .int(2), .int(1), .int(1), .int(0), .int(4), .int(1), .money(20_000), .decimal(40, scale: 1)],
      [.text("R-2"), .int(1), .int(0), .int(0), .int(1), .int(2), .int(1), .money(10_000), .decimal(20, scale: 1)],
      [.text("R-3"), .int(0), .int(0), .int(1), .int(0), .int(1), .int(0), .money(0), .null],
    ])
    let summary = Dictionary(uniqueKeysWithValues: doc.summary)
    #expect(summary["activity_revenue_correlation"] == .decimal(9820, scale: 4))
    #expect(summary["activities_per_won"] == .decimal(35, scale: 1))
  }
}

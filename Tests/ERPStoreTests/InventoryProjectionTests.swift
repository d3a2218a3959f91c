import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

/// The inventory projection and the demand series on `Fixtures/reports/sales-small.jsonl`,
/// worked out by hand:
///
/// - P-A: 100 received 10-01; SO-1 takes 10 (10-05, shipped 10-06); SO-2 takes 5 (10-20), ships
///   2 on 11-02 and is cancelled 11-03, releasing 3. On hand 88, reserved 0 from 11-03 (3 on
///   11-02). Demand: 10 on 10-05, 5 − 3 = 2 on 10-20 once SO-2 is cancelled.
/// - P-B: 100 received; SO-1 takes 4 (shipped 10-06), one returned 11-10; SO-3 reserves 10
///   (11-15, never shipped); SO-4 reserves 2 (12-01), cancelled 12-02. On hand 97, reserved 10.
///   Demand: 4 on 10-05, 10 on 11-15, 2 − 2 = 0 on 12-01.
/// - Monthly series as of 12-31 (December complete): P-A 12, 0, 0; P-B 4, 10, 0. As of 12-30
///   November is the last complete month: P-A 12, 0; P-B 4, 10. As of 11-02 (SO-2 not yet
///   cancelled): P-A 15 in October.
@Suite("inventory projection")
struct InventoryProjectionTests {
  static func date(_ m: Int, _ d: Int) -> CivilDate { CivilDate(year: 2026, month: m, day: d)! }

  static func fold(_ s: EventStore, asOf: CivilDate) throws -> InventoryProjection {
    let p = InventoryProjection()
    _ = try s.replay([p], asOf: asOf)
    return p
  }

  @Test func stockAndDemand() throws {
    let dir = try TemporaryDirectory("erpctl-inv")
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try s.append(try SalesProjectionTests.fixtureEvents(), clock: { fixedInstant })

    let end = try Self.fold(s, asOf: Self.date(12, 31))
    #expect(end.skus == ["P-A", "P-B"])
    #expect(end.stock["P-A"]?.onHand == 88)
    #expect(end.stock["P-A"]?.reserved == 0)
    #expect(end.stock["P-B"]?.onHand == 97)
    #expect(end.stock["P-B"]?.reserved == 10)
    #expect(end.stock["P-B"]?.onOrder == 0)
    #expect(end.demand["P-A"] == [Self.date(10, 5): 10, Self.date(10, 20): 2])
    #expect(end.demand["P-B"] == [Self.date(10, 5): 4, Self.date(11, 15): 10, Self.date(12, 1): 0])

    let o = ForecastReport.Options(asOf: Self.date(12, 31))
    let series = ForecastReport.series(end, o)
    #expect(series.map(\.key) == ["P-A", "P-B"])
    #expect(series.map(\.values) == [[12, 0, 0], [4, 10, 0]])
    #expect(series[0].periods == ["2026-10", "2026-11", "2026-12"])
    #expect(series[0].futurePeriods(2, interval: .month) == ["2027-01", "2027-02"])

    let dec30 = ForecastReport.series(try Self.fold(s, asOf: Self.date(12, 30)), ForecastReport.Options(asOf: Self.date(12, 30)))
    #expect(dec30.map(\.values) == [[12, 0], [4, 10]])

    let nov2 = try Self.fold(s, asOf: Self.date(11, 2))
    #expect(nov2.stock["P-A"]?.reserved == 3)
    #expect(ForecastReport.series(nov2, ForecastReport.Options(asOf: Self.date(11, 2))).map(\.values) == [[15], [4]])

    var total = ForecastReport.Options(asOf: Self.date(12, 31))
    total.level = .total
    #expect(ForecastReport.series(end, total).map(\.values) == [[16, 10, 0]])
    var lines = total
    lines.level = .line
    #expect(ForecastReport.series(end, lines).map(\.key) == ["pumps", "valves"])
  }

  @Test func purchaseOrdersAreOnOrderUntilReceived() throws {
    let p = InventoryProjection()
    let d = Self.date(11, 1)
    p.apply(seq: 1, day: d, .productDefined(ProductDefined(sku: "S", name: "s", line: "l", listPrice: Money(minorUnits: 100))))
    p.apply(seq: 2, day: d, .purchaseOrderPlaced(PurchaseOrderPlaced(po: "PO-1", sku: "S", qty: 50, expected: nil)))
    p.apply(seq: 3, day: d, .purchaseOrderPlaced(PurchaseOrderPlaced(po: "PO-2", sku: "S", qty: 20, expected: nil)))
    #expect(p.stock["S"]?.onOrder == 70)
    p.apply(seq: 4, day: d, .stockReceived(StockReceived(sku: "S", qty: 30, unitCost: Money(minorUnits: 10), po: "PO-1")))
    #expect(p.stock["S"]?.onOrder == 40)
    #expect(p.stock["S"]?.onHand == 30)
    // Receiving more than was ordered closes the PO without going negative.
    p.apply(seq: 5, day: d, .stockReceived(StockReceived(sku: "S", qty: 30, unitCost: Money(minorUnits: 10), po: "PO-1")))
    #expect(p.stock["S"]?.onOrder == 20)
    #expect(p.stock["S"]?.lastSeq == 5)
  }
}

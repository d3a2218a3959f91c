import XCTest

@testable import ERPCore

/// The replenishment policy, worked out by hand. A month is 30.4375 days, so a forecast of
/// 304.375 a month is 10 a day and 608.75 is 20 a day.
final class ForecastReplenishmentTests: XCTestCase {
  /// Position 120 − 20 + 30 = 130. Lead 14 + review 7 = 21 days at 10 a day: 210.
  /// SS over the lead time (SPEC 5, the default) = ⌈1.6448536 × 50 × √(14/30.4375)⌉ =
  /// ⌈55.777⌉ = 56; ROP = 210 + 56 = 266; short 136 → 6 packs of 25 = 150. Cover 130 / 10 = 13
  /// days. Over lead + review (`protectReviewPeriod`): SS = ⌈1.6448536 × 50 × √(21/30.4375)⌉ =
  /// ⌈68.313⌉ = 69, ROP 279, short 149 → 150 again.
  func testOrderNowByHand() {
    var input = ReplenishmentInput(
      sku: "A1", onHand: 120, reserved: 20, onOrder: 30, leadTimeDays: 14, reviewDays: 7,
      packSize: 25,
      forecast: [304.375, 608.75], sigma: 50, serviceLevel: 0.95)
    let line = Replenishment.plan(input)
    XCTAssertEqual(line.demandOverLeadTime, 210, accuracy: 1e-9)
    XCTAssertEqual(line.safetyStock, 56)
    XCTAssertEqual(line.reorderPoint, 266)
    XCTAssertEqual(line.suggestedQty, 150)
    XCTAssertEqual(line.daysOfCover!, 13, accuracy: 1e-9)
    XCTAssertEqual(line.status, .orderNow)
    XCTAssertEqual(line.status.rawValue, "order_now")
    input.protectReviewPeriod = true
    let periodic = Replenishment.plan(input)
    XCTAssertEqual(periodic.safetyStock, 69)
    XCTAssertEqual(periodic.reorderPoint, 279)
    XCTAssertEqual(periodic.suggestedQty, 150)
  }

  /// 30 + 10 = 40 days: the whole first month (304.375) and 9.5625 days at 20 a day (191.25).
  /// σ = 0: no safety stock; ROP = ⌈495.625⌉ = 496. Position 600: nothing to order;
  /// cover 600 / (495.625/40) = 48.42 days.
  func testDemandAcrossPeriodsAndOk() {
    let line = Replenishment.plan(
      ReplenishmentInput(
        sku: "B2", onHand: 600, leadTimeDays: 30, reviewDays: 10, forecast: [304.375, 608.75],
        sigma: 0))
    XCTAssertEqual(line.demandOverLeadTime, 495.625, accuracy: 1e-9)
    XCTAssertEqual(line.safetyStock, 0)
    XCTAssertEqual(line.reorderPoint, 496)
    XCTAssertEqual(line.suggestedQty, 0)
    XCTAssertEqual(line.daysOfCover!, 600 / (495.625 / 40), accuracy: 1e-9)
    XCTAssertEqual(line.status, .ok)
    // Past the forecast's last period its rate goes on: 61 days = 2 months + 0.0041 of 608.75.
    XCTAssertEqual(
      Replenishment.demand(overDays: 61, forecast: [304.375, 608.75], periodDays: 30.4375),
      304.375 + 608.75 + 608.75 * (61 / 30.4375 - 2), accuracy: 1e-9)
  }

  func testOverstock() {
    // 2000 units at 10 a day: 200 days of cover > 180.
    let over = Replenishment.plan(
      ReplenishmentInput(sku: "C3", onHand: 2000, leadTimeDays: 14, forecast: [304.375], sigma: 20))
    XCTAssertEqual(over.status, .overstock)
    XCTAssertEqual(over.daysOfCover!, 200, accuracy: 1e-9)
    // No demand forecast: stock is overstock, no stock is ok; cover undefined.
    let idle = Replenishment.plan(
      ReplenishmentInput(sku: "D4", onHand: 5, leadTimeDays: 14, forecast: [0], sigma: 0))
    XCTAssertEqual(idle.status, .overstock)
    XCTAssertNil(idle.daysOfCover)
    let none = Replenishment.plan(
      ReplenishmentInput(sku: "D4", onHand: 0, leadTimeDays: 14, forecast: [0], sigma: 0))
    XCTAssertEqual(none.status, .ok)
    XCTAssertEqual(none.reorderPoint, 0)
  }

  /// The safety stock grows with the service level (z 1.2816 at 90 %, 2.3263 at 99 %); one
  /// period of lead time and no review: SS = ⌈z · 100⌉.
  func testServiceLevel() {
    func safety(_ level: Double) -> Int {
      Replenishment.plan(
        ReplenishmentInput(
          sku: "E", onHand: 0, leadTimeDays: 30, reviewDays: 0, forecast: [100], sigma: 100,
          periodDays: 30,
          serviceLevel: level)
      ).safetyStock
    }
    XCTAssertEqual(safety(0.90), 129)  // ⌈128.155⌉
    XCTAssertEqual(safety(0.99), 233)  // ⌈232.635⌉
    XCTAssertEqual(safety(0.5), 0)
  }
}

import Foundation
import XCTest

@testable import ERPCore

/// The replenishment policy proved on the project's own synthetic history: three years from
/// `HistoryGenerator` (season, growth, promotions, intermittent slow movers), daily demand per
/// SKU = Σ OrderConfirmed line qty on each day. The first two years are history; over the third
/// the stock of every SKU is simulated day by day (`InventorySimulation`: weekly review, lost
/// sales, lead times of 7, 14 or 21 days by SKU) under the forecast policy at a 95 % service
/// level and under the fixed rule "below 2 months of average demand, order 2 months".
final class ForecastSimulationTests: XCTestCase {
  struct Demand {
    var bySKU: [(sku: String, daily: [Int])]
    var monthStarts: [Int]
    var days: Int
  }

  static func generatedDemand() throws -> Demand {
    let options = GenerateOptions(months: 36, customers: 150, reps: 4, products: 24, seed: 11)
    let zone = StoreTimeZone("Asia/Shanghai")!
    let start = options.start.daysSinceEpoch
    let days = Int(options.end.daysSinceEpoch - start)
    var daily: [String: [Int]] = [:]
    _ = try HistoryGenerator.run(options) { e in
      guard e.type == "OrderConfirmed", let lines = e.data["lines"]?.arrayValue else { return }
      let day = Int(zone.date(of: e.at).daysSinceEpoch - start)
      for line in lines {
        guard let o = line.objectValue, let sku = o["sku"]?.stringValue,
          let qty = o["qty"]?.intValue
        else { continue }
        daily[sku, default: Array(repeating: 0, count: days)][day] += Int(qty)
      }
    }
    let monthStarts = (0...days).filter {
      $0 == days || options.start.adding(days: $0).components.day == 1
    }
    return Demand(
      bySKU: daily.keys.sorted().map { ($0, daily[$0]!) }, monthStarts: monthStarts, days: days)
  }

  func testForecastPolicyFillsAsWellWithLessStockThanTheFixedRule() throws {
    let clock = Date()
    let demand = try Self.generatedDemand()
    let startDay = demand.monthStarts[24]
    var ours = InventorySimulation.Outcome()
    var fixed = InventorySimulation.Outcome()
    for (i, item) in demand.bySKU.enumerated() {
      let settings = InventorySimulation.Settings(
        startDay: startDay, monthStarts: demand.monthStarts, reviewDays: 7,
        leadTimeDays: [7, 14, 21][i % 3])
      ours =
        ours
        + InventorySimulation.run(
          demand: item.daily, policy: .forecast(serviceLevel: 0.95), settings: settings)
      fixed =
        fixed
        + InventorySimulation.run(demand: item.daily, policy: .fixedMonths(2), settings: settings)
    }
    let seconds = Date().timeIntervalSince(clock)
    let report = """
      replenishment simulation: HistoryGenerator seed 11, 36 months, 150 customers, \(demand.bySKU.count) SKUs; \
      months 25-36 simulated (\(ours.days) days), weekly review, lead time 7/14/21 days, lost sales
      forecast policy (95 % service level): fill rate \(String(format: "%.2f", 100 * ours.fillRate)) %, \
      average stock \(String(format: "%.1f", ours.averageOnHand)) units, \(ours.orders) orders
      fixed 2-month rule:                  fill rate \(String(format: "%.2f", 100 * fixed.fillRate)) %, \
      average stock \(String(format: "%.1f", fixed.averageOnHand)) units, \(fixed.orders) orders
      units demanded \(ours.demanded); simulation took \(String(format: "%.1f", seconds)) s

      """
    print(report)
    try? report.write(toFile: "/tmp/forecast-sim.txt", atomically: true, encoding: .utf8)
    XCTAssertGreaterThan(ours.demanded, 1000)
    XCTAssertGreaterThanOrEqual(ours.fillRate, 0.93)
    XCTAssertLessThan(ours.averageOnHand, fixed.averageOnHand)
  }

  /// The simulation's bookkeeping on a hand-sized case: 2 a day, lead time 2, the fixed rule
  /// at half a month. Start stock = 30.4375 × 2 = 61 (rounded).
  func testSimulationBookkeeping() {
    let demand = Array(repeating: 2, count: 400)
    let settings = InventorySimulation.Settings(
      startDay: 365, monthStarts: [0, 400], reviewDays: 1, leadTimeDays: 2)
    let out = InventorySimulation.run(demand: demand, policy: .fixedMonths(0.5), settings: settings)
    XCTAssertEqual(out.days, 35)
    XCTAssertEqual(out.demanded, 70)
    XCTAssertEqual(
      out.fillRate, 1, "the rule reorders 30.4 units when the position drops below them")
    XCTAssertEqual(out.orders, 2)
  }
}

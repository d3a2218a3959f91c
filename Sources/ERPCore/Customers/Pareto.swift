/// The concentration of gross profit over customers (SPEC 5 and 7 "Customers").
public enum Pareto {
  /// One point of the cumulative curve: the top `customers` share (by gross profit) makes
  /// `profit` share of the total.
  public struct Point: Sendable, Equatable {
    public var customers: Double
    public var profit: Double

    public init(customers: Double, profit: Double) {
      (self.customers, self.profit) = (customers, profit)
    }
  }

  /// The smallest share k/n of the customers which, taken by gross profit descending, makes at
  /// least 80 % of the total: the least k with 5·Σ_{top k} ≥ 4·total, compared exactly in
  /// integers. Nil when there are no customers or the total is ≤ 0 (no positive profit to
  /// concentrate; any k would do for a negative total).
  public static func share(_ profits: [Int64]) -> Double? {
    let sorted = profits.sorted(by: >)
    let total = sorted.reduce(Int128(0)) { $0 + Int128($1) }
    guard total > 0 else { return nil }
    var running = Int128(0)
    for (k, p) in sorted.enumerated() {
      running += Int128(p)
      if 5 * running >= 4 * total { return Double(k + 1) / Double(sorted.count) }
    }
    return 1  // unreachable: the loop reaches the total
  }

  /// The cumulative curve for `points` evenly spaced shares of customers j/points,
  /// j = 1…points: k = round(j·n/points) customers (at least 1), plotted at their exact share
  /// k/n with the share of profit they make; every customer when n ≤ points. Empty when there
  /// are no customers or the total is ≤ 0.
  public static func curve(_ profits: [Int64], points: Int = 20) -> [Point] {
    let sorted = profits.sorted(by: >)
    let n = sorted.count
    let total = sorted.reduce(Int128(0)) { $0 + Int128($1) }
    guard n > 0, total > 0, points > 0 else { return [] }
    var cumulative = [Int128](repeating: 0, count: n + 1)
    for (k, p) in sorted.enumerated() { cumulative[k + 1] = cumulative[k] + Int128(p) }
    let ks =
      n <= points
      ? Array(1...n) : (1...points).map { j in max(1, (2 * j * n + points) / (2 * points)) }
    return ks.map { k in
      Point(customers: Double(k) / Double(n), profit: Double(cumulative[k]) / Double(total))
    }
  }
}

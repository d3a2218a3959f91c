import Foundation

/// Customer lifetime value over a horizon (SPEC 7 "Customers").
public enum CLV {
  /// A customer's predicted purchases and discounted value over the horizon.
  public struct Value: Sendable, Equatable {
    /// E[X(30·H days) | x, tₓ, T].
    public var expectedPurchases: Double
    /// In the units of the expected spend (booked amount).
    public var clv: Double

    public init(expectedPurchases: Double, clv: Double) {
      (self.expectedPurchases, self.clv) = (expectedPurchases, clv)
    }
  }

  /// Days in the model's time unit: 1 for `day`, 7 for `week`.
  public static func daysPerUnit(week: Bool) -> Double { week ? 7 : 1 }

  /// SPEC 7: with months of 30 days,
  ///
  ///     clv = Σ_{i=1..H} (E[X(30i)] − E[X(30(i−1))]) × expectedSpend / (1 + d)^i
  ///
  /// and `expectedPurchases` = E[X(30H)], where E[X(t)] is the BG/NBD conditional expectation
  /// for the customer and t is converted to the model's unit (30i / `daysPerUnit`).
  /// `horizonMonths` ≤ 0 gives zero for both.
  public static func value(
    _ model: BGNBDParameters, _ customer: BGNBDCustomer, expectedSpend: Double,
    horizonMonths: Int, discountRate: Double, daysPerUnit: Double
  ) -> Value {
    discounted(
      horizonMonths: horizonMonths, discountRate: discountRate, expectedSpend: expectedSpend
    ) { days in
      BGNBD.expectedPurchases(model, customer, t: days / daysPerUnit)
    }
  }

  /// The same sum for any cumulative expectation `expected(days)` (E[X] after that many days,
  /// 0 at 0); `value` passes the BG/NBD one.
  public static func discounted(
    horizonMonths: Int, discountRate: Double, expectedSpend: Double,
    expected: (Double) -> Double
  ) -> Value {
    guard horizonMonths > 0 else { return Value(expectedPurchases: 0, clv: 0) }
    var previous = 0.0
    var sum = 0.0
    var factor = 1.0
    for i in 1...horizonMonths {
      let e = expected(30 * Double(i))
      factor *= 1 + discountRate
      sum += (e - previous) / factor
      previous = e
    }
    return Value(expectedPurchases: previous, clv: sum * expectedSpend)
  }
}

import Foundation
import Testing

@testable import ERPCore

@Suite("Customers: CLV")
struct CustomersCLVTests {
  @Test func discountedSumByHand() {
    // One purchase a month (E[X(t)] = t/30 days), 3 months at 10 % a month, spend 10:
    // 10·(1/1.1 + 1/1.21 + 1/1.331) = 24.868519909842…
    let v = CLV.discounted(horizonMonths: 3, discountRate: 0.1, expectedSpend: 10) { $0 / 30 }
    #expect(v.expectedPurchases == 3)
    #expect(abs(v.clv - 10 * (1 / 1.1 + 1 / 1.21 + 1 / 1.331)) < 1e-12)
    // Uneven increments: E = √(t/30): 1, √2, √3 → (1/1.1 + (√2−1)/1.21 + (√3−√2)/1.331)·10.
    let w = CLV.discounted(horizonMonths: 3, discountRate: 0.1, expectedSpend: 10) {
      ($0 / 30).squareRoot()
    }
    let (r2, r3): (Double, Double) = (sqrt(2), sqrt(3))
    let expected: Double = 10 * (1 / 1.1 + (r2 - 1) / 1.21 + (r3 - r2) / 1.331)
    #expect(abs(w.clv - expected) < 1e-12)
    #expect(abs(w.expectedPurchases - sqrt(3)) < 1e-15)
    // No discounting: the spend times the purchases over the horizon.
    let flat = CLV.discounted(horizonMonths: 12, discountRate: 0, expectedSpend: 2) { $0 / 60 }
    #expect(abs(flat.clv - 12) < 1e-12)
    #expect(
      CLV.discounted(horizonMonths: 0, discountRate: 0.01, expectedSpend: 5) { $0 }
        == CLV.Value(expectedPurchases: 0, clv: 0))
  }

  @Test func asksForThirtyDayMonthsInTheModelUnit() {
    var asked: [Double] = []
    _ = CLV.discounted(horizonMonths: 2, discountRate: 0, expectedSpend: 1) {
      asked.append($0)
      return 0
    }
    #expect(asked == [30, 60])
  }

  @Test func weeksGiveTheSameValueAsDays() {
    let days = BGNBDParameters(r: 0.243, alpha: 4.414 * 7, a: 0.793, b: 2.426)
    let weeks = BGNBDParameters(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    let d = CLV.value(
      days, BGNBDCustomer(x: 3, tx: 140, T: 210), expectedSpend: 30, horizonMonths: 12,
      discountRate: 0.01, daysPerUnit: 1)
    let w = CLV.value(
      weeks, BGNBDCustomer(x: 3, tx: 20, T: 30), expectedSpend: 30, horizonMonths: 12,
      discountRate: 0.01, daysPerUnit: 7)
    #expect(relativeError(w.clv, d.clv) < 1e-12)
    #expect(relativeError(w.expectedPurchases, d.expectedPurchases) < 1e-12)
    #expect(CLV.daysPerUnit(week: true) == 7 && CLV.daysPerUnit(week: false) == 1)
  }

  @Test func cdnowMatchesLifetimesInDays() throws {
    // lifetimes' customer_lifetime_value with freq "D" is SPEC 7's sum: months of 30 days.
    let ref = try CDNOW.reference()
    let w = ref.lifetimes_fit.bgnbd
    let days = BGNBDParameters(r: w.r, alpha: w.alpha * 7, a: w.a, b: w.b)
    for c in ref.customers {
      let v = CLV.value(
        days, BGNBDCustomer(x: c.x, tx: c.t_x_days, T: c.T_days), expectedSpend: c.expected_spend,
        horizonMonths: 12, discountRate: 0.01, daysPerUnit: 1)
      #expect(relativeError(v.clv, c.clv_days_12_months_1pct) < 1e-8, "customer \(c.id)")
    }
  }
}

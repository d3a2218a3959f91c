import Foundation
import ERPTestSupport
import Testing

@testable import ERPCore

@Suite("Customers: BG/NBD")
struct CustomersBGNBDTests {
  static let unit = BGNBDParameters(r: 1, alpha: 1, a: 1, b: 1)

  @Test func logLikelihoodByHand() {
    // x = 0, T = 1: r ln α − r ln(α + T) = −ln 2.
    let none = BGNBDCustomer(x: 0, tx: 0, T: 1)
    #expect(abs(BGNBD.logLikelihood(Self.unit, none) + log(2)) < 1e-15)
    // x = 1, tₓ = 1, T = 2: ln Γ(2) − ln Γ(1) + 0 = 0; ln B(1, 2) − ln B(1, 1) = −ln 2;
    // (α+T)^−2 = 1/9; a/(b+x−1)·(α+tₓ)^−2 = 1/4. Total ln(1/2 · (1/9 + 1/4)) = ln(13/72).
    let one = BGNBDCustomer(x: 1, tx: 1, T: 2)
    #expect(abs(BGNBD.logLikelihood(Self.unit, one) - log(13.0 / 72)) < 1e-15)
  }

  @Test func probabilityAliveByHand() {
    // 1 / (1 + a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)) = 1 / (1 + (3/2)²) = 4/13.
    #expect(
      abs(BGNBD.probabilityAlive(Self.unit, BGNBDCustomer(x: 1, tx: 1, T: 2)) - 4.0 / 13) < 1e-15)
    // Bought again just now: (α+T)/(α+tₓ) = 1, so 1/(1 + a/(b+x−1)) = 1/(1 + 1/4).
    #expect(abs(BGNBD.probabilityAlive(Self.unit, BGNBDCustomer(x: 4, tx: 9, T: 9)) - 0.8) < 1e-15)
    #expect(BGNBD.probabilityAlive(Self.unit, BGNBDCustomer(x: 0, tx: 0, T: 50)) == 1)
    // Long gone: 1/(1 + (1/50)·(1001/2)^51) ≈ 1e-136, not 1/∞ = NaN; past the range, 0.
    let gone = BGNBD.probabilityAlive(Self.unit, BGNBDCustomer(x: 50, tx: 1, T: 1000))
    #expect(gone > 1e-137 && gone < 1e-135)
    #expect(BGNBD.probabilityAlive(Self.unit, BGNBDCustomer(x: 300, tx: 1, T: 1000)) == 0)
  }

  static let closedForm: [(t: Double, expected: Double)] = [
    (1, 2 * (1 - log(2.0))), (99, 2 * (1 - 0.01 * log(100.0) / 0.99)),
  ]

  @Test(arguments: closedForm)
  func expectationInClosedForm(_ t: Double, _ expected: Double) {
    // r = b = 1, a = 2, α = 1, x = 0, T = 0: E[X(t)] = 2·[1 − (1−z)·2F1(1, 1; 2; z)] with
    // z = t/(1+t) and 2F1(1, 1; 2; z) = −ln(1−z)/z. t = 1: z = ½ → 2(1 − ln 2);
    // t = 99: z = 0.99 → 2(1 − 0.01·ln 100/0.99) (the 1 − z formula at its integer case).
    let p = BGNBDParameters(r: 1, alpha: 1, a: 2, b: 1)
    let e = BGNBD.expectedPurchases(p, BGNBDCustomer(x: 0, tx: 0, T: 0), t: t)
    #expect(relativeError(e, expected) < 1e-9)
  }

  /// E[X(t) | x, tₓ, T] = P(alive) · ∫ Beta(p; a, b+x) · (1 − ((α+T)/(α+T+pt))^(r+x)) / p dp
  /// (posterior λ ~ Gamma(r+x, α+T), p ~ Beta(a, b+x) given alive; an alive customer's expected
  /// purchases over t are (1 − e^(−λpt))/p), integrated numerically — an independent check of
  /// eq. (10) and of 2F1.
  static func integrated(_ m: BGNBDParameters, _ c: BGNBDCustomer, t: Double) -> Double {
    let (s, A, a, bx) = (m.r + c.x, m.alpha + c.T, m.a, m.b + c.x)
    // p = u^(1/a) absorbs p^(a−1); Simpson's rule in u over [0, 1] (accurate when 1/a is a
    // whole number or a < 1, which the cases below keep to).
    let n = 200_000
    let logBeta: Double = lgamma(a) + lgamma(bx) - lgamma(a + bx)
    func g(_ u: Double) -> Double {
      guard u > 0 else { return s * t / A / a }  // the limit p → 0 of (1 − (1+pt/A)^−s)/p / a
      let p = pow(u, 1 / a)
      guard p < 1 else { return 0 }
      return pow(1 - p, bx - 1) * -expm1(-s * log1p(p * t / A)) / p / a
    }
    var sum = g(0) + g(1)
    for i in 1..<n { sum += g(Double(i) / Double(n)) * (i % 2 == 1 ? 4 : 2) }
    return sum / Double(3 * n) / exp(logBeta) * BGNBD.probabilityAlive(m, c)
  }

  static let integralCases: [(BGNBDParameters, BGNBDCustomer, Double)] = [
    (
      BGNBDParameters(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426),
      BGNBDCustomer(x: 2, tx: 30.43, T: 38.86), 39.0
    ),
    (
      BGNBDParameters(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426), BGNBDCustomer(x: 0, tx: 0, T: 1),
      200
    ),
    (BGNBDParameters(r: 2.5, alpha: 30, a: 0.5, b: 4), BGNBDCustomer(x: 25, tx: 300, T: 320), 360),
    (BGNBDParameters(r: 0.5, alpha: 10, a: 1, b: 1.5), BGNBDCustomer(x: 7, tx: 20, T: 100), 300),
    (BGNBDParameters(r: 0.8, alpha: 2, a: 0.25, b: 3), BGNBDCustomer(x: 0, tx: 0, T: 3), 60),
  ]

  @Test(arguments: integralCases)
  func expectationMatchesIntegral(_ m: BGNBDParameters, _ c: BGNBDCustomer, _ t: Double) {
    let e = BGNBD.expectedPurchases(m, c, t: t)
    #expect(relativeError(e, Self.integrated(m, c, t: t)) < 1e-7, "\(m) \(c) t \(t)")
  }

  @Test func expectationIsContinuousAtAEqualsOne() {
    // a = 1 is a removable singularity of eq. (10): values inside the interpolated band
    // (|a − 1| < 1e-4) and outside it lie on one smooth curve. Over this short a-range the
    // curve is a straight line to ~1e-8 (its curvature), far below any seam.
    let c = BGNBDCustomer(x: 3, tx: 20, T: 40)
    let points = [0.999, 0.9999, 0.99995, 1, 1.00001, 1.0002, 1.001]
    let e = points.map { a in
      BGNBD.expectedPurchases(BGNBDParameters(r: 0.5, alpha: 5, a: a, b: 2), c, t: 52)
    }
    let slope = (e[6] - e[0]) / 0.002
    for (i, a) in points.enumerated() {
      #expect(relativeError(e[i], e[0] + slope * (a - 0.999)) < 1e-6, "a = \(a)")
    }
    // And the band agrees with the integral of the posterior at a = 1 exactly (below too).
    #expect(BGNBD.expectedPurchases(BGNBDParameters(r: 0.5, alpha: 5, a: 1, b: 2), c, t: 0) == 0)
  }

  @Test func expectationIsContinuousAtCZero() {
    // x = 0 and a + b = 1 make c = a + b + x − 1 = 0, another removable singularity.
    let c = BGNBDCustomer(x: 0, tx: 0, T: 10)
    let points = [0.599, 0.5999, 0.59995, 0.6, 0.60002, 0.6001, 0.601]
    let e = points.map { b in
      BGNBD.expectedPurchases(BGNBDParameters(r: 0.5, alpha: 5, a: 0.4, b: b), c, t: 52)
    }
    let slope = (e[6] - e[0]) / 0.002
    for (i, b) in points.enumerated() {
      #expect(relativeError(e[i], e[0] + slope * (b - 0.599)) < 1e-6, "b = \(b)")
    }
    // mpmath (30 digits): eq. (10) at b = 0.6 ± 1e-20, and the posterior integral by quad,
    // both 1.0623542145128903…
    #expect(relativeError(e[3], 1.0623542145128903) < 1e-10)
  }

  @Test func expectationGrowsWithTimeAndSmallTimeMatchesTheRate() {
    let m = BGNBDParameters(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    let c = BGNBDCustomer(x: 3, tx: 30, T: 35)
    let values = [1.0, 10, 52, 104, 520, 5200].map { BGNBD.expectedPurchases(m, c, t: $0) }
    #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
    // For small t an alive customer buys at the posterior mean rate (r+x)/(α+T).
    let small = BGNBD.expectedPurchases(m, c, t: 1e-4)
    let rate = BGNBD.probabilityAlive(m, c) * (m.r + c.x) / (m.alpha + c.T)
    #expect(relativeError(small / 1e-4, rate) < 1e-3)
  }

  // MARK: Fit

  @Test func cdnowFitMatchesThePublishedEstimates() throws {
    let ref = try CDNOW.reference()
    let rows = try CDNOW.rows()
    #expect(rows.count == ref.customers_count)
    let fit = try BGNBD.fit(rows.map(\.customer))
    let published = ref.published.bgnbd
    let p = fit.parameters
    for (name, got, want) in [
      ("r", p.r, published.r), ("alpha", p.alpha, published.alpha), ("a", p.a, published.a),
      ("b", p.b, published.b),
    ] {
      #expect(relativeError(got, want) < 0.02, "\(name) \(got) vs published \(want)")
    }
    // The same maximum as lifetimes (BFGS) on the same file.
    let lt = ref.lifetimes_fit.bgnbd
    for (got, want) in [(p.r, lt.r), (p.alpha, lt.alpha), (p.a, lt.a), (p.b, lt.b)] {
      #expect(relativeError(got, want) < 1e-4)
    }
    #expect(abs(fit.logLikelihood - (lt.log_likelihood ?? 0)) < 1e-4)
    #expect(abs(fit.logLikelihood - (published.log_likelihood ?? 0)) < 0.05)
  }

  @Test func cdnowPerCustomerValuesMatchLifetimes() throws {
    let ref = try CDNOW.reference()
    let m = BGNBDParameters(ref.lifetimes_fit.bgnbd)
    for c in ref.customers {
      let customer = BGNBDCustomer(x: c.x, tx: c.t_x, T: c.T)
      #expect(
        relativeError(BGNBD.probabilityAlive(m, customer), c.p_alive) < 1e-9, "customer \(c.id)")
      for e in c.expected_purchases {
        let v = BGNBD.expectedPurchases(m, customer, t: e.t)
        #expect(relativeError(v, e.value) < 1e-8, "customer \(c.id) t \(e.t): \(v) vs \(e.value)")
      }
    }
  }

  @Test func fitInDaysIsTheFitInWeeks() throws {
    // The model is invariant to the time unit: α scales, r, a, b do not.
    let rows = try CDNOW.rows()
    let weeks = try BGNBD.fit(rows.map(\.customer)).parameters
    let days = try BGNBD.fit(rows.map(\.customerInDays)).parameters
    #expect(relativeError(days.alpha / 7, weeks.alpha) < 1e-4)
    #expect(relativeError(days.r, weeks.r) < 1e-4)
    #expect(relativeError(days.a, weeks.a) < 1e-4)
    #expect(relativeError(days.b, weeks.b) < 1e-4)
  }

  @Test func groupedLikelihoodIsTheSumOverCustomers() throws {
    let customers = try CDNOW.rows().map(\.customerInDays)
    let fit = try BGNBD.fit(customers)
    let direct = BGNBD.logLikelihood(fit.parameters, customers)
    #expect(abs(fit.logLikelihood - direct) < 1e-6 * abs(direct))
  }

  @Test func recoversSimulatedParameters() throws {
    let truth = BGNBDParameters(r: 0.25, alpha: 30, a: 0.8, b: 2.5)
    let customers = Simulate.bgnbd(4000, truth, span: 730, seed: 7)
    let p = try BGNBD.fit(customers).parameters
    // Sampling error at n = 4000 is a few percent for r and α, more for a and b.
    #expect(relativeError(p.r, truth.r) < 0.15, "r \(p.r)")
    #expect(relativeError(p.alpha, truth.alpha) < 0.2, "alpha \(p.alpha)")
    #expect(relativeError(p.a, truth.a) < 0.3, "a \(p.a)")
    #expect(relativeError(p.b, truth.b) < 0.3, "b \(p.b)")
  }

  @Test func tooLittleDataIsAnError() {
    let old = BGNBDCustomer(x: 0, tx: 0, T: 100)
    #expect(throws: CustomerModelError.tooFewCustomers(model: "BG/NBD", count: 9, minimum: 10)) {
      try BGNBD.fit(Array(repeating: BGNBDCustomer(x: 1, tx: 5, T: 100), count: 9))
    }
    #expect(throws: CustomerModelError.noRepeatPurchases) {
      try BGNBD.fit(Array(repeating: old, count: 50))
    }
    #expect(throws: CustomerModelError.noElapsedTime) {
      try BGNBD.fit(Array(repeating: BGNBDCustomer(x: 1, tx: 0, T: 0), count: 50))
    }
    #expect(throws: CustomerModelError.invalidInput("customer with x = 1.0, t_x = 5.0, T = 3.0")) {
      try BGNBD.fit(Array(repeating: old, count: 20) + [BGNBDCustomer(x: 1, tx: 5, T: 3)])
    }
    #expect(throws: CustomerModelError.self) {
      try BGNBD.fit(Array(repeating: old, count: 20) + [BGNBDCustomer(x: 0, tx: 5, T: 9)])
    }
    #expect(throws: CustomerModelError.self) {
      try BGNBD.fit(Array(repeating: old, count: 20) + [BGNBDCustomer(x: 1.5, tx: 5, T: 9)])
    }
    #expect(
      CustomerModelError.tooFewCustomers(model: "BG/NBD", count: 9, minimum: 10).description
        == "cannot fit the BG/NBD model: 9 usable customers, at least 10 needed")
  }

  @Test func degenerateDataStillGivesFiniteParameters() throws {
    // One repeat purchase among ten; everyone identical: the maximum is at the bounds.
    let few = try BGNBD.fit(
      Array(repeating: BGNBDCustomer(x: 0, tx: 0, T: 100), count: 9) + [
        BGNBDCustomer(x: 1, tx: 5, T: 100)
      ])
    let same = try BGNBD.fit(Array(repeating: BGNBDCustomer(x: 3, tx: 50, T: 100), count: 20))
    for f in [few, same] {
      let p = f.parameters
      #expect([p.r, p.alpha, p.a, p.b, f.logLikelihood].allSatisfy { $0.isFinite })
      let e = BGNBD.expectedPurchases(p, BGNBDCustomer(x: 3, tx: 50, T: 100), t: 360)
      #expect(e.isFinite && e >= 0)
    }
  }
}

/// A seeded simulation of customers from a BG/NBD population (tests only).
enum Simulate {
  /// Continuous draws over ERPTestSupport's SplitMix64.
  struct Draws {
    var bits: SplitMix64

    mutating func next() -> UInt64 { bits.next() }

    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }

    mutating func normal() -> Double { sqrt(-2 * log(uniform())) * cos(2 * .pi * uniform()) }

    /// Gamma(k, 1) (Marsaglia & Tsang 2000).
    mutating func gamma(_ k: Double) -> Double {
      if k < 1 { return gamma(k + 1) * pow(uniform(), 1 / k) }
      let d = k - 1.0 / 3
      let c = 1 / sqrt(9 * d)
      while true {
        var x: Double
        var v: Double
        repeat {
          x = normal()
          v = 1 + c * x
        } while v <= 0
        v = v * v * v
        if log(uniform()) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
      }
    }

    mutating func beta(_ a: Double, _ b: Double) -> Double {
      let x = gamma(a)
      return x / (x + gamma(b))
    }
  }

  /// `n` customers in whole days, first purchase uniformly within the last `span` days; repeat
  /// purchases counted in distinct days as SPEC 7 does.
  static func bgnbd(_ n: Int, _ p: BGNBDParameters, span: Int, seed: UInt64) -> [BGNBDCustomer] {
    var g = Draws(bits: SplitMix64(seed: seed))
    return (0..<n).map { _ in
      let lambda = g.gamma(p.r) / p.alpha
      let dropout = g.beta(p.a, p.b)
      let T = Double(Int(g.uniform() * Double(span + 1)))
      var t = 0.0
      var days: Set<Int> = [0]
      while true {
        t += -log(g.uniform()) / lambda
        if t >= T + 1 { break }  // purchases on day T (the as-of date) still count
        days.insert(Int(t))
        if g.uniform() < dropout { break }
      }
      return BGNBDCustomer(x: Double(days.count - 1), tx: Double(days.max() ?? 0), T: T)
    }
  }
}

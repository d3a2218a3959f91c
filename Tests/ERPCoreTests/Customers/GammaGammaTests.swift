import Foundation
import Testing

@testable import ERPCore

@Suite("Customers: Gamma-Gamma")
struct CustomersGammaGammaTests {
  @Test func expectedSpendByHand() {
    let g = GammaGammaParameters(p: 6, q: 4, v: 15)
    // p(v + x·m̄)/(px + q − 1) = 6·(15 + 40)/(12 + 3) = 22.
    #expect(GammaGamma.expectedSpend(g, frequency: 2, meanSpend: 20) == 22)
    // No repeat purchase: the population mean pv/(q − 1) = 90/3.
    #expect(GammaGamma.expectedSpend(g, frequency: 0, meanSpend: 0) == 30)
    // The weights: (q−1)/(px+q−1) on the population mean, px/(px+q−1) on m̄.
    let x = 5.0
    let m = 42.0
    let w = g.p * x / (g.p * x + g.q - 1)
    #expect(
      abs(GammaGamma.expectedSpend(g, frequency: x, meanSpend: m) - ((1 - w) * 30 + w * m)) < 1e-12)
    #expect(
      GammaGamma.expectedSpend(GammaGammaParameters(p: 1, q: 0.5, v: 1), frequency: 0, meanSpend: 0)
        == .infinity)
  }

  @Test func logLikelihoodByHand() {
    // p = 1, q = 2, v = 1, x = 1, m = 1:
    // ln Γ(3) − ln Γ(1) − ln Γ(2) + 0 + 0 + 0 − 3 ln 2 = −2 ln 2.
    let ll = GammaGamma.logLikelihood(
      GammaGammaParameters(p: 1, q: 2, v: 1), frequency: 1, meanSpend: 1)
    #expect(abs(ll + 2 * log(2)) < 1e-15)
  }

  @Test func cdnowFitMatchesThePublishedEstimates() throws {
    let ref = try CDNOW.reference()
    let repeaters = try CDNOW.rows().filter { $0.x > 0 }
    #expect(repeaters.count == ref.repeat_customers_count)
    let fit = try GammaGamma.fit(
      frequency: repeaters.map(\.x), meanSpend: repeaters.map(\.monetary))
    let p = fit.parameters
    let published = ref.published.gamma_gamma
    let lt = ref.lifetimes_fit.gamma_gamma
    for (name, got, want) in [
      ("p", p.p, published.p), ("q", p.q, published.q), ("v", p.v, published.v),
    ] {
      #expect(relativeError(got, want) < 0.02, "\(name) \(got) vs published \(want)")
    }
    for (got, want) in [(p.p, lt.p), (p.q, lt.q), (p.v, lt.v)] {
      #expect(relativeError(got, want) < 1e-4)
    }
    #expect(abs(fit.logLikelihood - (lt.log_likelihood ?? 0)) < 1e-4)
  }

  @Test func cdnowExpectedSpendMatchesLifetimes() throws {
    let ref = try CDNOW.reference()
    let g = GammaGammaParameters(ref.lifetimes_fit.gamma_gamma)
    for c in ref.customers {
      let e = GammaGamma.expectedSpend(g, frequency: c.x, meanSpend: c.monetary_value)
      #expect(relativeError(e, c.expected_spend) < 1e-12, "customer \(c.id)")
    }
  }

  @Test func customersWithoutRepeatsOrSpendAreLeftOut() throws {
    let x = (0..<30).map { Double($0 % 4 + 1) }
    let m = (0..<30).map { 10 + Double($0 * 7 % 13) }
    let base = try GammaGamma.fit(frequency: x, meanSpend: m)
    let padded = try GammaGamma.fit(frequency: x + [0, 3, 0], meanSpend: m + [0, 0, 25])
    #expect(padded.parameters == base.parameters)
    #expect(padded.logLikelihood == base.logLikelihood)
  }

  @Test func qStaysAboveOne() throws {
    // Heavy-tailed spends (1 … 16384) would put the unconstrained maximum at q < 1.
    let m = (0..<30).map { pow(2, Double($0 % 15)) }
    let fit = try GammaGamma.fit(frequency: Array(repeating: 1, count: 30), meanSpend: m)
    #expect(fit.parameters.q > 1)
    #expect(GammaGamma.expectedSpend(fit.parameters, frequency: 0, meanSpend: 0).isFinite)
  }

  @Test func tooLittleDataIsAnError() {
    #expect(throws: CustomerModelError.tooFewCustomers(model: "Gamma-Gamma", count: 9, minimum: 10))
    {
      try GammaGamma.fit(
        frequency: Array(repeating: 2, count: 9) + [0], meanSpend: Array(repeating: 5, count: 10))
    }
    #expect(throws: CustomerModelError.invalidInput("2 frequencies for 1 mean spends")) {
      try GammaGamma.fit(frequency: [1, 2], meanSpend: [3])
    }
  }
}

import Foundation

extension CustomerReport {
  /// The fitted BG/NBD and Gamma-Gamma models (issue 6) and what the report needs of them.
  public struct ModelFit: Sendable {
    public var bgnbd: BGNBDParameters
    public var bgnbdLogLikelihood: Double
    public var gammaGamma: GammaGammaParameters?
    public var gammaGammaLogLikelihood: Double?
    /// Why the Gamma-Gamma model could not be fitted (then CLV is 0: no spend is predicted).
    public var gammaGammaError: String?
    /// Customers the BG/NBD was fitted on, and those with repeat purchases (the Gamma-Gamma's).
    public var customers: Int
    public var repeatCustomers: Int

    /// Fits both models on the customers' SPEC 7 inputs (money in major units).
    public static func fit(_ inputs: [ModelInput], unit: TimeUnit) throws -> ModelFit {
      let bg = try BGNBD.fit(inputs.map { BGNBDCustomer(x: $0.x, tx: $0.tx, T: $0.T) })
      let repeaters = inputs.filter { $0.x > 0 && $0.meanSpend > 0 }
      var gg: (parameters: GammaGammaParameters, logLikelihood: Double)?
      var ggError: String?
      do {
        gg = try GammaGamma.fit(frequency: repeaters.map(\.x), meanSpend: repeaters.map(\.meanSpend))
      } catch {
        ggError = "\(error)"
      }
      return ModelFit(
        bgnbd: bg.parameters, bgnbdLogLikelihood: bg.logLikelihood, gammaGamma: gg?.parameters,
        gammaGammaLogLikelihood: gg?.logLikelihood, gammaGammaError: ggError, customers: inputs.count,
        repeatCustomers: repeaters.count)
    }

    /// Whether the BG/NBD fit ended at the edge of the space it searches (r, a or b within 1 %
    /// of `BGNBD.parameterBounds`): what thin or odd histories give; its predictions are then
    /// unreliable.
    public var atBound: Bool {
      let b = BGNBD.parameterBounds
      return [bgnbd.r, bgnbd.a, bgnbd.b].contains { $0 <= b.lowerBound * 1.01 || $0 >= b.upperBound * 0.99 }
    }

    /// P(alive), E[X(30·H days)] and the discounted CLV (major units; 0 spend when the
    /// Gamma-Gamma model could not be fitted) of one customer.
    func predict(_ c: ModelInput, horizonMonths: Int, discountRate: Double, unit: TimeUnit)
      -> (pAlive: Double, expected: Double, clv: Double)
    {
      let bc = BGNBDCustomer(x: c.x, tx: c.tx, T: c.T)
      let pAlive = BGNBD.probabilityAlive(bgnbd, bc)
      let spend = gammaGamma.map { GammaGamma.expectedSpend($0, frequency: c.x, meanSpend: c.meanSpend) } ?? 0
      var clv = 0.0
      var previous = 0.0
      var expected = 0.0
      for i in 1...horizonMonths {
        expected = BGNBD.expectedPurchases(bgnbd, bc, t: 30 * Double(i) / unit.days)
        clv += (expected - previous) * spend / pow(1 + discountRate, Double(i))
        previous = expected
      }
      return (pAlive, expected, clv)
    }

    /// The JSON `model` section (SPEC 6): r, alpha, a, b, p, q, v and the log-likelihoods.
    var cells: [(String, Cell)] {
      func d(_ x: Double?) -> Cell { x.map { ReportMath.decimal($0, scale: 6) } ?? .null }
      return [
        ("r", d(bgnbd.r)), ("alpha", d(bgnbd.alpha)), ("a", d(bgnbd.a)), ("b", d(bgnbd.b)),
        ("p", d(gammaGamma?.p)), ("q", d(gammaGamma?.q)), ("v", d(gammaGamma?.v)),
        ("log_likelihood", d(bgnbdLogLikelihood)), ("gg_log_likelihood", d(gammaGammaLogLikelihood)),
        ("customers", .int(Int64(customers))), ("repeat_customers", .int(Int64(repeatCustomers))),
      ]
    }
  }
}

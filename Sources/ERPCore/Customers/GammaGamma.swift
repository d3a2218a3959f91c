import Foundation

/// The Gamma-Gamma spend model's parameters: a customer's spend per transaction is
/// Gamma(shape `p`, rate ν) with ν ~ Gamma(shape `q`, rate `v`). `v` is in money units.
public struct GammaGammaParameters: Sendable, Equatable {
  public var p: Double
  public var q: Double
  public var v: Double

  public init(p: Double, q: Double, v: Double) { (self.p, self.q, self.v) = (p, q, v) }
}

/// The Gamma-Gamma model of average spend (Fader, Hardie & Lee 2005, "RFM and CLV: using
/// iso-value curves for customer base analysis", J. Marketing Research 42(4); Fader & Hardie,
/// "The Gamma-Gamma model of monetary value", 2013).
public enum GammaGamma {
  /// The fewest customers (with x > 0 and a positive mean spend) a fit accepts.
  public static let minimumCustomers = 10

  /// Bounds of p, of q − 1, and of v in units of the mean of the mean spends, during the fit.
  public static let parameterBounds: ClosedRange<Double> = 1e-6...1e6

  /// The log-likelihood of a customer's mean spend `m` over `x` transactions: x·m̄ is
  /// Gamma(px, ν), so
  ///
  ///     ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln m + px ln x − (px+q) ln(x·m + v)
  public static func logLikelihood(
    _ g: GammaGammaParameters, frequency x: Double, meanSpend m: Double
  ) -> Double {
    let (p, q, v) = (g.p, g.q, g.v)
    let l1: Double = lgamma(p * x + q)
    let l2: Double = lgamma(p * x)
    let l3: Double = lgamma(q)
    return l1 - l2 - l3 + q * log(v) + (p * x - 1) * log(m) + p * x * log(x) - (p * x + q)
      * log(x * m + v)
  }

  /// E[M | x, m̄] = (q − 1)/(px + q − 1) · pv/(q − 1) + px/(px + q − 1) · m̄
  ///             = p (v + x·m̄) / (px + q − 1),
  /// a weighted mean of the population mean pv/(q − 1) and the customer's own m̄. For x = 0 it is
  /// the population mean. Infinite when px + q ≤ 1 (a fit keeps q > 1, so never for x ≥ 0).
  public static func expectedSpend(
    _ g: GammaGammaParameters, frequency x: Double, meanSpend m: Double
  ) -> Double {
    let d = g.p * x + g.q - 1
    guard d > 0 else { return .infinity }
    return g.p * (g.v + x * m) / d
  }

  /// Maximum-likelihood estimates of p, q, v from the customers with a repeat purchase:
  /// `frequency[i]` = x (repeat purchases) and `meanSpend[i]` = their mean value.
  ///
  /// Entries with x ≤ 0 or a mean spend ≤ 0 are left out (the density has no mass at 0).
  /// q is kept above 1, so that the population mean spend pv/(q − 1), which a customer without
  /// a repeat purchase is given, is finite. Spends are rescaled by their mean during the fit;
  /// the optimiser works on ln p, ln(q − 1), ln v from three starts. Throws when fewer than
  /// `minimumCustomers` entries remain.
  public static func fit(
    frequency: [Double], meanSpend: [Double]
  ) throws(CustomerModelError) -> (parameters: GammaGammaParameters, logLikelihood: Double) {
    guard frequency.count == meanSpend.count else {
      throw .invalidInput("\(frequency.count) frequencies for \(meanSpend.count) mean spends")
    }
    var counts: [Pair: Double] = [:]
    for (x, m) in zip(frequency, meanSpend) where x > 0 && m > 0 && x.isFinite && m.isFinite {
      counts[Pair(x: x, m: m), default: 0] += 1
    }
    let used = Int(counts.values.reduce(0, +))
    guard used >= minimumCustomers else {
      throw .tooFewCustomers(model: "Gamma-Gamma", count: used, minimum: minimumCustomers)
    }
    let keys = counts.keys.sorted { ($0.x, $0.m) < ($1.x, $1.m) }
    let scale = keys.reduce(0.0) { $0 + counts[$1]! * $1.m } / Double(used)
    let data = SpendData(
      keys.map { Pair(x: $0.x, m: $0.m / scale) }, weights: keys.map { counts[$0]! })
    let starts = [(1.0, 2.0, 1.0), (5.0, 3.0, 0.5), (0.5, 1.5, 2.0)].map { p, q, v in
      [log(p), log(q - 1), log(v)]
    }
    let lower = [Double](repeating: log(parameterBounds.lowerBound), count: 3)
    let upper = [Double](repeating: log(parameterBounds.upperBound), count: 3)
    guard
      let best = Minimize.multiStart(
        { t in -data.logLikelihood(p: exp(t[0]), q: 1 + exp(t[1]), v: exp(t[2])) },
        starts: starts, lower: lower, upper: upper)
    else { throw .noFiniteLikelihood(model: "Gamma-Gamma") }
    let parameters = GammaGammaParameters(
      p: exp(best.x[0]), q: 1 + exp(best.x[1]), v: exp(best.x[2]) * scale)
    let ll = keys.reduce(0.0) {
      $0 + counts[$1]! * logLikelihood(parameters, frequency: $1.x, meanSpend: $1.m)
    }
    return (parameters, ll)
  }

  struct Pair: Hashable {
    var x, m: Double
  }

  /// Distinct (x, m̄) with counts; the Γ terms and x·ln x are computed once per distinct x.
  struct SpendData {
    var xs: [Double] = []
    var xIndex: [Int] = []
    var x: [Double] = []
    var m: [Double] = []
    var logM: [Double] = []
    var weight: [Double] = []

    init(_ pairs: [Pair], weights: [Double]) {
      xs = Array(Set(pairs.map(\.x))).sorted()
      let index = Dictionary(uniqueKeysWithValues: xs.enumerated().map { ($1, $0) })
      xIndex = pairs.map { index[$0.x]! }
      x = pairs.map(\.x)
      m = pairs.map(\.m)
      logM = pairs.map { log($0.m) }
      weight = weights
    }

    func logLikelihood(p: Double, q: Double, v: Double) -> Double {
      let lgQ: Double = lgamma(q)
      let perX = xs.map { x -> Double in
        let l1: Double = lgamma(p * x + q)
        let l2: Double = lgamma(p * x)
        return l1 - l2 - lgQ + q * log(v) + p * x * log(x)
      }
      var sum = 0.0
      for i in x.indices {
        let px = p * x[i]
        sum += weight[i] * (perX[xIndex[i]] + (px - 1) * logM[i] - (px + q) * log(x[i] * m[i] + v))
      }
      return sum
    }
  }
}

import Foundation

extension BGNBD {
  /// The fewest customers a fit accepts.
  public static let minimumCustomers = 10

  /// Bounds of r, a, b, and of α in units of the oldest customer's age (max T), during the fit.
  public static let parameterBounds: ClosedRange<Double> = 1e-6...1e6

  /// Maximum-likelihood estimates of r, α, a, b and the log-likelihood there.
  ///
  /// Customers with the same (x, tₓ, T) are evaluated once and weighted by their count. Time is
  /// rescaled so that the oldest customer's T is 1 (α is scaled back afterwards), which makes
  /// the bounds and the starting points independent of the time unit. The optimiser is
  /// `Minimize.multiStart` (bounded Nelder–Mead, restarted once from each result) on the
  /// logarithms of the four parameters, from three starts; α of each start matches the
  /// observed repeat-purchase rate Σx / ΣT.
  ///
  /// Throws when there are fewer than `minimumCustomers` customers, no repeat purchase, no
  /// customer with T > 0, or an input that breaks the conventions (x a whole number ≥ 0,
  /// 0 ≤ tₓ ≤ T, tₓ = 0 when x = 0).
  public static func fit(
    _ customers: [BGNBDCustomer]
  ) throws(CustomerModelError) -> (parameters: BGNBDParameters, logLikelihood: Double) {
    for c in customers {
      guard c.x >= 0, c.x == c.x.rounded(), c.tx >= 0, c.tx <= c.T, c.T.isFinite,
        c.x > 0 || c.tx == 0
      else {
        throw .invalidInput("customer with x = \(c.x), t_x = \(c.tx), T = \(c.T)")
      }
    }
    guard customers.count >= minimumCustomers else {
      throw .tooFewCustomers(model: "BG/NBD", count: customers.count, minimum: minimumCustomers)
    }
    guard customers.contains(where: { $0.x > 0 }) else { throw .noRepeatPurchases }
    let maxT = customers.map(\.T).max() ?? 0
    guard maxT > 0 else { throw .noElapsedTime }

    let data = GroupedData(customers, scale: 1 / maxT)
    let rate = data.totalX / data.totalT
    let starts = [(1.0, 1.0, 1.0), (0.25, 0.8, 2.5), (3.0, 0.3, 5.0)].map { r, a, b in
      [r, r / rate, a, b].map {
        log(min(max($0, parameterBounds.lowerBound * 10), parameterBounds.upperBound / 10))
      }
    }
    let lower = [Double](repeating: log(parameterBounds.lowerBound), count: 4)
    let upper = [Double](repeating: log(parameterBounds.upperBound), count: 4)
    guard
      let best = Minimize.multiStart(
        { theta in
          -data.logLikelihood(
            r: exp(theta[0]), alpha: exp(theta[1]), a: exp(theta[2]), b: exp(theta[3]))
        },
        starts: starts, lower: lower, upper: upper)
    else { throw .noFiniteLikelihood(model: "BG/NBD") }
    let x = best.x.map(exp)
    let parameters = BGNBDParameters(r: x[0], alpha: x[1] * maxT, a: x[2], b: x[3])
    let ll = data.groups.reduce(0.0) { $0 + $1.weight * logLikelihood(parameters, $1.customer) }
    return (parameters, ll)
  }

  /// Distinct (x, tₓ, T) with their counts, laid out so that one likelihood evaluation in
  /// time multiplied by `scale` computes each Γ term once per distinct x and each logarithm once
  /// per distinct T and tₓ.
  struct GroupedData {
    struct Group {
      /// The customer as given (unscaled).
      var customer: BGNBDCustomer
      var weight: Double
      var xIndex, txIndex, TIndex: Int
    }

    var groups: [Group] = []
    /// Distinct x, and distinct scaled tₓ and T.
    var xs: [Double] = []
    var txs: [Double] = []
    var Ts: [Double] = []
    /// Σ x and Σ scaled T over all customers.
    var totalX = 0.0, totalT = 0.0

    init(_ customers: [BGNBDCustomer], scale: Double) {
      var counts: [BGNBDCustomer: Double] = [:]
      for c in customers { counts[c, default: 0] += 1 }
      // Sorted, so that sums run in the same order on every run (dictionary order is seeded).
      let keys = counts.keys.sorted { ($0.x, $0.tx, $0.T) < ($1.x, $1.tx, $1.T) }
      xs = Array(Set(keys.map(\.x))).sorted()
      txs = Array(Set(keys.map { $0.tx * scale })).sorted()
      Ts = Array(Set(keys.map { $0.T * scale })).sorted()
      let xi = Dictionary(uniqueKeysWithValues: xs.enumerated().map { ($1, $0) })
      let txi = Dictionary(uniqueKeysWithValues: txs.enumerated().map { ($1, $0) })
      let ti = Dictionary(uniqueKeysWithValues: Ts.enumerated().map { ($1, $0) })
      for k in keys {
        let w = counts[k] ?? 0
        groups.append(
          Group(
            customer: k, weight: w, xIndex: xi[k.x] ?? 0, txIndex: txi[k.tx * scale] ?? 0,
            TIndex: ti[k.T * scale] ?? 0))
        totalX += w * k.x
        totalT += w * k.T * scale
      }
    }

    /// Σ weight × the customer's log-likelihood, in the scaled time.
    func logLikelihood(r: Double, alpha: Double, a: Double, b: Double) -> Double {
      let lgR: Double = lgamma(r)
      let lgB: Double = lgamma(b)
      let lgAB: Double = lgamma(a + b)
      let logAlpha = log(alpha)
      let logA = log(a)
      var base = [Double](repeating: 0, count: xs.count)
      var rx = [Double](repeating: 0, count: xs.count)
      var dropout = [Double](repeating: 0, count: xs.count)
      for (j, x) in xs.enumerated() {
        let g1: Double = lgamma(r + x)
        let g2: Double = lgamma(b + x)
        let g3: Double = lgamma(a + b + x)
        base[j] = g1 - lgR + r * logAlpha + lgAB + g2 - lgB - g3
        rx[j] = r + x
        dropout[j] = x > 0 ? logA - log(b + x - 1) : -.infinity
      }
      let logT = Ts.map { log(alpha + $0) }
      let logTx = txs.map { log(alpha + $0) }
      var sum = 0.0
      for g in groups {
        let j = g.xIndex
        let a3 = -rx[j] * logT[g.TIndex]
        if g.customer.x > 0 {
          let a4 = dropout[j] - rx[j] * logTx[g.txIndex]
          let m = max(a3, a4)
          sum += g.weight * (base[j] + m + log1p(exp(min(a3, a4) - m)))
        } else {
          sum += g.weight * (base[j] + a3)
        }
      }
      return sum
    }
  }
}

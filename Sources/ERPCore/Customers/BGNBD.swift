import Foundation

/// The four parameters of the BG/NBD model: purchase rates λ ~ Gamma(shape `r`, rate `alpha`),
/// dropout probabilities p ~ Beta(`a`, `b`). `alpha` is in the time unit of the customers'
/// inputs (days, or weeks); the other three have no unit.
public struct BGNBDParameters: Sendable, Equatable {
  public var r: Double
  public var alpha: Double
  public var a: Double
  public var b: Double

  public init(r: Double, alpha: Double, a: Double, b: Double) {
    (self.r, self.alpha, self.a, self.b) = (r, alpha, a, b)
  }
}

/// One customer's purchase summary, in the model's time unit: `x` repeat purchases (purchase
/// days after the first), the last one `tx` after the first purchase, which was `T` ago.
public struct BGNBDCustomer: Sendable, Hashable {
  public var x: Double
  public var tx: Double
  public var T: Double

  public init(x: Double, tx: Double, T: Double) { (self.x, self.tx, self.T) = (x, tx, T) }
}

/// The BG/NBD model of Fader, Hardie & Lee (2005), "Counting your customers the easy way: an
/// alternative to the Pareto/NBD model", Marketing Science 24(2).
///
/// While alive a customer buys as a Poisson process of rate λ; after each purchase she drops
/// out with probability p. λ and p vary across customers as Gamma(r, α) and Beta(a, b).
public enum BGNBD {
  /// A customer's log-likelihood, FHL 2005 eq. (6):
  ///
  ///     ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
  ///       + ln[ (α+T)^−(r+x) + 1{x>0} · a/(b+x−1) · (α+tₓ)^−(r+x) ]
  public static func logLikelihood(_ p: BGNBDParameters, _ c: BGNBDCustomer) -> Double {
    let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b)
    let x = c.x
    let a1: Double = lgamma(r + x) - lgamma(r) + r * log(alpha)
    let a2: Double = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x)
    let a3 = -(r + x) * log(alpha + c.T)
    guard x > 0 else { return a1 + a2 + a3 }
    let a4 = log(a) - log(b + x - 1) - (r + x) * log(alpha + c.tx)
    return a1 + a2 + logAddExp(a3, a4)
  }

  /// The sum of the customers' log-likelihoods.
  public static func logLikelihood(_ p: BGNBDParameters, _ customers: [BGNBDCustomer]) -> Double {
    customers.reduce(0) { $0 + logLikelihood(p, $1) }
  }

  /// P(alive | x, tₓ, T) (Fader, Hardie & Lee, "Computing P(alive) using the BG/NBD model",
  /// note 021): 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)). A customer without a
  /// repeat purchase is alive: in this model dropout happens only right after a purchase.
  public static func probabilityAlive(_ p: BGNBDParameters, _ c: BGNBDCustomer) -> Double {
    guard c.x > 0 else { return 1 }
    // 1 / (1 + e^d), written so that a large d gives a tiny number instead of 1/∞.
    let d = log(p.a / (p.b + c.x - 1)) + (p.r + c.x) * (log(p.alpha + c.T) - log(p.alpha + c.tx))
    return d > 0 ? exp(-d) / (1 + exp(-d)) : 1 / (1 + exp(d))
  }

  /// E[X(t) | x, tₓ, T]: the expected number of purchases in the next `t` time units, FHL 2005
  /// eq. (10):
  ///
  ///     (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
  ///       · P(alive | x, tₓ, T)
  ///
  /// The formula has removable singularities at a = 1 and, for x = 0, at a + b = 1; within 1e-4
  /// of them the value is interpolated by a cubic through points 1e-4 and 3e-4 to either side.
  public static func expectedPurchases(_ p: BGNBDParameters, _ c: BGNBDCustomer, t: Double)
    -> Double
  {
    guard t > 0 else { return 0 }
    return expectedPurchasesIfAlive(p, c, t: t) * probabilityAlive(p, c)
  }

  /// E[X(t) | x, tₓ, T, alive at T]: eq. (10) without its P(alive) factor, across a = 1.
  static func expectedPurchasesIfAlive(_ p: BGNBDParameters, _ c: BGNBDCustomer, t: Double)
    -> Double
  {
    guard abs(p.a - 1) < Hypergeometric.integerGap else { return acrossCZero(p, c, t: t) }
    let values = Hypergeometric.bridgeOffsets.map { d in
      var q = p
      q.a = 1 + d
      return acrossCZero(q, c, t: t)
    }
    return Hypergeometric.bridge(p.a - 1, values)
  }

  /// The same across a + b + x − 1 = 0 (possible for x = 0 only).
  static func acrossCZero(_ p: BGNBDParameters, _ c: BGNBDCustomer, t: Double) -> Double {
    let h = Hypergeometric.integerGap
    let offset = p.a + p.b - 1
    guard c.x == 0, abs(offset) < h, p.b > 4 * h else { return eq10(p, c, t: t) }
    let values = Hypergeometric.bridgeOffsets.map { d in
      var q = p
      q.b = 1 - p.a + d
      return eq10(q, c, t: t)
    }
    return Hypergeometric.bridge(offset, values)
  }

  /// (a+b+x−1)/(a−1) · [1 − (1 − z)^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)], z = t/(α+T+t).
  static func eq10(_ p: BGNBDParameters, _ c: BGNBDCustomer, t: Double) -> Double {
    let (r, alpha, a, b, x) = (p.r, p.alpha, p.a, p.b, c.x)
    let z = t / (alpha + c.T + t)
    let f = Hypergeometric.f21(r + x, b + x, a + b + x - 1, z)
    // ((α+T)/(α+T+t))^(r+x) = (1 − z)^(r+x), applied in log space.
    let scaled = f.sign * exp(f.log + (r + x) * log1p(-z))
    return (a + b + x - 1) / (a - 1) * (1 - scaled)
  }

  /// ln(eᵘ + eᵛ) without overflow.
  static func logAddExp(_ u: Double, _ v: Double) -> Double {
    let m = max(u, v)
    guard m.isFinite else { return m }
    return m + log1p(exp(min(u, v) - m))
  }
}

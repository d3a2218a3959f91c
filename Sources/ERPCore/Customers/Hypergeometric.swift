import Foundation

/// Gauss's hypergeometric function ₂F₁(a, b; c; z) for real parameters and 0 ≤ z < 1, as the
/// BG/NBD conditional expectation needs it.
///
/// - For z ≤ 0.9 the power series Σ (a)ₖ(b)ₖ / ((c)ₖ k!) zᵏ, summed until the remaining tail is
///   below 1e-17 of the sum (at most a few thousand terms even for large parameters).
/// - For z > 0.9 the series in 1 − z of Abramowitz & Stegun 15.3.6:
///   ₂F₁(a,b;c;z) = Γ(c)Γ(m)/(Γ(c−a)Γ(c−b)) · ₂F₁(a,b;1−m;1−z)
///                 + (1−z)ᵐ Γ(c)Γ(−m)/(Γ(a)Γ(b)) · ₂F₁(c−a,c−b;1+m;1−z),  m = c − a − b.
///   Where m is within 1e-4 of an integer n (the formula's poles cancel there) the value is
///   interpolated in c by the cubic through the points with m = n ± 1e-4 and n ± 3e-4
///   (`bridge`), which keeps about 11 significant digits.
///
/// Values are carried as sign × e^log so that large parameters (many repeat purchases) cannot
/// overflow before the caller multiplies by a small factor such as (1 − z)^a.
enum Hypergeometric {
  /// A real number `sign · exp(log)`; zero is sign 0.
  struct Scaled: Sendable, Equatable {
    var sign: Double
    var log: Double

    static let zero = Scaled(sign: 0, log: -.infinity)
    static let nan = Scaled(sign: .nan, log: .nan)

    init(sign: Double, log: Double) { (self.sign, self.log) = (sign, log) }

    init(_ x: Double) {
      self.init(sign: x == 0 ? 0 : (x < 0 ? -1 : 1), log: Foundation.log(abs(x)))
    }

    /// The plain value (may overflow to ±∞).
    var value: Double { sign == 0 ? 0 : sign * exp(log) }

    static func * (l: Scaled, r: Scaled) -> Scaled {
      Scaled(sign: l.sign * r.sign, log: l.log + r.log)
    }

    static func + (l: Scaled, r: Scaled) -> Scaled {
      if l.sign == 0 { return r }
      if r.sign == 0 { return l }
      let m = max(l.log, r.log)
      return Scaled(l.sign * exp(l.log - m) + r.sign * exp(r.log - m)).shifted(by: m)
    }

    func shifted(by offset: Double) -> Scaled { Scaled(sign: sign, log: log + offset) }
  }

  /// Distance from a singular parameter value below which the value is interpolated (`bridge`).
  static let integerGap = 1e-4

  /// ₂F₁(a, b; c; z) for 0 ≤ z < 1; NaN when c is a non-positive integer or z is outside.
  static func f21(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Scaled {
    guard z >= 0, z < 1, a.isFinite, b.isFinite, c.isFinite, c > 0 || c != c.rounded() else {
      return .nan
    }
    if z == 0 || a == 0 || b == 0 { return Scaled(1) }
    if z <= 0.9 { return series(a, b, c, z) }
    let m = c - a - b
    let n = m.rounded()
    guard abs(m - n) < integerGap else { return oneMinusZ(a, b, c, z) }
    let values = bridgeOffsets.map { oneMinusZ(a, b, c + (n + $0 - m), z) }
    let top = values.map(\.log).max() ?? .nan
    guard top.isFinite else { return .nan }
    let plain = values.map { $0.sign * exp($0.log - top) }
    return Scaled(bridge(m - n, plain)).shifted(by: top)
  }

  /// Where `bridge` samples, relative to the singular point.
  static let bridgeOffsets = [-3 * integerGap, -integerGap, integerGap, 3 * integerGap]

  /// The cubic through (`bridgeOffsets[i]`, `values[i]`) at `offset`: a function with a
  /// removable singularity at 0, evaluated near it from points where it is well conditioned.
  static func bridge(_ offset: Double, _ values: [Double]) -> Double {
    let nodes = bridgeOffsets
    var sum = 0.0
    for i in nodes.indices {
      var weight = 1.0
      for j in nodes.indices where j != i { weight *= (offset - nodes[j]) / (nodes[i] - nodes[j]) }
      sum += weight * values[i]
    }
    return sum
  }

  /// The power series in z; NaN when c + k hits 0 or the series does not settle.
  static func series(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Scaled {
    var sum = 1.0
    var term = 1.0
    var offset = 0.0  // the value is sum · e^offset
    var k = 0.0
    while k < 1_000_000 {
      let d = (c + k) * (k + 1)
      guard d != 0 else { return .nan }
      let ratio = (a + k) * (b + k) / d * z
      term *= ratio
      sum += term
      if term == 0 { break }
      if abs(sum) > 1e200 || abs(term) > 1e200 {
        let s = max(abs(sum), abs(term))
        (sum, term, offset) = (sum / s, term / s, offset + log(s))
      }
      k += 1
      // Past the largest term the ratios tend to z from wherever they are; bound the tail by
      // a geometric series with the larger of the current ratio and z.
      let q = max(abs(ratio), z)
      if q < 1, abs(term) * q / (1 - q) <= 1e-17 * abs(sum) { break }
    }
    guard k < 1_000_000, sum.isFinite else { return .nan }
    return Scaled(sum).shifted(by: offset)
  }

  /// A&S 15.3.6 (m = c − a − b must not be an integer).
  static func oneMinusZ(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Scaled {
    let m = c - a - b
    let y = 1 - z
    guard let gc = gamma(c), let gm = gamma(m), let gmm = gamma(-m) else { return .nan }
    var result = Scaled.zero
    // 1/Γ(c−a), 1/Γ(c−b), 1/Γ(a) or 1/Γ(b) is 0 at a pole, which drops that term.
    if let gca = gamma(c - a), let gcb = gamma(c - b) {
      let coefficient = Scaled(
        sign: gc.sign * gm.sign * gca.sign * gcb.sign, log: gc.log + gm.log - gca.log - gcb.log)
      result = result + coefficient * series(a, b, 1 - m, y)
    }
    if let ga = gamma(a), let gb = gamma(b) {
      let coefficient = Scaled(
        sign: gc.sign * gmm.sign * ga.sign * gb.sign,
        log: gc.log + gmm.log - ga.log - gb.log + m * log(y))
      result = result + coefficient * series(c - a, c - b, 1 + m, y)
    }
    return result
  }

  /// Γ(x) as sign and log |Γ(x)|; nil at the poles (the non-positive integers).
  static func gamma(_ x: Double) -> Scaled? {
    if x <= 0, x == x.rounded() { return nil }
    let (l, s): (Double, Int) = lgamma(x)
    return Scaled(sign: Double(s), log: l)
  }
}

/// xoshiro256** (Blackman & Vigna 2018), seeded through SplitMix64: the generator's own random
/// source, so a seed gives the same history on every run and every machine (never the system
/// generator, never `Double.random`, never the standard library's range algorithms, whose
/// details may change between toolchains). The draws built on it use only `+ − × ÷` and
/// `squareRoot()`, which IEEE 754 rounds exactly, and `DeterministicMath` for log and exp.
struct SeededRandom {
  private var s0, s1, s2, s3: UInt64

  init(seed: UInt64) {
    var x = seed
    func splitMix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    (s0, s1, s2, s3) = (splitMix(), splitMix(), splitMix(), splitMix())
  }

  /// The next 64 random bits.
  mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// Uniform in [0, 1).
  mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  /// Uniform in [lo, hi).
  mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }

  /// Uniform in 0..<n (n > 0), by the high half of a 64 × 64-bit product.
  mutating func below(_ n: Int) -> Int {
    precondition(n > 0)
    return Int(next().multipliedFullWidth(by: UInt64(n)).high)
  }

  /// Uniform in the closed range.
  mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + below(r.upperBound - r.lowerBound + 1) }

  /// True with probability p.
  mutating func chance(_ p: Double) -> Bool { unit() < p }

  /// One element, uniformly.
  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

  /// An index drawn with the given weights (not necessarily normalised).
  mutating func weighted(_ weights: [Double]) -> Int {
    var total = 0.0
    for w in weights { total += w }
    var u = unit() * total
    for (i, w) in weights.enumerated() {
      if u < w { return i }
      u -= w
    }
    return weights.count - 1
  }

  /// An index drawn from cumulative weights (ascending, last = total), by binary search.
  mutating func cumulative(_ cum: [Double]) -> Int {
    let u = unit() * (cum.last ?? 0)
    var lo = 0
    var hi = cum.count - 1
    while lo < hi {
      let mid = (lo + hi) / 2
      if cum[mid] > u { hi = mid } else { lo = mid + 1 }
    }
    return lo
  }

  /// Standard normal (Marsaglia's polar method; the second value is not kept, so every draw
  /// consumes a whole number of pairs and streams stay easy to reason about).
  mutating func normal() -> Double {
    while true {
      let u = 2 * unit() - 1
      let v = 2 * unit() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 { return u * (-2 * DeterministicMath.log(s) / s).squareRoot() }
    }
  }

  /// Lognormal with the given median and log-scale spread.
  mutating func lognormal(median: Double, sigma: Double) -> Double {
    median * DeterministicMath.exp(sigma * normal())
  }

  /// Exponential with the given mean.
  mutating func exponential(mean: Double) -> Double { -mean * DeterministicMath.log(1 - unit()) }

  /// Poisson with the given mean (Knuth's product method below 30, a rounded normal above).
  mutating func poisson(_ mean: Double) -> Int {
    guard mean > 0 else { return 0 }
    if mean >= 30 { return max(0, Int((mean + mean.squareRoot() * normal()).rounded())) }
    let limit = DeterministicMath.exp(-mean)
    var k = 0
    var p = unit()
    while p > limit {
      k += 1
      p *= unit()
    }
    return k
  }
}

/// Natural logarithm and exponential from series, with no platform maths library, so that the
/// draws (and hence the generated history) are bit-for-bit the same everywhere.
enum DeterministicMath {
  static let ln2 = 0.693_147_180_559_945_3

  /// ln x for x > 0 (relative error about 1e-16).
  static func log(_ x: Double) -> Double {
    precondition(x > 0 && x.isFinite)
    var e = Int(x.exponent)
    var m = x.significand  // [1, 2)
    if m > 1.414_213_562_373_095_1 {
      m /= 2
      e += 1
    }
    // ln m = 2·atanh(s), s = (m − 1)/(m + 1), |s| < 0.172.
    let s = (m - 1) / (m + 1)
    let s2 = s * s
    var term = s
    var sum = s
    var k = 3.0
    for _ in 0..<11 {
      term *= s2
      sum += term / k
      k += 2
    }
    return 2 * sum + Double(e) * ln2
  }

  /// e^x (0 below −700, clamped above 700).
  static func exp(_ x: Double) -> Double {
    if x < -700 { return 0 }
    let x = min(x, 700)
    let k = (x / ln2).rounded()
    let r = x - k * ln2  // |r| ≤ 0.35
    var term = 1.0
    var sum = 1.0
    for i in 1...18 {
      term *= r / Double(i)
      sum += term
    }
    return Double(sign: .plus, exponent: Int(k), significand: sum)
  }

  /// x^y for x > 0.
  static func pow(_ x: Double, _ y: Double) -> Double { exp(y * log(x)) }
}

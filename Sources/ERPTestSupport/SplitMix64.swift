/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator so every run sees the same
/// sequences. Ranges are drawn by modulo, which is biased a little but stable everywhere.
public struct SplitMix64: Sendable, RandomNumberGenerator {
  public var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  public mutating func int(_ r: ClosedRange<Int64>) -> Int64 {
    r.lowerBound + Int64(next() % UInt64(r.upperBound - r.lowerBound + 1))
  }
  public mutating func chance(_ percent: Int) -> Bool { next() % 100 < UInt64(percent) }
  public mutating func pick<T>(_ a: [T]) -> T { a[Int(next() % UInt64(a.count))] }
}


/// A rate such as a discount or commission, exact in millionths (`"0.10"` = 100_000), keeping
/// the text it was written with so the stored event stays as written.
public struct Rate: Sendable, Hashable, CustomStringConvertible {
  public static let scale: Int64 = 1_000_000
  public var millionths: Int64
  public var text: String

  public init(millionths: Int64) {
    self.millionths = millionths
    text = Money(minorUnits: millionths).format(digits: 6)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
  }

  public init?(_ text: String) {
    guard let m = try? Money.parse(text, digits: 6), m.minorUnits >= 0, m.minorUnits <= Self.scale
    else { return nil }
    millionths = m.minorUnits
    self.text = text
  }

  public static let zero = Rate(millionths: 0)
  public var description: String { text }
}

/// Exact line arithmetic (SPEC 7): qty × unit price × (1 − discount), rounded to the minor unit
/// half away from zero, computed in 128 bits so no product can overflow.
public enum LineMath {
  /// round(qty × unitPrice × (1 − discount)) in minor units.
  public static func amount(qty: Int64, unitPrice: Money, discount: Rate) -> Money {
    Money(minorUnits: amount(qty: qty, unitPrice: unitPrice.minorUnits, discount: discount.millionths))
  }

  /// The same in minor units, the discount in millionths.
  @inline(__always)
  public static func amount(qty: Int64, unitPrice: Int64, discount: Int64) -> Int64 {
    let numerator = Int128(qty) * Int128(unitPrice) * Int128(Rate.scale - discount)
    return Int64(divideRounded(numerator, Int128(Rate.scale)))
  }

  /// round(a × b / c), half away from zero; 0 when c is 0 (nothing on hand has no value).
  public static func mulDiv(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 {
    guard c != 0 else { return 0 }
    return Int64(divideRounded(Int128(a) * Int128(b), Int128(c.magnitude)) * (c < 0 ? -1 : 1))
  }

  /// n / d rounded half away from zero (d > 0).
  public static func divideRounded(_ n: Int128, _ d: Int128) -> Int128 {
    let q = n / d
    let r = n % d
    if (r < 0 ? -r : r) * 2 >= d { return n < 0 ? q - 1 : q + 1 }
    return q
  }
}

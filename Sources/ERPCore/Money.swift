/// An exact amount of money in integer minor units of the store's currency (SPEC 2): never a
/// binary floating-point number.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var minorUnits: Int64

  public init(minorUnits: Int64) { self.minorUnits = minorUnits }
  public static let zero = Money(minorUnits: 0)

  public static func < (a: Money, b: Money) -> Bool { a.minorUnits < b.minorUnits }
  public static func + (a: Money, b: Money) -> Money { Money(minorUnits: a.minorUnits + b.minorUnits) }
  public static func - (a: Money, b: Money) -> Money { Money(minorUnits: a.minorUnits - b.minorUnits) }

  /// The largest magnitude accepted: 10^15 minor units (10 trillion with 2 digits), far beyond
  /// any real invoice and far from Int64 overflow when amounts are summed or multiplied by qty.
  public static let maxMinorUnits: Int64 = 1_000_000_000_000_000

  public var description: String { format(digits: 2) }

  /// Parses a decimal string such as `"1299.50"`, `"-3"` or `"0.5"` with at most `digits`
  /// fraction digits (SPEC 7: more is refused). No exponent, no thousands separators, no `+`.
  public static func parse(_ text: String, digits: Int) throws(MoneyError) -> Money {
    var bytes = Substring(text).utf8[...]
    var negative = false
    if bytes.first == UInt8(ascii: "-") {
      negative = true
      bytes = bytes.dropFirst()
    }
    var whole: Int64 = 0
    var sawDigit = false
    var fraction: Int64 = 0
    var fractionDigits = 0
    var inFraction = false
    for b in bytes {
      if b == UInt8(ascii: ".") {
        if inFraction || !sawDigit { throw .malformed(text) }
        inFraction = true
        continue
      }
      guard b >= 0x30 && b <= 0x39 else { throw .malformed(text) }
      let d = Int64(b - 0x30)
      if inFraction {
        fractionDigits += 1
        if fractionDigits > digits { throw .tooManyDecimals(text, digits: digits) }
        fraction = fraction * 10 + d
      } else {
        sawDigit = true
        whole = whole * 10 + d
        if whole > maxMinorUnits { throw .outOfRange(text) }
      }
    }
    if !sawDigit || (inFraction && fractionDigits == 0) { throw .malformed(text) }
    var scale: Int64 = 1
    for _ in 0..<digits { scale *= 10 }
    for _ in fractionDigits..<digits { fraction *= 10 }
    let (product, overflow) = whole.multipliedReportingOverflow(by: scale)
    let units = product + fraction
    if overflow || units > maxMinorUnits { throw .outOfRange(text) }
    return Money(minorUnits: negative ? -units : units)
  }

  /// The canonical decimal string with exactly `digits` fraction digits, e.g. `"1299.50"`.
  public func format(digits: Int) -> String {
    let negative = minorUnits < 0
    var m = minorUnits.magnitude
    var frac = ""
    for _ in 0..<digits {
      frac = String(m % 10) + frac
      m /= 10
    }
    let sign = negative ? "-" : ""
    return digits > 0 ? "\(sign)\(m).\(frac)" : "\(sign)\(m)"
  }
}

public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
  case malformed(String)
  case tooManyDecimals(String, digits: Int)
  case outOfRange(String)

  public var description: String {
    switch self {
    case .malformed(let t): "'\(t)' is not a decimal amount (write e.g. \"1299.50\")"
    case .tooManyDecimals(let t, let d): "'\(t)' has more than \(d) decimal places"
    case .outOfRange(let t): "'\(t)' is out of range"
    }
  }
}

/// ISO 4217 currencies and their minor-unit digits; codes not listed here use 2.
public enum Currency {
  static let zeroDigits: Set<String> = [
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV",
    "XAF", "XOF", "XPF",
  ]
  static let threeDigits: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]

  /// Whether `code` has the shape of an ISO 4217 code (three upper-case letters).
  public static func isValidCode(_ code: String) -> Bool {
    code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
  }

  public static func minorDigits(_ code: String) -> Int {
    if zeroDigits.contains(code) { return 0 }
    if threeDigits.contains(code) { return 3 }
    return 2
  }
}

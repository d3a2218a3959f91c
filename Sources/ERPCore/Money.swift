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
    // Over the string's contiguous UTF-8 (every native or small string: the catalogue and the
    // payload decoders parse every amount of every imported event), else over a copy.
    let result =
      text.utf8.withContiguousStorageIfAvailable { parse($0, text, digits: digits) }
      ?? Array(text.utf8).withUnsafeBufferPointer { parse($0, text, digits: digits) }
    return try result.get()
  }

  /// `parse` of UTF-8 `bytes`; nil where `parse` throws (the catalogue's fast path, which only
  /// asks whether a value is valid and normal: the general path says what is wrong).
  static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>, digits: Int) -> Money? {
    try? parse(bytes, "", digits: digits).get()
  }

  /// `parse` of `bytes`, the UTF-8 of `text` (named in errors).
  private static func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, _ text: String, digits: Int
  ) -> Result<Money, MoneyError> {
    var k = 0
    var negative = false
    if k < bytes.count && bytes[k] == UInt8(ascii: "-") {
      negative = true
      k += 1
    }
    var whole: Int64 = 0
    var sawDigit = false
    var fraction: Int64 = 0
    var fractionDigits = 0
    var inFraction = false
    while k < bytes.count {
      let b = bytes[k]
      k += 1
      if b == UInt8(ascii: ".") {
        if inFraction || !sawDigit { return .failure(.malformed(text)) }
        inFraction = true
        continue
      }
      guard b >= 0x30 && b <= 0x39 else { return .failure(.malformed(text)) }
      let d = Int64(b - 0x30)
      if inFraction {
        fractionDigits += 1
        if fractionDigits > digits { return .failure(.tooManyDecimals(text, digits: digits)) }
        fraction = fraction * 10 + d
      } else {
        sawDigit = true
        whole = whole * 10 + d
        if whole > maxMinorUnits { return .failure(.outOfRange(text)) }
      }
    }
    if !sawDigit || (inFraction && fractionDigits == 0) { return .failure(.malformed(text)) }
    var scale: Int64 = 1
    for _ in 0..<digits { scale *= 10 }
    for _ in fractionDigits..<digits { fraction *= 10 }
    let (product, overflow) = whole.multipliedReportingOverflow(by: scale)
    let units = product + fraction
    if overflow || units > maxMinorUnits { return .failure(.outOfRange(text)) }
    return .success(Money(minorUnits: negative ? -units : units))
  }

  /// The canonical decimal string with exactly `digits` fraction digits, e.g. `"1299.50"`.
  public func format(digits: Int) -> String {
    Self.withDecimal(minorUnits, places: digits) { String(decoding: $0, as: UTF8.self) }
  }

  /// Whether `text` is `format(digits:)`, compared without building that string (the catalogue
  /// asks for every amount it checks, and most are written so already).
  public func isFormatted(as text: String, digits: Int) -> Bool {
    Self.withDecimal(minorUnits, places: digits) { formatted in
      text.utf8.withContiguousStorageIfAvailable { $0.elementsEqual(formatted) }
        ?? text.utf8.elementsEqual(formatted)
    }
  }

  /// Whether `text`, which `parse(utf8:digits:)` read as a non-negative amount, is written as
  /// `format(digits:)` writes it, told from its shape without writing that: no sign, no
  /// leading zero, and exactly `digits` fraction digits (none and no point for 0).
  static func isCanonical(utf8 text: UnsafeBufferPointer<UInt8>, digits: Int) -> Bool {
    guard let first = text.first, first != UInt8(ascii: "-") else { return false }
    let point = text.firstIndex(of: UInt8(ascii: "."))
    let whole = point ?? text.count
    guard whole == 1 || first != UInt8(ascii: "0") else { return false }
    guard let point else { return digits == 0 }
    return text.count - point - 1 == digits
  }

  /// Appends `format(digits:)`'s bytes to `out` (the CSV renderer writes bytes).
  public static func appendDecimal(_ minorUnits: Int64, places: Int, to out: inout [UInt8]) {
    withDecimal(minorUnits, places: places) { out.append(contentsOf: $0) }
  }

  /// `body` with the UTF-8 bytes of `minorUnits` as a decimal with `places` fraction digits,
  /// written backwards into a buffer on the stack: reports format hundreds of thousands of
  /// amounts, and a string built digit by digit cost most of a CSV's rendering.
  ///
  /// Inlinable, so that callers in other modules specialize it: called generically, each call
  /// looked up the metadata of `withUnsafeTemporaryAllocation`'s `Result<R, Never>` at run time,
  /// about 330 instructions, 2 % of an import's encoding thread.
  @inlinable @inline(__always)
  package static func withDecimal<R>(_ minorUnits: Int64, places digits: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    let places = max(0, digits)
    let capacity = 22 + places
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buf in
      var m = minorUnits.magnitude
      var i = capacity
      for _ in 0..<places {
        i -= 1
        buf[i] = UInt8(truncatingIfNeeded: 48 + m % 10)
        m /= 10
      }
      if places > 0 {
        i -= 1
        buf[i] = UInt8(ascii: ".")
      }
      repeat {
        i -= 1
        buf[i] = UInt8(truncatingIfNeeded: 48 + m % 10)
        m /= 10
      } while m > 0
      if minorUnits < 0 {
        i -= 1
        buf[i] = UInt8(ascii: "-")
      }
      return body(UnsafeBufferPointer(rebasing: buf[i..<capacity]))
    }
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

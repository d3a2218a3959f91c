@testable import ERPCore
import ERPTestSupport
import Testing

/// `Money.isCanonical(utf8:digits:)` tells the catalogue's fast path whether an amount is written
/// as `format(digits:)` writes it, from its shape alone; here it is compared with writing it.
@Suite("Money: canonical amounts told by their shape")
struct MoneyCanonicalTests {
  /// The answer the shape must give: the text reads as a non-negative amount that formats to
  /// the same text.
  static func byFormatting(_ text: String, digits: Int) -> Bool? {
    guard let m = try? Money.parse(text, digits: digits), m.minorUnits >= 0 else { return nil }
    return m.format(digits: digits) == text
  }

  static func byShape(_ text: String, digits: Int) -> Bool? {
    Array(text.utf8).withUnsafeBufferPointer { b in
      guard let m = Money.parse(utf8: b, digits: digits), m.minorUnits >= 0 else { return nil }
      return Money.isCanonical(utf8: b, digits: digits)
    }
  }

  @Test(arguments: [
    "0", "0.00", "0.0", "00.00", "0.5", "0.50", "5", "5.00", "05.00", "12.5", "12.50", "1299.50", "-0.00",
    "-1.00", "1.", ".5", "100", "100.000", "007", "1e3", "", "9.99", "10.10", "999999999999.99",
  ])
  func listedTexts(_ text: String) {
    for digits in [0, 2, 3] {
      #expect(Self.byShape(text, digits: digits) == Self.byFormatting(text, digits: digits), "\(text) at \(digits)")
    }
  }

  @Test func randomTexts() {
    var rng = SplitMix64(seed: 8785)
    let alphabet = Array("0123456789.-".utf8)
    for _ in 0..<20_000 {
      let n = Int(rng.next() % 9)
      let text = String(decoding: (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }, as: UTF8.self)
      for digits in [0, 2, 4] {
        #expect(Self.byShape(text, digits: digits) == Self.byFormatting(text, digits: digits), "\(text) at \(digits)")
      }
    }
  }
}

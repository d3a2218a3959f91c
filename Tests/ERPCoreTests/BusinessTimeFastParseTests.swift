import ERPTestSupport
import Testing

@testable import ERPCore

/// The import reads `at` through a fixed-place parse of `YYYY-MM-DDTHH:MM:SS±HH:MM` before the
/// general scanner (`BusinessTime.parse(_:)` of bytes), and copies the text into the stored form
/// when `BusinessTime.writesAsItself` says that the store would write it unchanged. Both are
/// checked against the general path (`parse` of a String, which takes no fast path) and against
/// the writer (`description`), on texts built from fields in and out of range and separators
/// right and wrong.
@Suite("business time: fixed-place parse and texts kept as written")
struct BusinessTimeFastParseTests {
  static func check(_ text: String) {
    var bytes = Array(text.utf8)
    let fast = bytes.withUnsafeMutableBufferPointer { BusinessTime.parse(UnsafeBufferPointer($0)) }
    let general = BusinessTime.parse(text)
    #expect(fast == general, "\(text)")
    guard let general else { return }
    let asItself = bytes.withUnsafeMutableBufferPointer { BusinessTime.writesAsItself(UnsafeBufferPointer($0)) }
    // Never true of a text written otherwise; and without a fraction (which it leaves to the
    // writer), true of every text written as itself.
    if asItself { #expect(general.description == text, "\(text) is written \(general.description)") }
    if !text.contains(".") {
      #expect(asItself == (general.description == text), "\(text) is written \(general.description)")
    }
  }

  @Test func handPickedTexts() {
    for text in [
      "2026-11-28T09:15:00+08:00", "2026-11-28T09:15:00-05:30", "2026-11-28T09:15:00+00:00",
      "2026-11-28T09:15:00-00:00", "2026-11-28T09:15:00Z", "2026-11-28T09:15:00z", "2026-11-28t09:15:00+08:00",
      "2026-11-28T09:15:00.5+08:00", "2026-11-28T09:15:00.50Z", "2026-11-28T09:15:00.0000+08:00",
      "2026-11-28", "0001-01-01", "9999-12-31T23:59:59+23:59", "0000-01-01T00:00:00+01:00",
      "2026-02-29T00:00:00+08:00", "2028-02-29T00:00:00+08:00", "2026-13-01T00:00:00+08:00",
      "2026-11-28T24:00:00+08:00", "2026-11-28T23:60:00+08:00", "2026-11-28T23:59:60+08:00",
      "2026-11-28T09:15:00+24:00", "2026-11-28T09:15:00+08:60", "2026-11-28T09:15:00 08:00",
      "2026-11-28 09:15:00+08:00", "2026/11/28T09:15:00+08:00", "2026-11-28T09-15-00+08:00",
      "2026-11-28T09:15:00+0800", "-026-11-28T09:15:00+08:00", "2026-11-28T09:15:00+08:0a",
      "2026-11-28T09:15:00+08:00 ", "", "2026",
    ] {
      Self.check(text)
    }
  }

  @Test func randomTexts() {
    var rng = SplitMix64(seed: 28)
    func two(_ r: ClosedRange<Int64>) -> String {
      let n = rng.int(r)
      return n < 10 ? "0\(n)" : "\(n)"
    }
    func pick(_ options: [String]) -> String { options[Int(rng.next() % UInt64(options.count))] }
    for _ in 0..<20_000 {
      let year = pick(["2026", "0000", "0001", "9999", "1970", "2000", "2100", "1969", "20a6"])
      let date = year + pick(["-", "-", "-", "/"]) + two(0...13) + "-" + two(0...32)
      let time = two(0...25) + pick([":", ":", ":", "-"]) + two(0...61) + ":" + two(0...61)
      let fraction = pick(["", "", "", ".5", ".000", ".123456789", ".1234567890"])
      let zone = pick(["+", "-", "+", "-", "Z", "z", " "]) + two(0...25) + pick([":", ":", ":", ""]) + two(0...61)
      let shape = rng.next() % 8
      let text: String =
        switch shape {
        case 0: date
        case 1: date + "T" + time + fraction + pick(["Z", "z", "+00:00", "-00:00"])
        case 2: date + pick(["T", "t", " "]) + time + fraction + zone
        default: date + "T" + time + zone
        }
      Self.check(text)
    }
  }
}

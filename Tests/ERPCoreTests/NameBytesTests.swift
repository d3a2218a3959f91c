import ERPTestSupport
import Testing

@testable import ERPCore

/// The byte comparisons under the import's member lookups and order checks
/// (`RecordTape.equalBytes`, `JSONParser.precedes`), against `Array`'s own comparisons: every
/// length around the loads' widths, a difference at every position.
@Suite("name bytes compared")
struct NameBytesTests {
  @Test func equalBytesAtEveryLengthAndPosition() {
    var rng = SplitMix64(seed: 7)
    for n in 0...40 {
      let a = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next() % 96 + 32) }
      // Copies at an odd offset in a larger buffer: unaligned loads, bytes around that differ.
      let b = [0xAA] + a + [0x55]
      a.withUnsafeBytes { p in
        b.withUnsafeBytes { q in
          #expect(RecordTape.equalBytes(p.baseAddress!, q.baseAddress! + 1, n), "n \(n)")
        }
      }
      for i in 0..<n {
        var c = b
        c[i + 1] ^= 0x01
        a.withUnsafeBytes { p in
          c.withUnsafeBytes { q in
            #expect(!RecordTape.equalBytes(p.baseAddress!, q.baseAddress! + 1, n), "n \(n), byte \(i)")
          }
        }
      }
    }
  }

  @Test func precedesIsByteOrder() {
    var rng = SplitMix64(seed: 11)
    let alphabet = Array("abc_".utf8)
    for _ in 0..<5_000 {
      // Short names over a small alphabet: equal first bytes, prefixes and equal names are common.
      let x = (0..<Int(rng.next() % 5)).map { _ in alphabet[Int(rng.next() % 4)] }
      let y = (0..<Int(rng.next() % 5)).map { _ in alphabet[Int(rng.next() % 4)] }
      let text = x + y
      let got = text.withUnsafeBufferPointer { JSONParser.precedes($0, 0..<x.count, x.count..<text.count) }
      #expect(got == x.lexicographicallyPrecedes(y), "\(x) \(y)")
    }
  }
}

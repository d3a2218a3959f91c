import ERPTestSupport
import Testing

@testable import ERPCore

/// `InlineString` makes and hashes short strings from the two words of Swift's inline layout.
/// Each fast path is compared here with the general one it replaces.
@Suite("inline strings")
struct InlineStringTests {
  /// The layout holds on the platforms this project builds for (64-bit Linux and macOS). If a
  /// toolchain changed it, every caller would fall back to the general way: correct, slower.
  /// This test says so instead of letting a replay slow down unnoticed.
  @Test func layoutHoldsHere() {
    #expect(InlineString.holds)
  }

  /// Random bytes of each length 0–40, ASCII or not, at random places in a larger buffer.
  static func samples(_ seed: UInt64) -> [[UInt8]] {
    var rng = SplitMix64(seed: seed)
    var out: [[UInt8]] = []
    for length in 0...40 {
      for kind in 0..<6 {
        let bytes: [UInt8] = (0..<length).map { _ in
          switch kind {
          case 0: UInt8(ascii: "0") + UInt8(rng.next() % 10)
          case 1, 2: UInt8(0x20 + rng.next() % 0x5F)  // printable ASCII
          case 3: UInt8(rng.next() % 0x80)  // any ASCII, NUL included
          default: UInt8(rng.next() % 0x100)  // any byte: invalid UTF-8 too
          }
        }
        out.append(bytes)
      }
    }
    return out
  }

  @Test(arguments: [1, 2, 3] as [UInt64])
  func asciiStringsEqualTheGeneralOnes(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for bytes in Self.samples(seed) {
      // Somewhere inside a larger buffer: the loads stay within the bytes given.
      let pad = Int(rng.next() % 9)
      let buffer = [UInt8](repeating: 0xFF, count: pad) + bytes + [UInt8](repeating: 0xFF, count: pad)
      buffer.withUnsafeBytes { all in
        let slice = UnsafeRawBufferPointer(rebasing: all[pad..<(pad + bytes.count)])
        let general = String(decoding: slice, as: UTF8.self)
        let made = InlineString.ascii(slice, holds: true)
        if bytes.count <= 15 && bytes.allSatisfy({ $0 < 0x80 }) {
          #expect(made == general)
          #expect(made.map { Array($0.utf8) } == bytes)
          #expect(made?.utf8.count == bytes.count)
          #expect(made?.hashValue == general.hashValue)
          #expect(made.map { $0 + "!" } == general + "!")
          #expect(made.map { StateID.sameBytes($0, general) } == true)
        } else {
          #expect(made == nil)
        }
        #expect(InlineString.ascii(slice, holds: false) == nil)
        // The two words are the bytes, zero-padded, whatever the bytes are.
        if bytes.count <= 15 {
          let (w0, w1) = InlineString.words(of: slice)
          var expected: (UInt64, UInt64) = (0, 0)
          for (i, b) in bytes.enumerated() {
            if i < 8 { expected.0 |= UInt64(b) << (8 * i) } else { expected.1 |= UInt64(b) << (8 * (i - 8)) }
          }
          #expect(w0 == expected.0 && w1 == expected.1, "\(bytes)")
        }
      }
    }
  }

  /// A string's hash is its bytes' hash, however the string is held: inline, or in storage of
  /// its own (a short string can be held that way too, e.g. after reserving capacity).
  @Test(arguments: [4, 5] as [UInt64])
  func hashesOfAStringAreHashesOfItsBytes(seed: UInt64) {
    for bytes in Self.samples(seed) {
      let text = String(decoding: bytes, as: UTF8.self)
      let canonical = Array(text.utf8)  // invalid input was repaired
      var stored = String()
      stored.reserveCapacity(64)
      stored += text
      let viaBytes = canonical.withUnsafeBytes { FastHash.mix(FastHash.start, bytes: $0) }
      #expect(FastHash.mix(FastHash.start, text) == viaBytes)
      #expect(FastHash.mix(FastHash.start, stored) == viaBytes)
      #expect(StateID(text)._rawHashValue(seed: 7) == StateID(stored)._rawHashValue(seed: 7))
      #expect(StateID(text) == StateID(stored))
      // Valid UTF-8 decoded is held inline (a repaired string may not be: either way it hashed
      // as its bytes above).
      if canonical.count <= 15, canonical == bytes {
        #expect(InlineString.inline(text, holds: true)?.count == canonical.count)
        #expect(InlineString.inline(stored, holds: true) == nil)
      }
    }
  }
}

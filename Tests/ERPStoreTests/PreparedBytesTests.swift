import ERPCore
import ERPTestSupport
import Testing

@testable import ERPStore

/// What `PreparedEvent` makes its pieces with: `ByteWriter.bytes` (an array of exactly what was
/// written) against `ByteWriter.append(to:)`, and `offsets` (`memchr` and `memcmp`) against a
/// plain search, on random bytes full of near matches.
@Suite("prepared event bytes")
struct PreparedBytesTests {
  @Test func bytesIsWhatAppendWrites() {
    var rng = SplitMix64(seed: 21)
    // Around the 1 KiB that is written on the stack before the writer grows onto the heap.
    for n in [0, 1, 7, 1023, 1024, 1025, 3000] + (0..<20).map({ _ in Int(rng.next() % 5000) }) {
      let data = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      let write = { (w: inout ByteWriter) in
        for chunk in stride(from: 0, to: data.count, by: 37) {
          data[chunk..<min(chunk + 37, data.count)].withUnsafeBufferPointer { w.bytes($0) }
        }
      }
      var appended: [UInt8] = []
      ByteWriter.append(to: &appended, write)
      let made = ByteWriter.bytes(write)
      #expect(made == appended && made == data, "\(n) bytes")
    }
  }

  static func reference(_ pattern: [UInt8], _ bytes: [UInt8], _ range: Range<Int>, _ valueAt: Int) -> [Int] {
    var found: [Int] = []
    var i = range.lowerBound
    while i + pattern.count <= range.upperBound {
      if Array(bytes[i..<(i + pattern.count)]) == pattern {
        found.append(i + valueAt)
        i += pattern.count
      } else {
        i += 1
      }
    }
    return found
  }

  @Test func offsetsAreThoseOfAPlainSearch() {
    var rng = SplitMix64(seed: 5)
    let patterns: [[UInt8]] = [Array(#""cogs":""#.utf8), [4] + Array("cogs".utf8) + [4, 0], [7], [7, 7]]
    for round in 0..<300 {
      let pattern = patterns[round % patterns.count]
      // Pieces of the pattern, whole or cut short, between random bytes.
      var bytes: [UInt8] = []
      while bytes.count < 200 {
        switch rng.next() % 4 {
        case 0: bytes += pattern
        case 1: bytes += pattern.prefix(Int(rng.next() % UInt64(pattern.count)))
        case 2: bytes.append(pattern[0])
        default: bytes.append(UInt8(truncatingIfNeeded: rng.next() % 9))
        }
      }
      let lower = Int(rng.next() % 50)
      let upper = lower + Int(rng.next() % UInt64(bytes.count - lower + 1))
      let valueAt = Int(rng.next() % 9)
      #expect(
        PreparedEvent.offsets(of: pattern, in: bytes, lower..<upper, valueAt: valueAt)
          == Self.reference(pattern, bytes, lower..<upper, valueAt), "round \(round)")
    }
  }
}

import ERPTestSupport
import Foundation
import Testing

@testable import ERPCLI

/// `LineStream` finds line ends with `memchr` and `ImportSource.isBlank` looks at the first byte
/// first: both against the plain definitions they replace, on files whose lines cross the 1 MiB
/// read chunks.
@Suite("line stream")
struct LineStreamTests {
  /// The lines of `bytes` by the definition: split at LF, one CR before it dropped, a BOM at the
  /// start skipped, a last line without LF kept when it is not empty.
  static func reference(_ bytes: [UInt8]) -> [[UInt8]] {
    var b = ArraySlice(bytes)
    if b.starts(with: [0xEF, 0xBB, 0xBF]) { b = b.dropFirst(3) }
    var lines = b.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines.map { $0.last == 0x0D ? Array($0.dropLast()) : $0 }
  }

  static func read(_ path: String) throws -> [(Int, [UInt8])] {
    var out: [(Int, [UInt8])] = []
    try LineStream(path: path).forEach { n, buffer, range in out.append((n, Array(buffer[range]))) }
    return out
  }

  @Test func sameLinesAsSplitting() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    var rng = SplitMix64(seed: 11)
    let pieces: [[UInt8]] = [
      [0x0A], [0x0D, 0x0A], [0x0D], Array("{\"a\":1}".utf8), [0x20], [0x09], Array("名字".utf8),
    ]
    for round in 0..<12 {
      var bytes: [UInt8] = round % 3 == 0 ? [0xEF, 0xBB, 0xBF] : []
      // Some rounds have lines longer than a chunk, so that lines cross chunk ends anywhere.
      let target = round % 4 == 0 ? 3 * FileChunks.size + 1_234 : Int(rng.next() % 5_000)
      while bytes.count < target {
        if rng.next() % 50 == 0 {
          bytes += [UInt8](repeating: 0x78, count: Int(rng.next() % UInt64(FileChunks.size + 10)))
        } else {
          bytes += pieces[Int(rng.next() % UInt64(pieces.count))]
        }
      }
      if round % 2 == 1 { bytes.append(0x0A) }
      let file = dir.file("lines-\(round).jsonl")
      try writeFile(file, bytes: bytes)
      let got = try Self.read(file)
      let expected = Self.reference(bytes)
      #expect(got.map(\.0) == Array(0..<expected.count).map { $0 + 1 })
      #expect(got.count == expected.count, "round \(round)")
      for (g, e) in zip(got, expected) where g.1 != e {
        Issue.record("round \(round), line \(g.0): \(g.1.count) bytes, expected \(e.count)")
        break
      }
    }
  }

  @Test func newlineFindsTheFirstFromStart() {
    let bytes = Array("ab\ncd\n\nef".utf8)
    for start in 0...bytes.count {
      let expected = bytes[start...].firstIndex(of: 0x0A)
      #expect(LineStream.newline(in: bytes, from: start) == expected, "from \(start)")
    }
    #expect(LineStream.newline(in: [], from: 0) == nil)
  }

  @Test func blankByFirstByteIsBlank() {
    let lines: [[UInt8]] = [[], [0x20], [0x09], [0x20, 0x09, 0x20], [0x20, 0x7B], [0x7B], [0x0D], [0x20, 0x0D], [0x09, 0x41]]
    for l in lines {
      let buffer: [UInt8] = [0x7B] + l + [0x7D]
      #expect(ImportSource.isBlank(buffer, 1..<(1 + l.count)) == ImportSource.isBlank(ArraySlice(l)), "\(l)")
    }
  }
}

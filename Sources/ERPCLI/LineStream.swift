import Foundation

/// Reads a file line by line in 1 MiB chunks, so memory stays flat however large the file is.
/// Lines may end in LF or CRLF; a UTF-8 byte-order mark at the start is skipped.
struct LineStream {
  let path: String

  /// Calls `body(lineNumber, buffer, range)` for every line, `buffer[range]`, blank ones included
  /// (1-based numbers). The line is given where it is in the read buffer, so that a parser of
  /// arrays (`EventRecordReader`) reads it there instead of from a copy of each line.
  func forEach(_ body: (Int, [UInt8], Range<Int>) throws -> Void) throws {
    var pending: [UInt8] = []
    var number = 0
    var first = true
    try FileChunks(path: path).forEach { chunk in
      var bytes = chunk
      if first {
        first = false
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
      }
      pending.append(contentsOf: bytes)
      var start = 0
      while let nl = Self.newline(in: pending, from: start) {
        number += 1
        var end = nl
        if end > start && pending[end - 1] == 0x0D { end -= 1 }
        try body(number, pending, start..<end)
        start = nl + 1
      }
      pending.removeFirst(start)
    }
    if !pending.isEmpty {
      number += 1
      var end = pending.count
      if pending[end - 1] == 0x0D { end -= 1 }
      try body(number, pending, 0..<end)
    }
  }

  /// The index of the first LF in `bytes` from `start` on, found by `memchr` (the generic
  /// `firstIndex(of:)` on a slice went byte by byte: 4 % of an import's reading thread).
  @inline(__always)
  static func newline(in bytes: [UInt8], from start: Int) -> Int? {
    bytes.withUnsafeBufferPointer { b -> Int? in
      guard start < b.count, let base = b.baseAddress,
        let found = memchr(base + start, 0x0A, b.count - start)
      else { return nil }
      return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
  }
}

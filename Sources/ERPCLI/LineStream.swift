import Foundation

/// Reads a file line by line in 1 MiB chunks, so memory stays flat however large the file is.
/// Lines may end in LF or CRLF; a UTF-8 byte-order mark at the start is skipped.
struct LineStream {
  let path: String

  /// Calls `body(lineNumber, line)` for every line, blank ones included (1-based numbers).
  /// `chunk` sees the raw bytes too (for a content hash).
  func forEach(chunk: (ArraySlice<UInt8>) -> Void = { _ in }, _ body: (Int, ArraySlice<UInt8>) throws -> Void)
    throws
  {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw CLIError.missingInput("\(path): cannot read")
    }
    defer { try? handle.close() }
    var pending: [UInt8] = []
    var number = 0
    var first = true
    while true {
      let data = handle.readData(ofLength: 1 << 20)
      if data.isEmpty { break }
      var bytes = [UInt8](data)
      chunk(bytes[...])
      if first {
        first = false
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
      }
      pending.append(contentsOf: bytes)
      var start = 0
      while let nl = pending[start...].firstIndex(of: 0x0A) {
        number += 1
        var end = nl
        if end > start && pending[end - 1] == 0x0D { end -= 1 }
        try body(number, pending[start..<end])
        start = nl + 1
      }
      pending.removeFirst(start)
    }
    if !pending.isEmpty {
      number += 1
      var end = pending.count
      if pending[end - 1] == 0x0D { end -= 1 }
      try body(number, pending[0..<end])
    }
  }
}

import ERPCore
import Foundation

/// A whole input (file or standard input) in memory, split into lines with their numbers.
struct InputFile {
  /// How errors name it: the path, or `-` for standard input.
  let name: String
  let bytes: [UInt8]

  static func read(_ path: String) throws -> InputFile {
    if path == "-" {
      let data = FileHandle.standardInput.readDataToEndOfFile()
      return InputFile(name: "-", bytes: [UInt8](data))
    }
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
      throw CLIError.missingInput("\(path): no such file")
    }
    guard !isDir.boolValue else { throw CLIError.missingInput("\(path): is a directory") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CLIError.missingInput("\(path): cannot read")
    }
    return InputFile(name: path, bytes: [UInt8](data))
  }

  /// Calls `body(lineNumber, start, end)` for each non-blank line (1-based numbers; `\r\n` and a
  /// leading UTF-8 byte-order mark are accepted).
  func forEachLine(_ body: (Int, Int, Int) throws -> Void) rethrows {
    var start = 0
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
    var number = 1
    let n = bytes.count
    while start < n {
      var end = start
      while end < n && bytes[end] != 0x0A { end += 1 }
      var stop = end
      if stop > start && bytes[stop - 1] == 0x0D { stop -= 1 }
      var blank = true
      for i in start..<stop where bytes[i] != 0x20 && bytes[i] != 0x09 {
        blank = false
        break
      }
      if !blank { try body(number, start, stop) }
      number += 1
      start = end + 1
    }
  }
}

/// Collects per-line errors, keeping the first `cap` in full and counting the rest.
struct ErrorList {
  var shown: [String] = []
  var total = 0
  let cap: Int

  init(cap: Int = 20) { self.cap = cap }

  mutating func add(_ s: String) {
    total += 1
    if shown.count < cap { shown.append(s) }
  }

  var isEmpty: Bool { total == 0 }
  var error: CLIError { .badRecords(shown, total: total) }
}

import ERPCore
import Foundation

/// Buffered stdout (only data goes there) and stderr for diagnostics (SPEC 4).
enum Output {
  nonisolated(unsafe) private static var buffer: [UInt8] = {
    var b: [UInt8] = []
    b.reserveCapacity(1 << 16)
    return b
  }()

  static func write(_ s: String) { write(bytes: s.utf8) }

  static func write(bytes: some Collection<UInt8>) {
    // A whole report at once: written as it is, not copied into the buffer first.
    if bytes.count >= 1 << 16 {
      flush()
      FileHandle.standardOutput.write(Data(bytes))
      return
    }
    buffer.append(contentsOf: bytes)
    if buffer.count >= 1 << 16 { flush() }
  }

  static func line(_ s: String) { write(s + "\n") }

  static func flush() {
    guard !buffer.isEmpty else { return }
    FileHandle.standardOutput.write(Data(buffer))
    buffer.removeAll(keepingCapacity: true)
  }

  /// One diagnostic line on stderr, prefixed `erpctl: `.
  static func error(_ message: String) {
    let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
    FileHandle.standardError.write(Data(lines.map { "erpctl: \($0)\n" }.joined().utf8))
  }

  /// A progress or summary note on stderr.
  static func note(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
  }
}

/// The clock; only the CLI reads it (STYLE: the core is deterministic).
enum Clock {
  /// Now, to the millisecond.
  static func now() -> Instant {
    let t = Date().timeIntervalSince1970
    let ms = Int64((t * 1000).rounded(.down))
    return Instant(seconds: ms / 1000, nanoseconds: Int32(ms % 1000) * 1_000_000)
  }
}

import Foundation

/// Paths in the package: its root, `Fixtures/` and `tools/`, found from this source file.
public enum Fixtures {
  /// The package root (three levels above `Sources/ERPTestSupport/Fixtures.swift`).
  public static let packageRoot: String = {
    URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent()  // ERPTestSupport
      .deletingLastPathComponent()  // Sources
      .deletingLastPathComponent()  // package root
      .path
  }()

  /// `<package>/Fixtures`.
  public static var root: String { packageRoot + "/Fixtures" }

  /// `<package>/Fixtures/<relative>`, e.g. `path("events/sample.jsonl")`.
  public static func path(_ relative: String) -> String { root + "/" + relative }

  /// The bytes of a fixture file.
  public static func bytes(_ relative: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(relative))))
  }

  /// The non-empty lines of a fixture file.
  public static func lines(_ relative: String) throws -> [String] {
    String(decoding: try bytes(relative), as: UTF8.self).split(separator: "\n").map(String.init)
  }

  /// `<package>/tools/<name>`.
  public static func tool(_ name: String) -> String { packageRoot + "/tools/" + name }
}

import ArgumentParser
import ERPStore
import Foundation

/// `--store`, shared by every command that opens a store.
public struct StoreLocation: ParsableArguments {
  @Option(
    name: .customLong("store"),
    help: ArgumentHelp("Directory of the LMDB store.", discussion: "Default: $ERPCTL_STORE, else ./erpctl.lmdb.",
      valueName: "path"))
  var explicitPath: String?

  public init() {}

  /// The store directory: --store, else $ERPCTL_STORE, else ./erpctl.lmdb (SPEC 1).
  var path: String {
    if let explicitPath { return explicitPath }
    if let env = ProcessInfo.processInfo.environment["ERPCTL_STORE"], !env.isEmpty { return env }
    return "erpctl.lmdb"
  }

  /// Store options from the environment: `ERPCTL_MAP_SIZE` (bytes) sets the initial map size,
  /// for tests of map growth and for very large first imports.
  func options(readOnly: Bool = false) -> StoreOptions {
    var o = StoreOptions(readOnly: readOnly)
    if let s = ProcessInfo.processInfo.environment["ERPCTL_MAP_SIZE"], let n = Int(s), n > 0 {
      o.mapSize = n
    }
    return o
  }

  func open(readOnly: Bool = false) throws -> EventStore {
    try EventStore.open(at: path, options: options(readOnly: readOnly))
  }
}

/// Output formats of commands that print events.
enum EventFormat: String, ExpressibleByArgument, CaseIterable {
  case table, jsonl, csv
}

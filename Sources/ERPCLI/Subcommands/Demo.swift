import ArgumentParser
import ERPCore
import ERPStore
import Foundation

extension ERPCommand {
  struct Demo: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "demo",
      abstract: "Create a store in a fresh directory from a generated two-year history and summarise it.",
      discussion: """
        Makes a new directory (under $TMPDIR, or --dir), initialises a store there (CNY, \
        Asia/Shanghai), writes a generated history to history.jsonl beside it (erpctl generate \
        with the options below; by default the 24 months before the current one), imports it \
        with erpctl import, and prints the store's path and its log summary (erpctl stats).

        """)

    @Option(help: ArgumentHelp("A new or empty directory for the store and the history (default: a fresh one under $TMPDIR).",
      valueName: "path"))
    var dir: String?

    @Option(help: "Months of history.")
    var months = 24

    @Option(help: "Customers.")
    var customers = 400

    @Option(help: "Seed of the generator (same seed, same history).")
    var seed = 1

    @Option(help: ArgumentHelp("First day of the history (default: the first day of the month `--months` before this one).",
      valueName: "YYYY-MM-DD"))
    var start: String?

    func execute() throws {
      let fm = FileManager.default
      let directory: String
      if let dir {
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir, isDirectory: &isDir) {
          guard isDir.boolValue, (try? fm.contentsOfDirectory(atPath: dir))?.isEmpty == true else {
            throw ValidationError("'--dir \(dir)' must be a new or empty directory.")
          }
        } else {
          do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw CLIError.io("\(dir): cannot create: \(error.localizedDescription)")
          }
        }
        directory = dir
      } else {
        directory = try Self.freshDirectory()
      }
      let storePath = directory + "/erpctl.lmdb"
      let history = directory + "/history.jsonl"
      let first = start ?? Self.defaultStart(months: months)

      Output.line("demo store: \(storePath)")
      Output.line("history:    \(history) (\(months) months from \(first), \(customers) customers, seed \(seed))")
      Output.flush()
      try ERPCommand.Init.parse(["--store", storePath, "--currency", "CNY", "--timezone", "Asia/Shanghai"])
        .execute()
      try ERPCommand.Generate.parse([
        "--months", String(months), "--customers", String(customers), "--seed", String(seed),
        "--start", first, "--out", history,
      ]).execute()
      try ERPCommand.Import.parse(["--store", storePath, history]).execute()
      Output.line("")
      try ERPCommand.Stats.parse(["--store", storePath]).execute()
    }

    /// A new directory `erpctl-demo-XXXXXX` under the temporary directory.
    static func freshDirectory() throws -> String {
      let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
      var template = Array((base.hasSuffix("/") ? base : base + "/").utf8CString.dropLast())
      template += Array("erpctl-demo-XXXXXX".utf8CString)
      guard let made = mkdtemp(&template) else {
        throw CLIError.io("\(base): cannot create a directory for the demo")
      }
      return String(cString: made)
    }

    /// The first day of the month `months` before the current one (UTC date).
    static func defaultStart(months: Int) -> String {
      Clock.now().civil(offsetSeconds: 0).date.firstOfMonth(monthsBefore: months).description
    }
  }
}

import ArgumentParser
import ERPCore
import ERPStore
import Foundation

extension ERPCommand {
  struct Import: ERPSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Import primary events (JSON Lines) from files: idempotent, atomic, every error listed.",
      discussion: """
        Each record gets a key: its own "key", else one derived from the file's SHA-256 and the
        line number, so importing the same file again appends nothing. By default any invalid or
        refused record appends nothing and every error is listed (file:line: reason, the first 20
        and a count); with --skip-invalid the valid records are appended and the rejected ones
        written to --rejects. Files are read as a stream.
        Example: erpctl import orders-2026-11-03.jsonl payments-2026-11-03.jsonl
        """)

    @OptionGroup var store: StoreLocation

    @Argument(help: "JSON Lines files, or - for standard input.")
    var files: [String]

    @Option(help: "Input format: jsonl (CSV import is not available yet).")
    var format = "jsonl"

    @Flag(help: "Check and decide everything, report, and append nothing.")
    var dryRun = false

    @Flag(help: "Append the valid records and reject the others (see --rejects).")
    var skipInvalid = false

    @Option(help: ArgumentHelp("With --skip-invalid: write each rejected record and its reason here (JSON Lines).",
      valueName: "file"))
    var rejects: String?

    @Flag(name: .shortAndLong, help: "Print no summary on stderr.")
    var quiet = false

    func validate() throws {
      guard format == "jsonl" else {
        throw ValidationError("'--format' takes jsonl; CSV import is not available yet.")
      }
      guard !files.isEmpty else { throw ValidationError("give at least one file, or - for standard input.") }
      if rejects != nil && !skipInvalid { throw ValidationError("'--rejects' goes with '--skip-invalid'.") }
    }

    /// One rejected record.
    struct Rejected {
      var file: String
      var line: Int
      var error: String
      var record: String
    }

    /// Thrown inside the transaction to abort it after a dry run.
    struct DryRunDone: Error {
      var outcomes: [AppendOutcome]
      var derived: Int
      var rejected: [Rejected]
    }

    func execute() throws {
      let s = try store.open()
      var inputs: [(name: String, path: String)] = []
      var spooled: String?
      defer { if let spooled { try? FileManager.default.removeItem(atPath: spooled) } }
      for f in files {
        if f == "-" {
          let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("erpctl-import-\(getpid()).jsonl").path
          FileManager.default.createFile(atPath: tmp, contents: FileHandle.standardInput.readDataToEndOfFile())
          spooled = tmp
          inputs.append(("-", tmp))
        } else {
          var isDir: ObjCBool = false
          guard FileManager.default.fileExists(atPath: f, isDirectory: &isDir), !isDir.boolValue else {
            throw CLIError.missingInput("\(f): no such file")
          }
          inputs.append((f, f))
        }
      }
      let reader = EventRecordReader(moneyDigits: s.metadata.moneyDigits)

      // Pass 1: the shape of every record and each file's content hash, without keeping events.
      var errors = ErrorList()
      var rejected: [Rejected] = []
      var badLines: [String: Set<Int>] = [:]
      var prefixes: [String: String] = [:]
      var bytes = 0
      var records = 0
      let progress = Progress(enabled: !quiet && isatty(2) != 0)
      for (name, path) in inputs {
        var hasher = ContentHasher()
        try LineStream(path: path).forEach(chunk: { c in hasher.update(c); bytes += c.count }) { number, line in
          guard !Self.isBlank(line) else { return }
          records += 1
          let a = Array(line)
          do { _ = try reader.newEvent(a) } catch {
            errors.add("\(name):\(number): \(error)")
            badLines[path, default: []].insert(number)
            rejected.append(Rejected(file: name, line: number, error: "\(error)", record: String(decoding: a, as: UTF8.self)))
          }
          progress.tick(records)
        }
        prefixes[path] = "import:" + Hex.encode(Array(hasher.finalize().prefix(8))) + ":"
      }

      let order = Dictionary(inputs.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
      // Pass 2: decide and append, in one write transaction (re-run from the start if the map grows).
      try s.reserve(additionalBytes: bytes * 2)
      var result: (outcomes: [AppendOutcome], derived: Int, rejected: [Rejected])
      do {
        result = try s.withAppender(clock: Clock.now) { log in
          var outcomes: [AppendOutcome] = []
          var refused: [Rejected] = []
          let first = log.head.seq
          var n = 0
          for (name, path) in inputs {
            let skip = badLines[path] ?? []
            try LineStream(path: path).forEach { number, line in
              guard !Self.isBlank(line), !skip.contains(number) else { return }
              var e = try reader.newEvent(Array(line))
              if e.key == nil { e.key = (prefixes[path] ?? "import:") + String(number) }
              do {
                outcomes.append(try log.append(e, index: n))
              } catch let error as StoreError {
                let text: String
                switch error {
                case .refused(_, let d): text = d.description
                case .rejected(_, let r): text = r.description
                case .keyConflict(_, let key, let seq):
                  text = "field 'key': '\(key)' already names event \(seq) with a different payload"
                default: throw error
                }
                refused.append(Rejected(file: name, line: number, error: text, record: String(decoding: line, as: UTF8.self)))
              }
              n += 1
              progress.tick(n)
            }
          }
          if !skipInvalid && (!errors.isEmpty || !refused.isEmpty) {
            // Every error of both passes, in file and line order; the transaction is aborted.
            let all = (rejected + refused).sorted { (order[$0.file] ?? 0, $0.line) < (order[$1.file] ?? 0, $1.line) }
            var list = ErrorList()
            for r in all { list.add("\(r.file):\(r.line): \(r.error)") }
            throw list.error
          }
          let appended = outcomes.filter { if case .appended = $0 { true } else { false } }.count
          let derived = Int(log.head.seq - first) - appended
          if dryRun { throw DryRunDone(outcomes: outcomes, derived: derived, rejected: refused) }
          return (outcomes, derived, refused)
        }
      } catch let done as DryRunDone {
        result = (done.outcomes, done.derived, done.rejected)
      }
      progress.finish()
      rejected = (rejected + result.rejected).sorted {
        (order[$0.file] ?? 0, $0.line) < (order[$1.file] ?? 0, $1.line)
      }
      if let rejects {
        let lines = rejected.map { r -> String in
          CanonicalJSON.string(.object(JSONObject([
            ("file", .string(r.file)), ("line", .int(Int64(r.line))), ("error", .string(r.error)),
            ("record", .string(r.record)),
          ])))
        }
        guard FileManager.default.createFile(atPath: rejects, contents: Data(lines.map { $0 + "\n" }.joined().utf8))
        else { throw CLIError.io("\(rejects): cannot write") }
      }
      guard !quiet else { return }
      let appended = result.outcomes.filter { if case .appended = $0 { true } else { false } }.count
      let verb = dryRun ? "would import" : "imported"
      Output.note(
        "\(verb) \(appended) events and \(result.derived) derived, \(result.outcomes.count - appended) already present, \(rejected.count) rejected")
    }

    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
      line.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }
  }
}

/// A progress line with events/s on stderr, only when stderr is a terminal.
final class Progress {
  let enabled: Bool
  let start = Date()
  var last = Date()

  init(enabled: Bool) { self.enabled = enabled }

  func tick(_ n: Int) {
    guard enabled, n % 10_000 == 0 else { return }
    let now = Date()
    guard now.timeIntervalSince(last) > 0.2 else { return }
    last = now
    let rate = Double(n) / max(now.timeIntervalSince(start), 0.001)
    FileHandle.standardError.write(Data("\r\(n) records, \(Int(rate)) records/s   ".utf8))
  }

  func finish() {
    if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }
}

import ArgumentParser
import ERPCore
import ERPStore
import Foundation

extension ERPCommand {
  struct Import: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Import primary events (JSON Lines or CSV) from files: idempotent, atomic, every error listed.",
      discussion: """
        Each record gets a key: its own "key", else one derived from the file's SHA-256 and the \
        line number, so importing the same file again appends nothing. By default the whole \
        import is one transaction: any invalid or refused record appends nothing and every \
        error is listed (file:line: reason, the first 20 and a count). With --commit-every N \
        each batch of N records is committed on its own. With --skip-invalid the valid records \
        are appended and the rejected ones written to --rejects. Files are read as a stream.

        Examples:
          erpctl import orders-2026-11-03.jsonl payments-2026-11-03.jsonl
          erpctl import --type OrderConfirmed orders.csv
          erpctl import --commit-every 50000 history.jsonl

        """)

    @OptionGroup var store: StoreLocation

    @Argument(help: "Input files, or - for standard input.")
    var files: [String]

    @Option(help: "Input format: jsonl, or csv (with --type); default: csv for files named *.csv, else jsonl.")
    var format: String?

    @Option(help: ArgumentHelp("With CSV: the event type every row of the files is (e.g. OrderConfirmed).",
      valueName: "event"))
    var type: String?

    @Flag(help: "Check and decide everything, report, and append nothing.")
    var dryRun = false

    @Flag(help: "Append the valid records and reject the others (see --rejects).")
    var skipInvalid = false

    @Option(help: ArgumentHelp("With --skip-invalid: write each rejected record and its reason here (JSON Lines).",
      valueName: "file"))
    var rejects: String?

    @Option(help: ArgumentHelp(
      "Commit every N records in its own transaction instead of once at the end (see the man page).",
      valueName: "N"))
    var commitEvery: Int?

    @Flag(name: .shortAndLong, help: "Print no summary on stderr.")
    var quiet = false

    func validate() throws {
      if let format, format != "jsonl" && format != "csv" {
        throw ValidationError("'--format' takes jsonl or csv, not '\(format)'.")
      }
      guard !files.isEmpty else { throw ValidationError("give at least one file, or - for standard input.") }
      if rejects != nil && !skipInvalid { throw ValidationError("'--rejects' goes with '--skip-invalid'.") }
      if let n = commitEvery, n < 1 { throw ValidationError("'--commit-every' takes a positive number of records.") }
      if type != nil && format == "jsonl" { throw ValidationError("'--type' goes with CSV input.") }
    }

    func execute() throws {
      let s = try store.open()
      let inputs = try ImportInput.resolve(files, format: format, type: type)
      defer { for i in inputs { i.cleanUp() } }
      let reader = EventRecordReader(moneyDigits: s.metadata.moneyDigits)

      // Events, derived events and key index take about three times the input.
      var bytes = 0
      for input in inputs {
        let size = (try? FileManager.default.attributesOfItem(atPath: input.path)[.size] as? Int) ?? nil
        bytes += size ?? 0
      }
      try s.reserve(additionalBytes: bytes * 3)

      let progress = Progress(enabled: !quiet && isatty(2) != 0)
      let run = ImportRun(skipInvalid: skipInvalid, progress: progress)
      let source = ImportSource(inputs: inputs, reader: reader, keepText: skipInvalid)

      if let commitEvery, !dryRun {
        // Each batch its own transaction: a failure or a kill leaves whole batches.
        do {
          // The state stays in memory from one batch to the next (trimmed as in one transaction).
          let session = AppendSession()
          try source.forEachBatchReadAhead(size: commitEvery) { batch in
            let tally = try s.withAppender(clock: Clock.now, session: session) { log in
              log.encodeOnSecondThread()
              var tally = ImportRun.Tally()
              try run.append(batch, to: &log, tally: &tally)
              try log.checkpoint()
              if !skipInvalid && !tally.errors.isEmpty { throw ImportRun.BatchFailed(tally: tally) }
              return tally
            }
            run.committed(tally)
          }
        } catch let failed as ImportRun.BatchFailed {
          progress.finish()
          let from = failed.tally.first.map { "\($0.file):\($0.line)" } ?? "the start"
          let t = run.total
          throw CLIError.badRecords(
            failed.tally.errors.shown, total: failed.tally.errors.total,
            note: "nothing from \(from) on was appended; the batches before it were (\(t.appended) events and "
              + "\(t.derived) derived, \(t.existing) already present): import the records from \(from) on once they "
              + "are fixed (keys without a \"key\" field derive from the file's content, so an edited file is new)")
        }
      } else {
        // One transaction for everything, fed each chunk as soon as it is read; after each
        // chunk the state cache is written back and emptied if it has grown past its limit, so
        // memory stays flat.
        do {
          let tally = try s.withAppender(clock: Clock.now) { log in
            // A third thread encodes and hashes what this one decides (`EncodingThread`).
            log.encodeOnSecondThread()
            var tally = ImportRun.Tally()
            try source.forEachBatchReadAhead(size: ImportSource.chunk) { batch in
              try run.append(batch, to: &log, tally: &tally)
              try log.checkpoint()
            }
            if !skipInvalid && !tally.errors.isEmpty { throw tally.errors.error }
            if dryRun { throw ImportRun.DryRunDone(tally: tally) }
            return tally
          }
          run.committed(tally)
        } catch let done as ImportRun.DryRunDone {
          run.committed(done.tally)
        }
      }
      progress.finish()
      try writeRejects(run.total.rejected)
      guard !quiet else { return }
      let t = run.total
      let verb = dryRun ? "would import" : "imported"
      Output.note(
        "\(verb) \(t.appended) events and \(t.derived) derived, \(t.existing) already present, \(t.rejected.count) rejected")
    }

    func writeRejects(_ rejected: [ImportRun.Rejected]) throws {
      guard let rejects else { return }
      let lines = rejected.map { r -> String in
        CanonicalJSON.string(.object(JSONObject([
          ("file", .string(r.file)), ("line", .int(Int64(r.line))), ("error", .string(r.error)),
          ("record", .string(r.record)),
        ])))
      }
      guard FileManager.default.createFile(atPath: rejects, contents: Data(lines.map { $0 + "\n" }.joined().utf8))
      else { throw CLIError.io("\(rejects): cannot write") }
    }
  }
}

/// One input of `import`: a file, or standard input spooled to a temporary file (read twice: once
/// for the content hash, once for the records).
struct ImportInput {
  enum Format { case jsonl, csv(type: String) }

  var name: String
  var path: String
  var format: Format
  var spooled: Bool

  func cleanUp() {
    if spooled { try? FileManager.default.removeItem(atPath: path) }
  }

  static func resolve(_ files: [String], format: String?, type: String?) throws -> [ImportInput] {
    var inputs: [ImportInput] = []
    do {
      for (i, f) in files.enumerated() {
        let csv = format == "csv" || (format == nil && (type != nil || f.lowercased().hasSuffix(".csv")))
        let fmt: Format
        if csv {
          guard let type else {
            throw ValidationError("CSV input needs '--type EVENT' (the event every row of '\(f)' is).")
          }
          fmt = .csv(type: type)
        } else {
          fmt = .jsonl
        }
        if f == "-" {
          let tmp = FileManager.default.temporaryDirectory
            .appendingPathComponent("erpctl-import-\(getpid())-\(i)").path
          try spool(to: tmp)
          inputs.append(ImportInput(name: "-", path: tmp, format: fmt, spooled: true))
        } else {
          var isDir: ObjCBool = false
          guard FileManager.default.fileExists(atPath: f, isDirectory: &isDir), !isDir.boolValue else {
            throw CLIError.missingInput("\(f): no such file")
          }
          inputs.append(ImportInput(name: f, path: f, format: fmt, spooled: false))
        }
      }
    } catch {
      for i in inputs { i.cleanUp() }
      throw error
    }
    return inputs
  }

  /// Copies standard input to `path` in chunks (memory stays flat).
  static func spool(to path: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
      let out = FileHandle(forWritingAtPath: path)
    else { throw CLIError.io("\(path): cannot create a temporary file for standard input") }
    defer { try? out.close() }
    while true {
      let data = FileHandle.standardInput.readData(ofLength: 1 << 20)
      if data.isEmpty { break }
      do { try out.write(contentsOf: data) } catch {
        throw CLIError.io("\(path): cannot write: \(error.localizedDescription)")
      }
    }
  }
}

/// Reads a file in 1 MiB chunks, into one buffer: `body` gets each chunk as a slice of it, to
/// copy from or read before it returns.
///
/// (Each chunk had been a `Data` and an array of its own: allocations of 1 MiB, which glibc maps
/// and unmaps or trims, so every page of every chunk was faulted in again. That was nearly all of
/// an import's 255,000 page faults on a million records.)
struct FileChunks {
  let path: String
  static let size = 1 << 20

  func forEach(_ body: (ArraySlice<UInt8>) throws -> Void) throws {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw CLIError.missingInput("\(path): cannot read") }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: Self.size)
    while true {
      let n = buffer.withUnsafeMutableBytes { b in read(fd, b.baseAddress, b.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw CLIError.io("\(path): cannot read: \(String(cString: strerror(errno)))")
      }
      if n == 0 { break }
      try body(buffer[0..<n])
    }
  }
}

/// One record read from an import file: where it is and the event it says (or why it says none).
struct ImportRecord {
  var file: String
  var line: Int
  /// The record's text, for `--rejects`.
  var raw: ArraySlice<UInt8>
  /// The record's event with what the appender can work out from it alone, made on the reading
  /// thread so that the appending thread does not (`PreparedEvent`); or why it is invalid.
  var prepared: Result<PreparedEvent, EventInputError>
  /// `prepared`'s lookups, kept in the record: the appender reads them 16 and 8 records ahead
  /// to prefetch, and through the preparation (an object of its own) each read was a cache miss.
  var lookups = StateLookups()
  /// `prepared`'s address, which the appender prefetches a few records ahead (0 without one).
  var preparedAddress: UInt = 0
}

/// The records of every input in order, handed over in batches (so memory stays flat).
struct ImportSource {
  var inputs: [ImportInput]
  var reader: EventRecordReader
  /// Whether records keep their text (for --rejects). Kept only when asked: a slice of the
  /// read buffer would keep the whole buffer alive for the batch.
  var keepText = false

  func forEachBatch(size: Int, _ body: ([ImportRecord]) throws -> Void) throws {
    var batch: [ImportRecord] = []
    batch.reserveCapacity(min(size, 65_536))
    // The record is made once, with its preparation, straight into the batch: made and then
    // copied to add the preparation, it had been copied twice and destroyed twice (an outlined
    // copy of every field, 3 % of the reading thread).
    func add(
      file: String, line: Int, raw: ArraySlice<UInt8>, event: consuming Result<NewEvent, EventInputError>,
      canonicalData: ArraySlice<UInt8>? = nil
    ) throws {
      try add(
        file: file, line: line, raw: raw,
        prepared: event.map { PreparedEvent($0, canonicalData: canonicalData, digits: reader.moneyDigits) })
    }
    func add(
      file: String, line: Int, raw: ArraySlice<UInt8>, prepared: Result<PreparedEvent, EventInputError>
    ) throws {
      let made = try? prepared.get()
      batch.append(
        ImportRecord(
          file: file, line: line, raw: raw, prepared: prepared,
          lookups: made?.lookups ?? StateLookups(), preparedAddress: made?.address ?? 0))
      if batch.count >= size {
        try body(batch)
        batch.removeAll(keepingCapacity: true)
      }
    }
    for input in inputs {
      // Keys derived from content: the file's SHA-256, read in a pass of its own when the first
      // record without a key of its own needs it (a file whose records all have keys is read
      // once).
      var derivedPrefix: String?
      func prefix() throws -> String {
        if let derivedPrefix { return derivedPrefix }
        var hasher = ContentHasher()
        try FileChunks(path: input.path).forEach { hasher.update($0) }
        let p = "import:" + Hex.encode(Array(hasher.finalize().prefix(8))) + ":"
        derivedPrefix = p
        return p
      }
      switch input.format {
      case .jsonl:
        // The parser's stacks, allocated once for the file.
        var scratch = JSONParser.Scratch()
        // The fast path's list of values, kept from line to line.
        var tape = RecordTape()
        try LineStream(path: input.path).forEach { number, buffer, range in
          guard !Self.isBlank(buffer, range) else { return }
          // Records as erpctl writes them (RFC 8785 without escapes) are read without a tree;
          // the others, and every record with something to say about it, the general way.
          if var fast = reader.fastEvent(buffer, start: range.lowerBound, end: range.upperBound, tape: &tape) {
            if fast.key == nil { fast.key = try prefix() + String(number) }
            let prepared = PreparedEvent(taking: &fast, line: buffer, tape: tape, digits: reader.moneyDigits)
            try add(
              file: input.name, line: number, raw: keepText ? ArraySlice(Array(buffer[range])) : [],
              prepared: .success(prepared))
            return
          }
          var event: Result<NewEvent, EventInputError>
          // Where the line's `data` is already the text the store hashes.
          var canonicalData: Range<Int>? = nil
          do throws(EventInputError) {
            event = .success(
              try reader.newEvent(
                buffer, start: range.lowerBound, end: range.upperBound, canonicalData: &canonicalData,
                scratch: &scratch))
          } catch {
            event = .failure(error)
          }
          if case .success(var e) = event, e.key == nil {
            e.key = try prefix() + String(number)
            event = .success(e)
          }
          try add(
            file: input.name, line: number, raw: keepText ? ArraySlice(Array(buffer[range])) : [], event: event,
            canonicalData: canonicalData.map { buffer[$0] })
        }
      case .csv(let type):
        try CSVImport.forEach(path: input.path, name: input.name, type: type, moneyDigits: reader.moneyDigits) {
          line, raw, result in
          var event = result
          if case .success(var e) = result, e.key == nil {
            e.key = try prefix() + String(line)
            event = .success(e)
          }
          try add(file: input.name, line: line, raw: keepText ? raw : [], event: event)
        }
      }
    }
    if !batch.isEmpty { try body(batch) }
  }

  /// Records the reading thread hands over at a time.
  static let chunk = 1_024

  /// `forEachBatch`, with the files read and parsed on a second thread (`Handoff`) while `body`
  /// decides and appends on this one: the same batches, in the same order.
  ///
  /// The reading thread may run a whole batch (up to about a million records) and 16 chunks
  /// ahead. With less room it would wait while `body` works and `body` would wait while it fills
  /// the next batch, one thread at a time: with 16 chunks for batches of 50,000, the import ran
  /// on one core for most of its time.
  func forEachBatchReadAhead(size: Int, _ body: ([ImportRecord]) throws -> Void) throws {
    let source = self
    let chunk = min(size, Self.chunk)
    var batch: [ImportRecord] = []
    // (At most 1,024 chunks for the batch: the ring's slots are allocated up front, and a
    // batch of any size is allowed.)
    let capacity = min(size / chunk + 1, 1_024) + 16
    // The records given back are let go of once the appender is done with them: it keeps each
    // event and its preparation until the encoding thread has stored it.
    let keepUsed = (LogAppender.eventsHeldByEncoding + chunk - 1) / chunk + 1
    try Handoff<[ImportRecord]>.run(
      capacity: capacity, keepUsed: keepUsed, produce: { send in try source.forEachBatch(size: chunk, send) }
    ) { records in
      // Whole chunks as they came (the one-transaction import): no copy.
      if batch.isEmpty && records.count == size { return try body(records) }
      batch.append(contentsOf: records)
      while batch.count >= size {
        try body(Array(batch[..<size]))
        batch.removeFirst(size)
      }
    }
    if !batch.isEmpty { try body(batch) }
  }

  static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
    line.allSatisfy { $0 == 0x20 || $0 == 0x09 }
  }

  /// `isBlank(buffer[range])`, answered by the first byte for almost every line (a record
  /// starts with `{`) without making the slice.
  @inline(__always)
  static func isBlank(_ buffer: [UInt8], _ range: Range<Int>) -> Bool {
    if let first = range.first, buffer[first] != 0x20 && buffer[first] != 0x09 { return false }
    return isBlank(buffer[range])
  }
}

/// The running totals of one import and how a batch is appended.
final class ImportRun {
  struct Rejected {
    var file: String
    var line: Int
    var error: String
    var record: String
  }

  /// What one transaction did.
  struct Tally {
    var appended = 0
    var existing = 0
    var derived = 0
    var rejected: [Rejected] = []
    var errors = ErrorList()
    /// The first and last line of the batch, for messages.
    var first: (file: String, line: Int)?
  }

  /// Thrown inside the transaction to abort it after a dry run.
  struct DryRunDone: Error { var tally: Tally }

  /// A batch with errors under --commit-every: it was not committed; earlier batches were.
  struct BatchFailed: Error { var tally: Tally }

  let skipInvalid: Bool
  let progress: Progress
  private(set) var total = Tally()
  private var records = 0

  init(skipInvalid: Bool, progress: Progress) {
    self.skipInvalid = skipInvalid
    self.progress = progress
  }

  func append(_ batch: [ImportRecord], to log: inout LogAppender, tally: inout Tally) throws {
    // Each record is read where it lies: through the array's subscript (or a span, or a
    // `borrowing` parameter) it was copied first, retaining its event, text and preparation
    // (2.5 % of the appending thread).
    try batch.withUnsafeBufferPointer { records in
      guard let first = records.baseAddress else { return }
      for i in records.indices {
        // The records deciding a later event reads, prefetched (the state's tables are larger
        // than the caches): where its lookups start 16 events ahead, what they find 8 ahead.
        if i + 16 < records.count { log.prefetchLookups(records[i + 16].lookups, step: 0) }
        if i + 8 < records.count { log.prefetchLookups(records[i + 8].lookups, step: 1) }
        if i + 4 < records.count { log.prefetchPrepared(at: records[i + 4].preparedAddress) }
        try append(first + i, to: &log, tally: &tally)
      }
    }
  }

  /// One record, where it lies in its batch.
  @inline(__always)
  private func append(_ r: UnsafePointer<ImportRecord>, to log: inout LogAppender, tally: inout Tally) throws {
    records += 1
    progress.tick(records)
    if tally.first == nil { tally.first = (r.pointee.file, r.pointee.line) }
    // Appended from its preparation, which holds the event (not copied out here).
    let prepared: PreparedEvent
    switch r.pointee.prepared {
    case .success(let p): prepared = p
    case .failure(let error):
      reject(r.pointee, "\(error)", &tally)
      return
    }
    let before = log.head.seq
    do {
      switch try log.append(prepared: prepared, index: r.pointee.line) {
      case .appended:
        tally.appended += 1
        tally.derived += Int(log.head.seq - before) - 1
      case .existing: tally.existing += 1
      }
    } catch let error as StoreError {
      switch error {
      case .refused(_, let d): reject(r.pointee, d.description, &tally)
      case .rejected(_, let e): reject(r.pointee, e.description, &tally)
      case .keyConflict(_, let key, let seq):
        reject(r.pointee, "field 'key': '\(key)' already names event \(seq) with a different payload", &tally)
      default: throw error
      }
    }
  }

  private func reject(_ r: ImportRecord, _ error: String, _ tally: inout Tally) {
    tally.errors.add("\(r.file):\(r.line): \(error)")
    if skipInvalid {
      tally.rejected.append(
        Rejected(file: r.file, line: r.line, error: error, record: String(decoding: r.raw, as: UTF8.self)))
    }
  }

  /// Adds a committed (or dry-run) transaction's tally to the totals.
  func committed(_ t: Tally) {
    total.appended += t.appended
    total.existing += t.existing
    total.derived += t.derived
    total.rejected += t.rejected
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

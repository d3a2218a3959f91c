import ArgumentParser
import ERPCore
import ERPStore
import Foundation

extension ERPCommand {
  struct Generate: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "generate",
      abstract: "Write a realistic, seeded sales history as JSON Lines of primary events.",
      discussion: """
        A day-by-day simulation of a distributor's sales cycle: master data, targets, campaign
        costs, leads through the funnel, orders with seasonality, growth, promotions and a
        heavy-tailed customer base, stock and purchase orders, shipments, payments (some late,
        some never), returns and service cases. Every line is accepted by 'erpctl import' on a
        fresh store (init --currency CNY --timezone Asia/Shanghai), in business-time order, with
        the key gen:SEED:N. The same options always give the same bytes.
        Example: erpctl generate --seed 7 --out history.jsonl && erpctl import history.jsonl
        """)

    @Option(help: "Months of history (1–240).")
    var months = 24

    @Option(help: "Customer accounts by the end: about 55 % exist at the start, the rest are won from leads.")
    var customers = 400

    @Option(help: "Sales reps, in teams of up to four per region.")
    var reps = 12

    @Option(help: "Products (SKUs) in five product lines.")
    var products = 60

    @Option(help: "The random seed: the same options give the same output, byte for byte.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The first day of the history.", valueName: "YYYY-MM-DD"))
    var start = "2025-01-01"

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var out: String?

    @Flag(name: .shortAndLong, help: "Print no summary on standard error.")
    var quiet = false

    func validate() throws {
      guard let first = CivilDate.parse(start) else {
        throw ValidationError("'--start' must be a date YYYY-MM-DD, got '\(start)'.")
      }
      if let problem = options(first).problem { throw ValidationError(problem) }
    }

    private func options(_ first: CivilDate) -> GenerateOptions {
      GenerateOptions(months: months, customers: customers, reps: reps, products: products, seed: seed, start: first)
    }

    func execute() throws {
      guard let first = CivilDate.parse(start) else { throw ValidationError("'--start' must be a date YYYY-MM-DD.") }
      let options = options(first)
      let began = Date()
      let writer = try EventLineWriter(path: out == "-" ? nil : out)
      let summary = try HistoryGenerator.run(options) { try writer.write($0) }
      try writer.finish()
      if summary.refused > 0 {
        Output.error(
          "warning: \(summary.refused) generated events were refused by the rules and left out (a generator bug):\n"
            + summary.refusals.joined(separator: "\n"))
      }
      guard !quiet else { return }
      let seconds = Date().timeIntervalSince(began)
      Output.note(
        "generated \(summary.events) events from \(first) to \(options.end.adding(days: -1)) (seed \(seed)): "
          + "\(summary.customersRegistered) customers, \(summary.orders) orders, "
          + "\(writer.bytes) bytes in \(String(format: "%.1f", seconds)) s")
    }
  }
}

/// Writes events as canonical JSON Lines (`{"at":…,"data":…,"key":…,"type":…}`) through a
/// 1 MiB buffer to a file or standard output.
final class EventLineWriter {
  private let handle: FileHandle
  private let name: String
  private var buffer: [UInt8] = []
  private(set) var bytes = 0
  private var cachedDate = CivilDate(daysSinceEpoch: Int32.min)
  private var cachedDay: [UInt8] = []

  init(path: String?) throws {
    guard let path else {
      handle = FileHandle.standardOutput
      name = "standard output"
      buffer.reserveCapacity(1 << 20)
      return
    }
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let h = FileHandle(forWritingAtPath: path)
    else { throw CLIError.io("\(path): cannot create the file") }
    handle = h
    name = path
    buffer.reserveCapacity(1 << 20)
  }

  func write(_ e: NewEvent) throws {
    buffer.append(contentsOf: #"{"at":"#.utf8)
    writeTime(e.at)
    buffer.append(contentsOf: #","data":"#.utf8)
    CanonicalJSON.write(.object(e.data), into: &buffer)
    if let key = e.key {
      buffer.append(contentsOf: #","key":"#.utf8)
      CanonicalJSON.writeString(key, into: &buffer)
    }
    buffer.append(contentsOf: #","type":"#.utf8)
    CanonicalJSON.writeString(e.type, into: &buffer)
    buffer.append(contentsOf: "}\n".utf8)
    if buffer.count >= 1 << 20 { try flush() }
  }

  /// `"YYYY-MM-DD"` or `"YYYY-MM-DDThh:mm:ss+hh:mm"` (what `BusinessTime.description` gives,
  /// without building a String per event: the date part is kept per day).
  private func writeTime(_ at: BusinessTime) {
    guard case .instant(let t, let offset) = at, t.nanoseconds == 0, offset > 0, offset % 60 == 0 else {
      return CanonicalJSON.writeString(at.description, into: &buffer)
    }
    let (date, sod) = t.civil(offsetSeconds: offset)
    if date != cachedDate {
      cachedDate = date
      cachedDay = Array("\"\(date)T".utf8)
    }
    buffer.append(contentsOf: cachedDay)
    for (i, v) in [sod / 3600, sod / 60 % 60, sod % 60, offset / 3600, offset / 60 % 60].enumerated() {
      if i > 0 { buffer.append(i == 3 ? UInt8(ascii: "+") : UInt8(ascii: ":")) }
      buffer.append(UInt8(ascii: "0") + UInt8(v / 10))
      buffer.append(UInt8(ascii: "0") + UInt8(v % 10))
    }
    buffer.append(UInt8(ascii: "\""))
  }

  func finish() throws {
    try flush()
    if handle !== FileHandle.standardOutput {
      do { try handle.close() } catch { throw CLIError.io("\(name): \(error.localizedDescription)") }
    }
  }

  private func flush() throws {
    guard !buffer.isEmpty else { return }
    do { try handle.write(contentsOf: buffer) } catch {
      throw CLIError.io("\(name): cannot write: \(error.localizedDescription)")
    }
    bytes += buffer.count
    buffer.removeAll(keepingCapacity: true)
  }
}

import ArgumentParser
import ERPCore
import ERPStore
import Foundation

/// Options every event-recording command shares.
struct RecordOptions: ParsableArguments {
  @Option(help: ArgumentHelp(
    "When it happened: RFC 3339 with offset or a date YYYY-MM-DD (default: now, in the store's timezone).",
    valueName: "time"))
  var at: String?

  @Option(help: "Idempotency key: running the same command with the same key again appends nothing.")
  var key: String?

  @Option(help: "Output: table (default), json (an array of the appended events) or jsonl.")
  var format: RecordFormat = .table

  func validate() throws {
    if let at, BusinessTime.parse(at) == nil {
      throw ValidationError("'--at' must be an RFC 3339 time with offset or a date YYYY-MM-DD, got '\(at)'.")
    }
  }
}

/// Output formats of the recording commands.
enum RecordFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, jsonl
}

/// Builds `data` from options, leaving out what was not given.
struct DataBuilder {
  var object = JSONObject()
  mutating func set(_ k: String, _ v: String?) { if let v { object[k] = .string(v) } }
  mutating func set(_ k: String, _ v: Int?) { if let v { object[k] = .int(Int64(v)) } }
  mutating func set(_ k: String, flag: Bool) { if flag { object[k] = .bool(true) } }
  mutating func set(_ k: String, lines: [JSONObject]) { object[k] = .array(lines.map { .object($0) }) }
}

/// `SKU:QTY:PRICE[:DISCOUNT]` (order and quote lines) or `SKU:QTY` (shipment lines).
enum LineArgument {
  static func orderLine(_ s: String) throws -> JSONObject {
    let parts = s.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 3 || parts.count == 4, let qty = Int64(parts[1]) else {
      throw ValidationError("'--line' must be SKU:QTY:PRICE[:DISCOUNT], e.g. A1:40:120.00:0.05, got '\(s)'.")
    }
    var o = JSONObject()
    o["sku"] = .string(parts[0])
    o["qty"] = .int(qty)
    o["unit_price"] = .string(parts[2])
    if parts.count == 4 { o["discount"] = .string(parts[3]) }
    return o
  }

  static func shipLine(_ s: String) throws -> JSONObject {
    let parts = s.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 2, let qty = Int64(parts[1]) else {
      throw ValidationError("'--line' must be SKU:QTY, e.g. A1:40, got '\(s)'.")
    }
    return JSONObject([("sku", .string(parts[0])), ("qty", .int(qty))])
  }
}

/// A command that records one primary event: the same checks, rules and derivations as
/// `append`, then the stored events (primary and derived) on stdout.
protocol RecordCommand: ERPSubcommand {
  var store: StoreLocation { get }
  var record: RecordOptions { get }
  var eventType: String { get }
  func data() throws -> JSONObject
}

extension RecordCommand {
  func execute() throws {
    let s = try store.open()
    let at: BusinessTime
    if let text = record.at, let parsed = BusinessTime.parse(text) {
      at = parsed
    } else {
      at = Clock.nowInZone(s.metadata.timezone)
    }
    let data = try EventCatalog.check(type: eventType, data: try data(), moneyDigits: s.metadata.moneyDigits)
    let event = NewEvent(type: eventType, at: at, key: record.key, data: data)
    let (outcome, last) = try s.withAppender(clock: Clock.now) { log in
      let o = try log.append(event)
      return (o, log.head.seq)
    }
    if case .existing(let seq) = outcome {
      Output.note("already recorded as seq \(seq) (same key and payload); nothing appended")
    }
    var events: [EventEnvelope] = []
    let first = outcome.seq
    let through = outcome == .existing(first) ? first : last
    try s.forEach(from: first) { e in
      guard e.seq <= through else { return false }
      events.append(e)
      return true
    }
    EventPrinter.print(events, format: record.format)
  }
}

/// Prints stored events in the format a command asked for.
enum EventPrinter {
  static func print(_ events: [EventEnvelope], format: RecordFormat) {
    switch format {
    case .table:
      Output.line(EventTable.header)
      for e in events { Output.line(EventTable.row(e)) }
    case .jsonl:
      for e in events { Output.line(e.exportLine) }
    case .json:
      Output.line("[" + events.map(\.exportLine).joined(separator: ",") + "]")
    }
  }
}

extension Clock {
  /// Now, as an instant written with the store timezone's current offset.
  static func nowInZone(_ identifier: String) -> BusinessTime {
    let now = Clock.now()
    return .instant(now, offsetSeconds: offset(of: identifier, at: now))
  }

  /// Today's date in the store's timezone.
  static func today(in identifier: String) -> CivilDate {
    let now = Clock.now()
    return now.civil(offsetSeconds: offset(of: identifier, at: now)).date
  }

  /// The zone's offset from UTC at `instant`, in seconds (0 for an unknown zone).
  static func offset(of identifier: String, at instant: Instant) -> Int {
    TimeZone(identifier: identifier)?.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.seconds))) ?? 0
  }
}

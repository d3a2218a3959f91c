import ArgumentParser
import ERPCore
import ERPStore
import Foundation

/// Filters shared by `log` and `export`.
struct EventFilter: ParsableArguments {
  @Option(name: .customLong("type"), help: "Only events of this type (repeatable).")
  var types: [String] = []

  @Option(help: ArgumentHelp("Only events after this seq (seq > SEQ).", valueName: "seq"))
  var since: UInt64 = 0

  @Option(help: ArgumentHelp(
    "Only events whose business date is on or before DATE (store timezone).", valueName: "date"))
  var until: String?

  func validate() throws {
    for t in types where EventCatalog.schema(for: t) == nil {
      throw ValidationError("'--type': unknown event type '\(t)'.")
    }
    if let until, CivilDate.parse(until) == nil {
      throw ValidationError("'--until' must be a date YYYY-MM-DD, got '\(until)'.")
    }
  }

  /// A predicate over events for a store (its timezone dates `at`).
  func predicate(_ store: EventStore) -> (EventEnvelope) -> Bool {
    let typeSet = Set(types)
    let untilDate = until.flatMap(CivilDate.parse)
    let zone = StoreTimeZone(store.metadata.timezone)
    return { e in
      if !typeSet.isEmpty && !typeSet.contains(e.type) { return false }
      if let untilDate, let zone, zone.date(of: e.at) > untilDate { return false }
      return true
    }
  }
}

extension ERPCommand {
  struct Log: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "log",
      abstract: "Show the events of the log, as a table for people or as JSON Lines.")

    @OptionGroup var store: StoreLocation
    @OptionGroup var filter: EventFilter

    @Option(help: "Only events about this order (data.order).")
    var order: String?

    @Option(help: "Only events about this customer (data.customer).")
    var customer: String?

    @Option(help: "Output format: table or jsonl.")
    var format: EventFormat = .table

    @Flag(help: "Keep running and print new events as they are appended.")
    var follow = false

    func validate() throws {
      if format == .csv { throw ValidationError("'log' writes table or jsonl; use 'export --format csv'.") }
    }

    func execute() throws {
      let s = try store.open(readOnly: true)
      let base = filter.predicate(s)
      let match: (EventEnvelope) -> Bool = { e in
        if let order, e.data["order"]?.stringValue != order { return false }
        if let customer, e.data["customer"]?.stringValue != customer { return false }
        return base(e)
      }
      if format == .table { Output.line(EventTable.header) }
      var last = filter.since
      repeat {
        try s.forEach(from: last + 1) { e in
          last = e.seq
          if match(e) { Output.line(format == .table ? EventTable.row(e) : e.exportLine) }
          return true
        }
        Output.flush()
        if follow { Thread.sleep(forTimeInterval: 0.5) }
      } while follow
    }
  }
}

/// The human form of the log: one event per line.
enum EventTable {
  static let header = pad("SEQ", 8, right: true) + "  " + pad("AT", 29) + "  " + pad("TYPE", 20)
    + "  " + pad("KEY", 24) + "  DATA"

  static func row(_ e: EventEnvelope) -> String {
    let data = CanonicalJSON.string(.object(e.data))
    return pad(String(e.seq), 8, right: true) + "  " + pad(e.at.description, 29) + "  "
      + pad(e.type, 20) + "  " + pad(e.key ?? "-", 24) + "  " + data
  }

  static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
    let n = s.count
    guard n < width else { return s }
    let fill = String(repeating: " ", count: width - n)
    return right ? fill + s : s + fill
  }
}

import ArgumentParser
import ERPCore
import ERPStore

extension ERPCommand {
  struct Export: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract: "Write the log as canonical JSON Lines (or CSV) to standard output.",
      discussion: """
        Each JSON line is the event's RFC 8785 form with its hash, exactly what the hash chain
        covers; an unfiltered export is what 'restore' loads.
        """)

    @OptionGroup var store: StoreLocation
    @OptionGroup var filter: EventFilter

    @Option(help: "Output format: jsonl (default) or csv.")
    var format: EventFormat = .jsonl

    func validate() throws {
      if format == .table { throw ValidationError("'export' writes jsonl or csv; use 'log' for a table.") }
    }

    func execute() throws {
      let s = try store.open(readOnly: true)
      let match = filter.predicate(s)
      if format == .csv { Output.line("seq,type,at,recorded,key,v,data,hash") }
      try s.forEach(from: filter.since + 1) { e in
        guard match(e) else { return true }
        if format == .csv {
          let cells = [
            String(e.seq), e.type, e.at.description, e.recorded.rfc3339(), e.key ?? "", String(e.v),
            CanonicalJSON.string(.object(e.data)), Hex.encode(e.hash),
          ]
          Output.line(cells.map(CSV.field).joined(separator: ","))
        } else {
          Output.line(e.exportLine)
        }
        return true
      }
    }
  }
}

/// RFC 4180 fields; text starting with = + - @ is prefixed with ' so spreadsheets do not run it.
enum CSV {
  static func field(_ s: String) -> String {
    var s = s
    if let c = s.first, "=+-@".contains(c) { s = "'" + s }
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

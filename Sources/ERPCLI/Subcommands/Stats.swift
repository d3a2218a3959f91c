import ArgumentParser
import ERPCore
import ERPStore

extension ERPCommand {
  struct Stats: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "stats",
      abstract: "Event counts by type, store size and the chain head.")

    @OptionGroup var store: StoreLocation

    @Option(help: "Output format: table or json.")
    var format: StatusFormat = .table

    func execute() throws {
      let s = try store.open(readOnly: true)
      let st = try s.stats()
      let m = s.metadata
      switch format {
      case .table:
        Output.line("store       \(s.path)")
        Output.line("format      \(m.format) (\(st.lmdbVersion))")
        Output.line("currency    \(m.currency)")
        Output.line("timezone    \(m.timezone)")
        Output.line("events      \(st.events) (\(st.keyed) with a key)")
        Output.line("head seq    \(st.head.seq)")
        Output.line("head hash   \(Hex.encode(st.head.hash))")
        Output.line("file size   \(st.fileBytes) bytes (\(st.usedBytes) used, map \(st.mapBytes))")
        if !st.byType.isEmpty {
          Output.line("")
          let width = max(4, st.byType.keys.map(\.count).max() ?? 0)
          Output.line(EventTable.pad("TYPE", width) + "  " + EventTable.pad("EVENTS", 10, right: true))
          for (t, n) in st.byType.sorted(by: { $0.key < $1.key }) {
            Output.line(EventTable.pad(t, width) + "  " + EventTable.pad(String(n), 10, right: true))
          }
        }
      case .json:
        var o = JSONObject()
        o["store"] = .string(s.path)
        o["format"] = .int(Int64(m.format))
        o["currency"] = .string(m.currency)
        o["timezone"] = .string(m.timezone)
        o["payment_terms_days"] = .int(Int64(m.paymentTermsDays))
        o["events"] = .int(Int64(st.events))
        o["keyed_events"] = .int(Int64(st.keyed))
        o["head_seq"] = .int(Int64(st.head.seq))
        o["head_hash"] = .string(Hex.encode(st.head.hash))
        o["file_bytes"] = .int(Int64(st.fileBytes))
        o["used_bytes"] = .int(Int64(st.usedBytes))
        o["map_bytes"] = .int(Int64(st.mapBytes))
        o["lmdb_version"] = .string(st.lmdbVersion)
        o["by_type"] = .object(JSONObject(st.byType.map { ($0.key, .int(Int64($0.value))) }))
        Output.line(CanonicalJSON.string(.object(o)))
      }
    }
  }
}

import ArgumentParser
import ERPCore
import ERPStore

extension ERPCommand.Target {
  struct List: ERPSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "List the targets in force (the latest TargetSet per scope, id, metric and period).",
      discussion: "Actual, completion and pace per target come with the projections (see erpctl(1)).")
    @OptionGroup var store: StoreLocation
    @Option(help: "Only targets of this period.") var period: String?
    @Option(help: "Output: table (default) or json.") var format: StatusFormat = .table

    func execute() throws {
      let s = try store.open(readOnly: true)
      var latest: [String: (UInt64, JSONObject)] = [:]
      try s.forEach { e in
        guard e.type == "TargetSet" else { return true }
        let d = e.data
        if let period, d["period"]?.stringValue != period { return true }
        let k = ["scope", "id", "metric", "period"].map { d[$0]?.stringValue ?? "" }.joined(separator: "\u{0}")
        latest[k] = (e.seq, d)
        return true
      }
      let rows = latest.values.sorted { $0.0 < $1.0 }
      switch format {
      case .table:
        Output.line(["SEQ", "SCOPE", "ID", "METRIC", "PERIOD", "VALUE"].joined(separator: "\t"))
        for (seq, d) in rows {
          let value: String = d["value"].map { v in v.stringValue ?? v.intValue.map(String.init) ?? "" } ?? ""
          Output.line([String(seq), d["scope"]?.stringValue ?? "", d["id"]?.stringValue ?? "-",
            d["metric"]?.stringValue ?? "", d["period"]?.stringValue ?? "", value].joined(separator: "\t"))
        }
      case .json:
        let items: [JSONValue] = rows.map { seq, d in
          var o = d
          o["seq"] = .int(Int64(seq))
          if o["id"] == nil { o["id"] = .null }
          return .object(o)
        }
        Output.line(CanonicalJSON.string(.array(items)))
      }
    }
  }
}

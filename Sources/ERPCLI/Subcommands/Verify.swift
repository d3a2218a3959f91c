import ArgumentParser
import ERPCore
import ERPStore

extension ERPCommand {
  struct Verify: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "verify",
      abstract: "Check the sequence, every hash of the chain and the key index; exit 1 on a problem.")

    @OptionGroup var store: StoreLocation

    @Option(help: "Output format: table or json.")
    var format: StatusFormat = .table

    func execute() throws {
      let s = try store.open(readOnly: true)
      let r = try s.verify()
      switch format {
      case .table:
        if r.ok {
          Output.line("ok: \(r.events) events, head seq \(r.head.seq) \(Hex.encode(r.head.hash))")
        } else {
          Output.line(
            "FAILED at seq \(r.firstBadSeq ?? 0): \(r.problem ?? "") (\(r.events) events verified before it)")
        }
      case .json:
        var o = JSONObject()
        o["ok"] = .bool(r.ok)
        o["events_verified"] = .int(Int64(r.events))
        o["head_seq"] = .int(Int64(r.head.seq))
        o["head_hash"] = .string(Hex.encode(r.head.hash))
        o["first_bad_seq"] = r.firstBadSeq.map { .int(Int64($0)) } ?? .null
        o["problem"] = r.problem.map { .string($0) } ?? .null
        Output.line(CanonicalJSON.string(.object(o)))
      }
      if !r.ok { throw ExitCode(1) }
    }
  }
}

/// Formats of the small status commands.
enum StatusFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json
}

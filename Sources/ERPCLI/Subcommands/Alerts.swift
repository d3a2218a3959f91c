import ArgumentParser
import ERPCore
import ERPStore
import Foundation

extension ERPCommand {
  struct Alerts: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "alerts",
      abstract: "KPI alerts for cron: targets behind pace, collections, overdue, dormant customers, stock.",
      subcommands: [Check.self, Rules.self, AlertRule.self], defaultSubcommand: Check.self)
  }
}

extension ERPCommand.Alerts {
  struct Check: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Print the alerts that fire (nothing when none does); exit 1 when any fired.",
      discussion: """
        `erpctl alerts` runs this. Rules: target_pace, target_shortfall, collection_rate,
        overdue, dormant_high_value, stock_reorder, with defaults (`erpctl alerts rules`),
        changed by AlertRuleSet events (`erpctl alerts rule set`). Exit 0 when nothing fires,
        1 when something does, 74 when --notify fails (the alerts are still printed).
        --notify CMD runs `/bin/sh -c CMD` once with the alerts as a JSON array on stdin.
        --since-last prints and notifies only what is news since the last --since-last run:
        alerts not notified before, or worse (higher severity, larger amount or shortfall).
        Examples: erpctl alerts --format json
                  erpctl alerts --since-last --notify 'mail -s "erpctl alerts" sales@example.com'
                  erpctl alerts --notify 'curl -sf -H "Content-Type: application/json" --data-binary @- https://hooks.example.com/erp'
        """)

    @OptionGroup var store: StoreLocation
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Evaluate as the log stood on this date (default today).", valueName: "date"))
    var asOf: String?
    @Option(help: "table, csv or json (a plain array).") var format: ReportFormat = .table
    @Option(help: "Language of the messages and table headings.") var lang: Lang = .en
    @Option(help: ArgumentHelp("Run this shell command with the alerts as JSON on stdin.", valueName: "cmd"))
    var notify: String?
    @Flag(name: .customLong("since-last"), help: "Only alerts that are new or worse since the last --since-last run (remembered in the store).")
    var sinceLast = false

    func validate() throws {
      if let asOf, CivilDate.parse(asOf) == nil { throw ValidationError("'--as-of' must be a date YYYY-MM-DD, got '\(asOf)'.") }
      if format == .jsonl { throw ValidationError("alerts write table, csv or json.") }
    }

    func execute() throws {
      let s = try store.open()
      let day = asOf.flatMap(CivilDate.parse) ?? Clock.today(in: s.metadata.timezone)
      let (alerts, head) = try Self.evaluate(s, asOf: day, persisted: asOf == nil, lang: lang)
      var news = alerts
      var memory = AlertMemory()
      if sinceLast {
        memory = AlertMemory(bytes: try s.auxiliary("alerts-notified") ?? [])
        news = memory.news(alerts)
      }
      guard !news.isEmpty else {
        if sinceLast { try s.setAuxiliary("alerts-notified", memory.after(notifying: [], firing: alerts).bytes) }
        return
      }
      let digits = s.metadata.moneyDigits
      let meta = ReportMeta(seq: head.seq, hash: Hex.encode(head.hash), asOf: day, period: nil, report: "alerts")
      switch format {
      case .json, .jsonl: Output.write(Alert.json(news, moneyDigits: digits))
      case .csv: Output.write(render(Alert.document(news, meta: meta, moneyDigits: digits, forTable: false), format: .csv, lang: lang))
      case .table: Output.write(render(Alert.document(news, meta: meta, moneyDigits: digits, forTable: true), format: .table, lang: lang))
      }
      Output.flush()
      if let notify {
        try Self.run(notify, input: Alert.json(news, moneyDigits: digits))
      }
      if sinceLast { try s.setAuxiliary("alerts-notified", memory.after(notifying: news, firing: alerts).bytes) }
      throw ExitCode(1)
    }

    /// Folds what the rules read as of `day` and evaluates the rules in force. With `persisted`
    /// (for today), the sales figures come from the persisted projection, caught up first, as
    /// `report sales` reads them; the other projections are replayed up to the same event.
    static func evaluate(_ s: EventStore, asOf day: CivilDate, persisted: Bool, lang: Lang) throws -> ([Alert], ChainHead) {
      let customers = CustomerProjection()
      let inventory = InventoryProjection()
      let rules = AlertRulesProjection()
      let (sales, head) = try s.salesProjection(asOf: day, persisted: persisted)
      _ = try s.replay([customers, inventory, rules], asOf: day, through: head.seq)
      let inForce = rules.inForce
      var lines: [ReplenishReport.Line] = []
      if inForce.contains(where: { $0.rule == .stockReorder && $0.enabled }) {
        var o = ReplenishReport.Options(asOf: day)
        o.backtest = false
        lines = ReplenishReport.lines(inventory, o)
      }
      var engine = AlertEngine(asOf: day, moneyDigits: s.metadata.moneyDigits, sales: sales, customers: customers, stock: lines)
      engine.lang = lang
      return (engine.evaluate(inForce), head)
    }

    /// Runs `/bin/sh -c command` with `input` on its stdin; its output goes to stderr (stdout
    /// carries only data). A failure to start or a non-zero exit is an I/O error (74).
    static func run(_ command: String, input: String) throws {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/bin/sh")
      p.arguments = ["-c", command]
      let stdin = Pipe()
      p.standardInput = stdin
      p.standardOutput = FileHandle.standardError
      p.standardError = FileHandle.standardError
      // A command that exits without reading all of its input must not kill erpctl: the write
      // then fails with EPIPE, which is ignored (the command's exit status tells).
      signal(SIGPIPE, SIG_IGN)
      do {
        try p.run()
      } catch {
        throw CLIError.io("--notify: cannot run /bin/sh: \(error.localizedDescription)")
      }
      let fd = stdin.fileHandleForWriting.fileDescriptor
      var bytes = Array(input.utf8)[...]
      while !bytes.isEmpty {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 {
          if errno == EINTR { continue }
          break
        }
        bytes = bytes.dropFirst(n)
      }
      try? stdin.fileHandleForWriting.close()
      p.waitUntilExit()
      guard p.terminationReason == .exit, p.terminationStatus == 0 else {
        throw CLIError.io("--notify: the command failed (\(p.terminationReason == .exit ? "exit status \(p.terminationStatus)" : "killed by signal \(p.terminationStatus)")); the alerts are on standard output")
      }
    }
  }

  struct Rules: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "rules",
      abstract: "List the alert rules in force with their parameters (defaults, or the latest AlertRuleSet).")
    @OptionGroup var store: StoreLocation
    @Option(help: "table, csv or json.") var format: ReportFormat = .table

    func execute() throws {
      let s = try store.open(readOnly: true)
      let rules = AlertRulesProjection()
      let head = try s.replay([rules], asOf: nil)
      let digits = s.metadata.moneyDigits
      let columns = [
        Column("rule", .text), Column("enabled", .text), Column("severity", .text), Column("checkpoint", .text),
        Column("threshold", .text), Column("floor", .text), Column("days", .int), Column("amount", .money),
        Column("quantity", .int), Column("seq", .int),
      ]
      let rows: [[Cell]] = rules.inForce.map { r in
        let reads = Set(r.rule.parameters)
        func rate(_ p: AlertParameter, _ v: Rate) -> Cell { reads.contains(p) ? .text(v.text) : .null }
        return [
          .text(r.rule.rawValue), .text(r.enabled ? "true" : "false"), .text(r.severity.rawValue),
          rate(.checkpoint, r.checkpoint), rate(.threshold, r.threshold), rate(.floor, r.floor),
          reads.contains(.days) ? .int(r.days) : .null, reads.contains(.amount) ? .money(r.amount.minorUnits) : .null,
          reads.contains(.quantity) ? .int(r.quantity) : .null, r.seq.map { .int(Int64($0)) } ?? .null,
        ]
      }
      let meta = ReportMeta(seq: head.seq, hash: Hex.encode(head.hash), asOf: Clock.today(in: s.metadata.timezone), period: nil, report: "alert-rules")
      Output.write(render(ReportDocument(meta: meta, columns: columns, rows: rows, moneyDigits: digits), format: format, lang: .en))
    }
  }
}

import ArgumentParser
import ERPCore
import ERPStore

extension ERPCommand.Target {
  struct List: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List the targets in force with actual, completion and pace so far.",
      discussion: """
        One row per target in force (the latest TargetSet per scope, id, metric and period):
        seq, scope, id, metric, period, value (as set), actual (the metric over the period up
        to --as-of: SPEC 5 figures for revenue, gross_margin, collections, collection_rate and
        orders; customers whose first order falls in it for new_customers), completion =
        actual / value, elapsed = days of the period up to and including --as-of / its days,
        pace = completion / elapsed.
        Example: erpctl target list --period 2026-11 --format csv
        """)
    @OptionGroup var store: StoreLocation
    @Option(help: "Only targets of this period.") var period: String?
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Figures as of this date (default today).", valueName: "date"))
    var asOf: String?
    @Option(help: "Output: table (default), csv or json (an array).") var format: ReportFormat = .table

    func validate() throws {
      if let asOf, CivilDate.parse(asOf) == nil { throw ValidationError("'--as-of' must be a date YYYY-MM-DD, got '\(asOf)'.") }
    }

    func execute() throws {
      let s = try store.open()
      let day = asOf.flatMap(CivilDate.parse) ?? Clock.today(in: s.metadata.timezone)
      // The persisted sales projection answers for today (as `report sales` chooses it); a
      // past --as-of, or events dated after it, replay the log up to that day.
      let (sales, head) = try s.salesProjection(asOf: day, persisted: asOf == nil)
      // First purchases only for new_customers targets, from the same events.
      let customers = CustomerProjection()
      if sales.targets.contains(where: { $0.metric == "new_customers" && (period == nil || $0.period == period) }) {
        _ = try s.replay([customers], asOf: day, through: head.seq)
      }
      let engine = AlertEngine(asOf: day, moneyDigits: s.metadata.moneyDigits, sales: sales, customers: customers, stock: [])
      let statuses = engine.targets(current: false, period: period, withSeqs: false)
      let columns = [
        Column("seq", .int), Column("scope", .text), Column("id", .text), Column("metric", .text), Column("period", .text),
        Column("value", .text), Column("target", .text), Column("actual", .text), Column("completion", .rate),
        Column("elapsed", .rate), Column("pace", .rate),
      ]
      let digits = s.metadata.moneyDigits
      if format == .json || format == .jsonl {
        // A plain array; value as it was set (a decimal string or a whole number).
        var out = "["
        for (n, t) in statuses.enumerated() {
          out += n == 0 ? "\n" : ",\n"
          let value = t.target.metric == "orders" || t.target.metric == "new_customers" ? t.target.value : "\"\(t.target.value)\""
          let id = t.target.scope == "company" ? "null" : ReportRenderer.jsonValue(.text(t.target.id), moneyDigits: digits)
          out += "{\"seq\":\(t.target.seq),\"scope\":\"\(t.target.scope)\",\"id\":\(id),\"metric\":\"\(t.target.metric)\""
          out += ",\"period\":\"\(t.target.period)\",\"value\":\(value)"
          out += ",\"target\":" + ReportRenderer.jsonValue(t.cell(t.value), moneyDigits: digits)
          out += ",\"actual\":" + ReportRenderer.jsonValue(t.cell(t.actual), moneyDigits: digits)
          for (k, r) in [("completion", t.completion), ("elapsed", t.elapsed), ("pace", t.pace)] {
            out += ",\"\(k)\":" + ReportRenderer.jsonValue(.rate(r), moneyDigits: digits)
          }
          out += "}"
        }
        Output.write(out + (statuses.isEmpty ? "]\n" : "\n]\n"))
        return
      }
      let text = { (c: Cell) -> Cell in
        .text(format == .table ? ReportRenderer.tableText(c, moneyDigits: digits) : ReportRenderer.csvField(c, moneyDigits: digits))
      }
      let rows: [[Cell]] = statuses.map { t in
        [
          .int(Int64(t.target.seq)), .text(t.target.scope), t.target.scope == "company" ? .null : .text(t.target.id),
          .text(t.target.metric), .text(t.target.period), .text(t.target.value), text(t.cell(t.value)),
          text(t.cell(t.actual)), .rate(t.completion), .rate(t.elapsed), .rate(t.pace),
        ]
      }
      let meta = ReportMeta(seq: head.seq, hash: Hex.encode(head.hash), asOf: day, period: nil, report: "targets")
      Output.write(render(ReportDocument(meta: meta, columns: columns, rows: rows, moneyDigits: digits), format: format, lang: .en))
    }
  }
}

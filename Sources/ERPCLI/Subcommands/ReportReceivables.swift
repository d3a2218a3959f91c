import ArgumentParser
import ERPCore
import ERPStore

extension ERPCommand.Report {
  struct Receivables: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "receivables",
      abstract: "Open invoice balances as of a date: current, overdue and aged, with DSO.",
      discussion: """
        Columns: the --by dimensions (default customer; also rep, team, region, channel, tier,
        the order's at confirmation, or invoice), then open_invoices, receivables, current,
        overdue, aging_0_30, aging_31_60, aging_61_90, aging_90_plus, oldest_due; with --by
        invoice also due and days_overdue. An open balance is the invoice amount less the
        payments matched to it and the credit notes naming it, dated up to --as-of. Days past
        due = as-of - due: 0 or less is current, 1-30 aging_0_30, 31-60, 61-90, 91 and more
        aging_90_plus. The summary adds the totals, revenue_90d (revenue of the 90 days ending
        on the as-of date) and dso = receivables / revenue_90d x 90, to 1 decimal.
        --period, --from and --to keep the invoices issued in that range.
        Examples: erpctl report receivables --as-of 2026-12-31
                  erpctl report receivables --by rep --format csv
                  erpctl report receivables --by customer,invoice --sort days_overdue
        """)

    @OptionGroup var store: StoreLocation
    @OptionGroup var report: ReportOptions

    func execute() throws {
      let s = try store.open()
      let today = Clock.today(in: s.metadata.timezone)
      var q = try report.resolve(today: today, dimensions: ReceivablesReport.dimensions)
      if q.by.isEmpty { q.by = ReceivablesReport.defaultDimensions }
      let (p, head) = try report.salesProjection(s, asOf: q.asOf)
      let query = ReceivablesReport.Query(
        asOf: q.asOf, range: q.range, by: q.by, current: q.currentAttribution)
      let meta = q.meta(report: "receivables", seq: head.seq, hash: Hex.encode(head.hash))
      var doc = ReceivablesReport.document(p, query, meta: meta, moneyDigits: s.metadata.moneyDigits)
      try report.emit(&doc, q)
    }
  }
}

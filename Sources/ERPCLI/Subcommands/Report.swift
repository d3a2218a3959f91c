import ArgumentParser
import ERPCore
import ERPStore
import Foundation

extension ERPCommand {
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "report",
      abstract: "Reports folded from the log (see REPORT CONVENTIONS in erpctl(1)).",
      subcommands: [Sales.self, Customers.self, Funnel.self, Receivables.self, Pivot.self])
  }
}

extension ERPCommand.Report {
  struct Sales: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "sales",
      abstract: "Booked, orders, AOV, revenue, units, COGS, margin, collections by any dimensions.",
      discussion: """
        Columns (SPEC 6): the --by dimensions, then booked, orders, aov, revenue, units, cogs, \
        gross_margin, margin_rate, collections, collection_rate; where a TargetSet applies \
        (company, or --by rep|team|region, for the target's period) target, completion, pace; \
        with --by rep also rank and flag (champion, needs_coaching); with --by product or \
        --by line also revenue_share, revenue_growth and class (star, cash_cow, question, dog).

        Examples:
          erpctl report sales --by rep --period last-month
          erpctl report sales --by region,month --from 2026-01 --to 2026-07 --format csv
          erpctl report sales --by rep --period 2026-11 --explain R-1

        """)

    @OptionGroup var store: StoreLocation
    @OptionGroup var report: ReportOptions

    @Option(help: ArgumentHelp(
      "List the facts (event seqs) behind the row whose --by values are these, comma-separated.",
      valueName: "values"))
    var explain: String?

    @Option(help: ArgumentHelp(
      "The TargetSet metric compared in the target, completion and pace columns: revenue, gross_margin, collections, collection_rate or orders.",
      valueName: "metric"))
    var targetMetric = "revenue"

    func validate() throws {
      guard SalesTargets.metrics.contains(targetMetric) else {
        throw ValidationError("'--target-metric' takes one of \(SalesTargets.metrics.joined(separator: ", ")), not '\(targetMetric)'.")
      }
    }

    func execute() throws {
      let s = try store.open()
      let today = Clock.today(in: s.metadata.timezone)
      let q = try report.resolve(today: today, dimensions: SalesReport.dimensions)
      let query = SalesReport.Query(range: q.range, asOf: q.asOf, by: q.by, current: q.attribution == "current")
      // The month sums of the pre-aggregate answer when no row needs finer detail: not for
      // --explain (it lists facts), day or week groups, or a window (or, for product classes, a
      // previous window) that is not made of whole months.
      let previousQuery = q.range.flatMap { r in
        q.by == ["product"] || q.by == ["line"]
          ? SalesReport.Query(range: Self.previous(r), asOf: q.asOf, by: q.by, current: query.current) : nil
      }
      let monthSums = explain == nil && query.monthSumsSuffice && (previousQuery?.monthSumsSuffice ?? true)
      // Grouped as they are read from the store (this query's rows, then the previous window's).
      var grouped: [[SalesReport.Row]]?
      let (p, head): (SalesProjection, ChainHead)
      if monthSums {
        let r = try report.salesMonthSumRows(s, asOf: q.asOf, [query] + (previousQuery.map { [$0] } ?? []))
        (p, head, grouped) = (r.projection, r.head, r.rows)
      } else {
        (p, head) = try report.salesProjection(s, asOf: q.asOf)
      }
      let meta = ReportMeta(
        seq: head.seq, hash: Hex.encode(head.hash), asOf: q.asOf, period: q.range, report: "sales",
        extra: [("attribution", q.attribution)])
      let digits = s.metadata.moneyDigits

      if let explain {
        let keys = explain.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard keys.count == q.by.count else {
          throw ValidationError("'--explain' takes one value per --by dimension (\(q.by.joined(separator: ","))).")
        }
        let facts = SalesReport.rows(p, query, explain: keys).facts
        var doc = ReportDocument(
          meta: meta,
          columns: [Column("seq", .int), Column("day", .date), Column("measure", .text), Column("amount", .money), Column("qty", .int)],
          rows: facts.map { f in
            let counted = [SalesMeasure.units, .ordersOrder, .ordersSKU, .ordersLine].contains(f.measure)
            return [
              .int(Int64(f.seq)), .date(CivilDate(daysSinceEpoch: f.day)), .text(Self.measureName(f.measure)),
              counted ? .null : .money(f.amount), counted ? .int(f.amount) : .null,
            ]
          },
          summary: [("facts", .int(Int64(facts.count)))], moneyDigits: digits)
        try report.emit(&doc, q)
        return
      }

      let previous = previousQuery.map { grouped?.last ?? SalesReport.rows(p, $0).rows }
      var doc = SalesReport.document(
        p, query, meta: meta, moneyDigits: digits, previous: previous, targetMetric: targetMetric,
        rows: grouped?.first)
      try report.emit(&doc, q)
    }

    static func measureName(_ m: SalesMeasure) -> String {
      switch m {
      case .booked: "booked"
      case .ordersOrder, .ordersSKU, .ordersLine: "orders"
      case .revenue: "revenue"
      case .units: "units"
      case .cogs: "cogs"
      case .collections: "collections"
      case .invoicedByIssue: "invoiced_in_period"
      case .creditByIssue: "credited_against_period"
      case .matchedByIssue: "matched_to_period"
      }
    }

    /// The previous equal period: the previous calendar unit when the range is one (a month's
    /// previous month), else the same number of days before it.
    static func previous(_ r: DateRange) -> DateRange {
      for unit in [PeriodUnit.day, .week, .month, .quarter, .year] where unit.range(of: r.from) == r {
        return unit.range(of: r.from.adding(days: -1))
      }
      let days = Int(r.to.daysSinceEpoch - r.from.daysSinceEpoch)
      return DateRange(from: r.from.adding(days: -days), to: r.from)
    }
  }
}

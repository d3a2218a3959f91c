import ArgumentParser
import ERPCore
import ERPStore
import Foundation

extension ERPCommand.Report {
  struct Pivot: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "pivot",
      abstract: "One sales measure by row dimensions and a column dimension, with totals.",
      discussion: """
        Columns: the --rows dimensions, then one column per value of the --cols dimension
        (sorted; period keys sort by time), then total; the last row is the total row. Every
        cell and total is the measure of its group's sums (a rate total is the ratio of the
        summed numerator and denominator). Measures: booked, orders, aov, revenue, units, cogs,
        gross_margin, margin_rate, collections, collection_rate (as in report sales).
        --by does not apply: give --rows and --cols.
        Examples: erpctl report pivot --measure booked --rows rep --cols month --period 2026
                  erpctl report pivot --measure margin_rate --rows region,channel --cols quarter
        """)

    @OptionGroup var store: StoreLocation
    @OptionGroup var report: ReportOptions

    @Option(help: ArgumentHelp(
      "The measure: booked, orders, aov, revenue, units, cogs, gross_margin, margin_rate, "
        + "collections or collection_rate.",
      valueName: "measure"))
    var measure: String

    @Option(help: ArgumentHelp(
      "Row dimensions, comma-separated (repeatable): any dimension of report sales.",
      valueName: "dim[,dim]"))
    var rows: [String]

    @Option(help: ArgumentHelp(
      "The column dimension: one of the dimensions of report sales, e.g. month.",
      valueName: "dim"))
    var cols: String

    func validate() throws {
      guard report.by.isEmpty else {
        throw ValidationError(
          "'--by' does not apply to report pivot; give the row dimensions with '--rows' "
            + "and the column dimension with '--cols'.")
      }
      _ = try query(asOf: CivilDate(daysSinceEpoch: 0), range: nil, current: false)
    }

    /// The checked pivot query (a usage error names what is wrong).
    func query(asOf: CivilDate, range: DateRange?, current: Bool) throws -> PivotReport.Query {
      var rowDims: [String] = []
      for item in rows.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
        let dim = item.trimmingCharacters(in: .whitespaces).lowercased()
        guard !dim.isEmpty else {
          throw ValidationError("'--rows' has an empty dimension; write e.g. '--rows rep,region'.")
        }
        rowDims.append(dim)
      }
      let q = PivotReport.Query(
        range: range, asOf: asOf, rows: rowDims,
        col: cols.trimmingCharacters(in: .whitespaces).lowercased(),
        measure: measure.trimmingCharacters(in: .whitespaces).lowercased(), current: current)
      do {
        try PivotReport.check(q)
      } catch {
        throw ValidationError(error.message + ".")
      }
      return q
    }

    func execute() throws {
      let s = try store.open()
      let today = Clock.today(in: s.metadata.timezone)
      let q = try report.resolve(today: today, dimensions: [])
      let pivot = try query(asOf: q.asOf, range: q.range, current: q.currentAttribution)
      let (p, head) = try report.salesProjection(s, asOf: q.asOf)
      let meta = q.meta(
        report: "pivot", seq: head.seq, hash: Hex.encode(head.hash),
        extra: [
          ("measure", pivot.measure), ("rows", pivot.rows.joined(separator: ",")), ("cols", pivot.col),
        ])
      let pivoted = PivotReport.document(p, pivot, meta: meta, moneyDigits: s.metadata.moneyDigits)
      var doc = pivoted.document
      // --sort and --top order and cut the rows; the total row stays last.
      try report.arrange(&doc, q)
      doc.rows.append(pivoted.totalRow)
      Output.write(render(doc, format: q.format, lang: q.lang))
    }
  }
}

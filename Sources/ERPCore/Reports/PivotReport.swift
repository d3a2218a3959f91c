/// `report pivot` (SPEC 5: "any measure above by any dimensions on rows and columns"): one
/// measure of `report sales` with row dimensions down and one column dimension across, a
/// `total` column and a `total` row. Values only; rendering is `Render`'s.
///
/// Every cell, and every total, is the measure computed from the sums of its group (a rate of
/// summed numerator and denominator, never a sum or mean of rates). A combination of row and
/// column values without any fact is a group with zero sums: 0 for money and counts, empty for
/// AOV and rates. Totals across products or product lines are computed from the facts grouped
/// without them, because an order of two products counts once in each product's `orders`.
public enum PivotReport {
  /// The measures: the columns of `report sales` (SPEC 6), in order.
  public static var measures: [String] { SalesReport.measureColumns.map(\.name) }
  /// The dimensions of rows and columns (those of `report sales`).
  public static var dimensions: [String] { SalesReport.dimensions }
  /// The name of the total column, and the first cell of the total row.
  public static let total = "total"
  /// The column name of an empty dimension value (an order without promotion, a customer
  /// without tier).
  public static let emptyValue = "(none)"

  public struct Query: Sendable {
    public var range: DateRange?
    public var asOf: CivilDate
    public var rows: [String]
    public var col: String
    public var measure: String
    public var current: Bool

    public init(
      range: DateRange?, asOf: CivilDate, rows: [String], col: String, measure: String,
      current: Bool = false
    ) {
      (self.range, self.asOf, self.rows, self.col, self.measure, self.current) =
        (range, asOf, rows, col, measure, current)
    }

    /// The sales grouping of the cells.
    public var by: [String] { rows + [col] }

    func sales(_ by: [String]) -> SalesReport.Query {
      SalesReport.Query(range: range, asOf: asOf, by: by, current: current)
    }
  }

  /// Checks the measure and dimensions: a known measure; known, distinct dimensions, the column
  /// dimension not among the rows; collections and the collection rate (matched to invoices,
  /// not to products) not by product or line.
  public static func check(_ q: Query) throws(ReportInputError) {
    guard measures.contains(q.measure) else {
      throw ReportInputError(
        "unknown measure '\(q.measure)'; use one of " + measures.joined(separator: ", "))
    }
    guard !q.rows.isEmpty else { throw ReportInputError("give at least one row dimension") }
    for d in q.by where !dimensions.contains(d) {
      throw ReportInputError(
        "unknown dimension '\(d)'; use " + dimensions.joined(separator: ", "))
    }
    guard Set(q.by).count == q.by.count else {
      throw ReportInputError("a dimension is given twice in the rows and columns")
    }
    if ["collections", "collection_rate"].contains(q.measure), q.sales(q.by).byItem {
      throw ReportInputError(
        "'\(q.measure)' is matched to invoices, not to products: it does not split by product or line")
    }
  }

  /// The pivot as a report document without its total row, and the total row (kept apart so
  /// that `--sort` and `--top` leave it last; it covers every row, also those `--top` drops).
  /// `q` must have passed `check`.
  public static func document(
    _ p: SalesProjection, _ q: Query, meta: ReportMeta, moneyDigits: Int
  ) -> (document: ReportDocument, totalRow: [Cell]) {
    let m = SalesReport.measureColumns.firstIndex { $0.name == q.measure } ?? 0
    let kind = SalesReport.measureColumns[m].kind
    let byItem = q.sales(q.by).byItem
    func cell(_ s: SalesReport.Sums?) -> Cell { SalesReport.cells(s ?? SalesReport.Sums(), byItem: byItem)[m] }

    let cells = SalesReport.rows(p, q.sales(q.by)).rows
    var grid: [[String]: [String: SalesReport.Sums]] = [:]
    var colKeys: Set<String> = []
    for r in cells {
      let rowKey = Array(r.keys.dropLast())
      let colKey = r.keys.last ?? ""
      grid[rowKey, default: [:]][colKey] = r.sums
      colKeys.insert(colKey)
    }
    let cols = colKeys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    let rowKeys = grid.keys.sorted { a, b in
      a.lexicographicallyPrecedes(b) { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    // Totals: summed sums, or regrouped facts when a product or line dimension is summed over.
    var rowTotals: [[String]: SalesReport.Sums] = [:]
    var colTotals: [String: SalesReport.Sums] = [:]
    var grand = SalesReport.Sums()
    if byItem {
      for r in SalesReport.rows(p, q.sales(q.rows)).rows { rowTotals[r.keys] = r.sums }
      for r in SalesReport.rows(p, q.sales([q.col])).rows { colTotals[r.keys[0]] = r.sums }
      grand = SalesReport.rows(p, q.sales([])).rows.first?.sums ?? SalesReport.Sums()
    } else {
      for (rowKey, byCol) in grid {
        for (colKey, s) in byCol {
          add(&rowTotals[rowKey, default: SalesReport.Sums()], s)
          add(&colTotals[colKey, default: SalesReport.Sums()], s)
          add(&grand, s)
        }
      }
    }

    let columns = q.rows.map { Column($0, .text) }
      + cols.map { Column($0.isEmpty ? emptyValue : $0, kind) } + [Column(total, kind)]
    let rows: [[Cell]] = rowKeys.map { key in
      key.map { Cell.text($0) } + cols.map { cell(grid[key]?[$0]) } + [cell(rowTotals[key])]
    }
    let totalRow: [Cell] = [.text(total)] + Array(repeating: .text(""), count: q.rows.count - 1)
      + cols.map { cell(colTotals[$0]) } + [cell(grand)]
    let doc = ReportDocument(
      meta: meta, columns: columns, rows: rows, summary: [(total, cell(grand))], moneyDigits: moneyDigits)
    return (doc, totalRow)
  }

  static func add(_ a: inout SalesReport.Sums, _ b: SalesReport.Sums) {
    a.booked += b.booked
    a.orders += b.orders
    a.revenue += b.revenue
    a.units += b.units
    a.cogs += b.cogs
    a.collections += b.collections
    a.invoiced += b.invoiced
    a.credited += b.credited
    a.matched += b.matched
  }
}

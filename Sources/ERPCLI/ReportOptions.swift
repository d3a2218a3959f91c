import ArgumentParser
import ERPCore
import Foundation

// `ReportFormat` alone means the small table|json enum of the status commands in this module
// (Verify.swift); the report formats are ERPCore's.
extension ReportFormat: ExpressibleByArgument {}
extension Lang: ExpressibleByArgument {}
extension Attribution: ExpressibleByArgument {}

/// The options every report command shares (SPEC 4, 7; erpctl(1), REPORT CONVENTIONS).
struct ReportOptions: ParsableArguments {
  @Option(help: ArgumentHelp(
    "The whole period: 2026-11, 2026-Q3, 2026, 2026-11-03, 2026-W45, last-month, "
      + "this-quarter, ytd, 'from 2026-01 to 2026-06', …",
    valueName: "period"))
  var period: String?

  @Option(help: ArgumentHelp(
    "Start (inclusive): a date or the start of a period key.", valueName: "date|period"))
  var from: String?

  @Option(help: ArgumentHelp(
    "End (exclusive): a date or the start of a period key, so '--to 2026-07' stops at June 30.",
    valueName: "date|period"))
  var to: String?

  @Option(name: .customLong("as-of"), help: ArgumentHelp(
    "Replay the log only up to this business date (inclusive); "
      + "default today in the store's timezone.",
    valueName: "date"))
  var asOf: String?

  @Option(help: ArgumentHelp(
    "Group by these dimensions, comma-separated (repeatable): rep, team, region, channel, "
      + "customer, tier, product, line, source, promotion, day, week, month, quarter, year.",
    valueName: "dim[,dim]"))
  var by: [String] = []

  @Option(help: ArgumentHelp("Keep only the first N rows (after sorting).", valueName: "n"))
  var top: Int?

  @Option(help: ArgumentHelp(
    "Sort the rows by a column; numbers default to descending, text and dates to ascending.",
    valueName: "column[:asc|:desc]"))
  var sort: String?

  @Option(help: "Output format (csv and json are stable; see erpctl(1)).")
  var format: ReportFormat = .table

  @Option(help: "Language of table headings, labels and the reproducibility line.")
  var lang: Lang = .en

  @Option(help: "Dimensions as the events carried them, or as master data is now.")
  var attribution: Attribution = .event

  init() {}

  /// Checks what can be checked before the store is open: with `--as-of`, the whole range;
  /// without it, the syntax only (today comes from the store's timezone, in `resolve`).
  func validate() throws {
    if let asOfDate = try parsedAsOf() {
      _ = try range(asOf: asOfDate)
    } else {
      do {
        try DateRange.checkSyntax(period: period, from: from, to: to)
      } catch {
        throw ValidationError(error.message + ".")
      }
    }
    _ = try dimensions(allowed: nil)
    _ = try parsedTop()
    _ = try parsedSort()
  }

  /// The checked query. `today` is today's date in the store's timezone (the default as-of);
  /// `dimensions` are the `--by` values this report supports.
  func resolve(today: CivilDate, dimensions allowed: [String] = ReportQuery.allDimensions) throws
    -> ReportQuery
  {
    let asOfDate = try parsedAsOf() ?? today
    let sortSpec = try parsedSort()
    return ReportQuery(
      asOf: asOfDate, range: try range(asOf: asOfDate), by: try dimensions(allowed: allowed),
      top: try parsedTop(), sort: sortSpec.map { ($0.column, $0.descending ?? true) },
      sortDirectionGiven: sortSpec?.descending != nil, format: format, lang: lang,
      attribution: attribution.rawValue)
  }

  /// The text of a usage error (tests and callers that print it themselves).
  static func message(for error: any Error) -> String {
    (error as? ValidationError)?.message ?? "\(error)"
  }

  private func parsedAsOf() throws -> CivilDate? {
    guard let asOf else { return nil }
    guard let d = CivilDate.parse(asOf) else {
      throw ValidationError("'--as-of' must be a date YYYY-MM-DD, got '\(asOf)'.")
    }
    return d
  }

  private func range(asOf: CivilDate) throws -> DateRange? {
    do {
      return try DateRange.resolve(period: period, from: from, to: to, asOf: asOf)
    } catch {
      throw ValidationError(error.message + ".")
    }
  }

  /// The `--by` values, checked against `allowed` (the command's dimensions) when given.
  private func dimensions(allowed: [String]?) throws -> [String] {
    var out: [String] = []
    for item in by.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
      let dim = item.trimmingCharacters(in: .whitespaces).lowercased()
      guard !dim.isEmpty else {
        throw ValidationError("'--by' has an empty dimension; write e.g. '--by rep,month'.")
      }
      if let allowed, !allowed.contains(dim) {
        throw ValidationError(
          allowed.isEmpty
            ? "'--by': this report takes no dimensions."
            : "'--by': unknown dimension '\(dim)'; this report accepts " + allowed.joined(separator: ", ") + ".")
      }
      guard !out.contains(dim) else { throw ValidationError("'--by': '\(dim)' is given twice.") }
      out.append(dim)
    }
    return out
  }

  private func parsedTop() throws -> Int? {
    guard let top else { return nil }
    guard top > 0 else { throw ValidationError("'--top' must be a positive integer, got \(top).") }
    return top
  }

  private func parsedSort() throws -> (column: String, descending: Bool?)? {
    guard let sort else { return nil }
    var column = Substring(sort)
    var descending: Bool?
    if let colon = sort.lastIndex(of: ":") {
      column = sort[..<colon]
      switch sort[sort.index(after: colon)...].lowercased() {
      case "asc": descending = false
      case "desc": descending = true
      default:
        throw ValidationError("'--sort' takes COLUMN, COLUMN:asc or COLUMN:desc, got '\(sort)'.")
      }
    }
    guard !column.isEmpty else {
      throw ValidationError("'--sort' takes COLUMN, COLUMN:asc or COLUMN:desc, got '\(sort)'.")
    }
    return (String(column), descending)
  }
}

extension ReportOptions {
  /// `emit(_:_:)`: sort, keep the top rows and print.
  func emit(_ doc: inout ReportDocument, _ query: ReportQuery) throws {
    try emitReport(&doc, query)
  }
}

/// Applies the query's `--sort` and `--top` to `doc` and writes it to standard output in the
/// query's format and language. An unknown sort column is a usage error (64).
func emit(_ doc: inout ReportDocument, _ query: ReportQuery) throws {
  try emitReport(&doc, query)
}

extension ReportOptions {
  /// Applies `--sort` and `--top` to `doc` without printing it (for a report that adds rows
  /// after them, as `report pivot` adds its total row).
  func arrange(_ doc: inout ReportDocument, _ query: ReportQuery) throws {
    try arrangeReport(&doc, query)
  }
}

private func emitReport(_ doc: inout ReportDocument, _ query: ReportQuery) throws {
  try arrangeReport(&doc, query)
  var out: [UInt8] = []
  render(doc, format: query.format, lang: query.lang, into: &out)
  Output.write(bytes: out)
}

private func arrangeReport(_ doc: inout ReportDocument, _ query: ReportQuery) throws {
  if let (column, descending) = query.sort {
    var desc = descending
    if !query.sortDirectionGiven, let i = doc.columnIndex(column), !doc.columns[i].kind.isNumeric {
      desc = false
    }
    do {
      try doc.sort(by: column, descending: desc)
    } catch {
      throw ValidationError("'--sort': " + error.message + ".")
    }
  }
  if let top = query.top { doc.keepTop(top) }
}

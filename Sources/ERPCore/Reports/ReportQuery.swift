/// Which dimension values an order-derived figure is attributed to (SPEC 5): those the event
/// carried when it happened (`event`, the default; history is never rewritten) or the master
/// data as it is now (`current`).
public enum Attribution: String, Sendable, CaseIterable {
  case event, current
}

/// A report request after the shared options were checked (`--period`, `--from/--to`,
/// `--as-of`, `--by`, `--top`, `--sort`, `--format`, `--lang`, `--attribution`).
public struct ReportQuery: Sendable {
  /// The SPEC 4 dimensions, in the order the man page lists them.
  public static let allDimensions = [
    "rep", "team", "region", "channel", "customer", "tier", "product", "line", "source",
    "promotion", "day", "week", "month", "quarter", "year",
  ]

  /// Events dated after this business date are not replayed.
  public var asOf: CivilDate
  /// nil: all history up to `asOf`.
  public var range: DateRange?
  /// Grouping dimensions, in the order given; they become the first columns.
  public var by: [String]
  public var top: Int?
  /// The column to sort by and the direction (`descending` true: biggest first).
  public var sort: (column: String, descending: Bool)?
  /// Whether `--sort` named the direction; when it did not, `emit` sorts text and date
  /// columns ascending and number columns descending.
  public var sortDirectionGiven: Bool
  public var format: ReportFormat
  public var lang: Lang
  /// `event` (the default) or `current`: an `Attribution` raw value.
  public var attribution: String

  public init(
    asOf: CivilDate, range: DateRange? = nil, by: [String] = [], top: Int? = nil,
    sort: (column: String, descending: Bool)? = nil, sortDirectionGiven: Bool = true,
    format: ReportFormat = .table, lang: Lang = .en,
    attribution: String = Attribution.event.rawValue
  ) {
    self.asOf = asOf
    self.range = range
    self.by = by
    self.top = top
    self.sort = sort
    self.sortDirectionGiven = sortDirectionGiven
    self.format = format
    self.lang = lang
    self.attribution = attribution
  }

  /// Whether dimensions are taken from the master data as it is now (`--attribution current`).
  public var currentAttribution: Bool { attribution == Attribution.current.rawValue }

  /// The dates whose events count: the range (or all history) cut at the as-of date, i.e.
  /// `range.from` ≤ date < min(`range.to`, as-of + 1). Empty when the range starts after as-of.
  public var window: DateRange {
    let end = asOf.adding(days: 1)
    guard let range else { return DateRange(from: DateRange.beginningOfTime, to: end) }
    let to = min(range.to, end)
    return DateRange(from: range.from, to: max(to, range.from))
  }

  /// The meta of a report computed for this query at the store head `seq`/`hash`; the
  /// attribution is recorded first among the extras.
  public func meta(
    report: String, seq: UInt64, hash: String, extra: [(String, String)] = []
  ) -> ReportMeta {
    ReportMeta(
      seq: seq, hash: hash, asOf: asOf, period: range, report: report,
      extra: [("attribution", attribution)] + extra)
  }
}

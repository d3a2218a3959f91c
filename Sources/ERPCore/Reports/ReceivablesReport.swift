/// `report receivables` (SPEC 5: "Receivables = open invoice balances; overdue = due before
/// as-of; aging 0-30/31-60/61-90/90+"), computed from the sales projection's open invoices.
/// Values only; rendering is `Render`'s.
///
/// Definitions, as of the date D:
/// - an invoice's open balance = its amount − Σ PaymentMatched on it − Σ CreditNoteIssued naming
///   it, over the events dated ≤ D, never below 0; invoices with no open balance are left out;
/// - days past due = D − due (calendar days); `current` when ≤ 0 (due on or after D), else
///   overdue and aged: 1–30 days `aging_0_30`, 31–60 `aging_31_60`, 61–90 `aging_61_90`,
///   91 and more `aging_90_plus`; `overdue` = the sum of the four buckets;
/// - `dso` (summary) = receivables / revenue of the 90 days ending on D × 90, where that revenue
///   is Σ InvoiceIssued.amount − Σ CreditNoteIssued.amount dated D − 89 … D (SPEC 5 revenue),
///   rounded half away from zero to 1 decimal; null when that revenue is not above 0.
public enum ReceivablesReport {
  /// The dimensions `--by` takes: the order's at confirmation, and `invoice` for one row per
  /// open invoice.
  public static let dimensions = ["customer", "rep", "team", "region", "channel", "tier", "invoice"]
  /// Without `--by`: one row per customer.
  public static let defaultDimensions = ["customer"]
  /// The window of the DSO's revenue, in days ending on the as-of date.
  public static let dsoDays = 90

  /// The aging buckets of an open balance.
  public enum Bucket: Int, Sendable, CaseIterable {
    case current, days0to30, days31to60, days61to90, days90plus

    /// The bucket of an invoice `daysPastDue` days past its due date (as-of − due).
    public init(daysPastDue d: Int) {
      switch d {
      case ...0: self = .current
      case 1...30: self = .days0to30
      case 31...60: self = .days31to60
      case 61...90: self = .days61to90
      default: self = .days90plus
      }
    }
  }

  /// Sums of one group.
  public struct Sums: Sendable, Equatable {
    public var openInvoices: Int64 = 0
    public var receivables: Int64 = 0
    /// Open balances per `Bucket`, by its raw value.
    public var buckets: [Int64] = Array(repeating: 0, count: Bucket.allCases.count)
    public var oldestDue: CivilDate?
    public init() {}

    public var current: Int64 { buckets[Bucket.current.rawValue] }
    public var overdue: Int64 { receivables - current }

    /// Adds one open invoice.
    public mutating func add(open: Int64, due: CivilDate, asOf: CivilDate) {
      openInvoices += 1
      receivables += open
      buckets[Bucket(daysPastDue: ReceivablesReport.daysPastDue(due: due, asOf: asOf)).rawValue] += open
      oldestDue = oldestDue.map { min($0, due) } ?? due
    }

    /// Adds another group's sums.
    public mutating func add(_ s: Sums) {
      openInvoices += s.openInvoices
      receivables += s.receivables
      for i in buckets.indices { buckets[i] += s.buckets[i] }
      if let d = s.oldestDue { oldestDue = oldestDue.map { min($0, d) } ?? d }
    }
  }

  /// One row: the group's dimension values (in `--by` order) and its sums; `due` when the
  /// group is one invoice (`--by` holds `invoice`).
  public struct Row: Sendable, Equatable {
    public var keys: [String]
    public var sums: Sums
    public var due: CivilDate?
  }

  public struct Query: Sendable {
    public var asOf: CivilDate
    /// When given, only invoices issued in the range (by their issue date).
    public var range: DateRange?
    public var by: [String]
    /// Dimensions as the master data says now instead of at confirmation.
    public var current: Bool

    public init(asOf: CivilDate, range: DateRange? = nil, by: [String], current: Bool = false) {
      (self.asOf, self.range, self.by, self.current) = (asOf, range, by, current)
    }

    /// Whether each row is one invoice.
    public var byInvoice: Bool { by.contains("invoice") }
  }

  /// as-of − due, in days (positive when past due).
  public static func daysPastDue(due: CivilDate, asOf: CivilDate) -> Int {
    Int(asOf.daysSinceEpoch) - Int(due.daysSinceEpoch)
  }

  /// Groups the open invoices by the query's dimensions; rows sorted by their keys. The
  /// projection must be folded up to the as-of date and no further (the caller replays the log
  /// up to it when the log holds later events): the matched and credited sums are the fold's.
  public static func rows(_ p: SalesProjection, _ q: Query) -> [Row] {
    var groups: [[String]: Row] = [:]
    for inv in p.openInvoices where inv.issued <= q.asOf {
      if let r = q.range, !r.contains(inv.issued) { continue }
      let t = p.tuples[Int(inv.tuple)]
      let keys = q.by.map { value(of: $0, invoice: inv.invoice, t, p, current: q.current) }
      var row = groups[keys] ?? Row(keys: keys, sums: Sums(), due: q.byInvoice ? inv.due : nil)
      row.sums.add(open: inv.open, due: inv.due, asOf: q.asOf)
      groups[keys] = row
    }
    return groups.values.sorted { a, b in
      a.keys.lexicographicallyPrecedes(b.keys) { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
  }

  /// The value of dimension `dim` for an invoice of an order with dimensions `t`.
  static func value(
    of dim: String, invoice: String, _ t: DimTuple, _ p: SalesProjection, current: Bool
  ) -> String {
    switch dim {
    case "invoice": return invoice
    case "customer": return t.customer
    case "rep": return t.rep
    case "team": return current ? p.currentRep(t.rep)?.team ?? t.team : t.team
    case "region": return current ? p.currentCustomer(t.customer)?.region ?? t.region : t.region
    case "channel": return current ? p.currentCustomer(t.customer)?.channel ?? t.channel : t.channel
    case "tier": return current ? p.currentCustomer(t.customer)?.tier ?? t.tier : t.tier
    default: return ""
    }
  }

  /// Revenue (SPEC 5: invoiced amounts less credit notes, by their dates) of the `dsoDays` days
  /// ending on `asOf`: the projection's revenue facts dated `asOf` − 89 … `asOf`.
  public static func revenueForDSO(_ p: SalesProjection, asOf: CivilDate) -> Int64 {
    let last = asOf.daysSinceEpoch
    let first = last - Int32(dsoDays - 1)
    var sum: Int64 = 0
    for f in p.facts where f.measure == .revenue && f.day >= first && f.day <= last { sum += f.amount }
    return sum
  }

  /// receivables / revenue × 90 (days), half away from zero to 1 decimal; null when the
  /// revenue is not above 0.
  public static func dso(receivables: Int64, revenue: Int64) -> Cell {
    guard revenue > 0 else { return .null }
    let tenths = LineMath.divideRounded(Int128(receivables) * Int128(dsoDays * 10), Int128(revenue))
    return .decimal(Int64(clamping: tenths), scale: 1)
  }

  /// The columns after the dimensions.
  public static let measureColumns: [Column] = [
    Column("open_invoices", .int), Column("receivables", .money), Column("current", .money),
    Column("overdue", .money), Column("aging_0_30", .money), Column("aging_31_60", .money),
    Column("aging_61_90", .money), Column("aging_90_plus", .money), Column("oldest_due", .date),
  ]

  /// With `invoice` among the dimensions, after the measure columns.
  public static let invoiceColumns: [Column] = [Column("due", .date), Column("days_overdue", .int)]

  /// The measure cells of one group.
  public static func cells(_ s: Sums) -> [Cell] {
    [
      .int(s.openInvoices), .money(s.receivables), .money(s.current), .money(s.overdue),
      .money(s.buckets[Bucket.days0to30.rawValue]), .money(s.buckets[Bucket.days31to60.rawValue]),
      .money(s.buckets[Bucket.days61to90.rawValue]), .money(s.buckets[Bucket.days90plus.rawValue]),
      s.oldestDue.map { .date($0) } ?? .null,
    ]
  }

  /// The whole report document: one row per group (per open invoice with `--by invoice`, with
  /// its `due` date and `days_overdue`, 0 when not yet due), and a summary with the totals over
  /// all rows, `revenue_90d` and `dso`.
  public static func document(
    _ p: SalesProjection, _ q: Query, meta: ReportMeta, moneyDigits: Int
  ) -> ReportDocument {
    let groups = rows(p, q)
    var columns = q.by.map { Column($0, .text) } + measureColumns
    if q.byInvoice { columns += invoiceColumns }
    let out: [[Cell]] = groups.map { r in
      var row = r.keys.map { Cell.text($0) } + cells(r.sums)
      if q.byInvoice, let due = r.due {
        row += [.date(due), .int(Int64(max(0, daysPastDue(due: due, asOf: q.asOf))))]
      }
      return row
    }
    var total = Sums()
    for r in groups { total.add(r.sums) }
    let revenue = revenueForDSO(p, asOf: q.asOf)
    var summary = Array(zip(measureColumns.map(\.name), cells(total)))
    summary += [("revenue_90d", .money(revenue)), ("dso", dso(receivables: total.receivables, revenue: revenue))]
    return ReportDocument(meta: meta, columns: columns, rows: out, summary: summary, moneyDigits: moneyDigits)
  }
}

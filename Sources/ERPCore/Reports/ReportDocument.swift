/// A rate rounded half away from zero to 4 decimals, held exactly in ten-thousandths
/// (`0.4137` = 4137): SPEC 7's rates (`margin_rate`, `collection_rate`, `completion`, …).
public struct Ratio4: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var tenThousandths: Int64

  public init(tenThousandths: Int64) { self.tenThousandths = tenThousandths }

  /// numerator / denominator rounded half away from zero to 4 decimals; nil when the denominator
  /// is 0 (SPEC 7: no denominator, empty in CSV, null in JSON).
  public static func of(_ numerator: Int64, _ denominator: Int64) -> Ratio4? {
    of(Int128(numerator), Int128(denominator))
  }

  /// numerator / denominator rounded half away from zero to 4 decimals, in exact integer
  /// arithmetic for any 128-bit operands; nil when the denominator is 0. A ratio beyond
  /// ±922,337,203,685,477 (Int64 ten-thousandths) saturates there. (Disfavoured so that
  /// integer literals pick the Int64 overload.)
  @_disfavoredOverload
  public static func of(_ numerator: Int128, _ denominator: Int128) -> Ratio4? {
    guard denominator != 0 else { return nil }
    let negative = (numerator < 0) != (denominator < 0)
    let n = numerator.magnitude
    let d = denominator.magnitude
    let whole = n / d
    var r = n % d
    // Four decimal digits by long division. 10·r can overflow 128 bits when d is huge, so each
    // digit is found by adding r ten times modulo d (r < d keeps every sum below 2d ≤ 2^128).
    var fraction: UInt128 = 0
    for _ in 0..<4 {
      var digit: UInt128 = 0
      var acc: UInt128 = 0
      for _ in 0..<10 {
        if acc >= d - r {
          acc -= d - r
          digit += 1
        } else {
          acc += r
        }
      }
      fraction = fraction * 10 + digit
      r = acc
    }
    // Half away from zero on the magnitude: up when the remainder is at least half of d.
    if r >= d - r { fraction += 1 }
    let limit = UInt128(Int64.max)
    guard whole <= limit / 10_000 else {
      return Ratio4(tenThousandths: negative ? -Int64.max : Int64.max)
    }
    let total = whole * 10_000 + fraction
    let clamped = Int64(min(total, limit))
    return Ratio4(tenThousandths: negative ? -clamped : clamped)
  }

  public static func < (a: Ratio4, b: Ratio4) -> Bool { a.tenThousandths < b.tenThousandths }

  /// Exactly four decimals: `0.4137`, `1.0000`, `-0.0500` (CSV form).
  public var fixed4: String { Money(minorUnits: tenThousandths).format(digits: 4) }

  /// Up to four decimals, trailing zeros dropped: `0.4137`, `1`, `0.5`, `-0.05` (JSON form).
  public var shortest: String { trimFraction(fixed4) }

  /// Percent with two decimals: `41.37%`, `100.00%`, `-5.00%` (table form; exact, since four
  /// decimals of a ratio are two decimals of a percent).
  public var percent: String { Money(minorUnits: tenThousandths).format(digits: 2) + "%" }

  public var description: String { shortest }
}

/// Drops trailing fraction zeros and a bare point: `1.5000` → `1.5`, `2.00` → `2`.
func trimFraction(_ s: String) -> String {
  guard s.contains(".") else { return s }
  var t = Substring(s)
  while t.last == "0" { t.removeLast() }
  if t.last == "." { t.removeLast() }
  return String(t)
}

/// One value of a report: a row cell or a summary value.
public enum Cell: Sendable, Hashable {
  case text(String)
  case int(Int64)
  /// Minor units of the store's currency (`ReportDocument.moneyDigits`).
  case money(Int64)
  /// nil when the rate has no denominator.
  case rate(Ratio4?)
  case date(CivilDate)
  /// A fixed-point number that is neither money nor a rate (e.g. expected purchases, MASE):
  /// `value` × 10^−`scale`, written with exactly `scale` decimals in CSV and as a number in JSON.
  case decimal(Int64, scale: Int)
  case null

  /// Whether the cell has no value (`null`, or a rate without a denominator).
  public var isNull: Bool {
    switch self {
    case .null, .rate(nil): true
    default: false
    }
  }
}

/// A report column: its stable snake_case name (SPEC 6, the CSV header and JSON key) and kind.
public struct Column: Sendable, Hashable {
  public var name: String
  public var kind: Kind

  public enum Kind: Sendable, Hashable {
    case text, int, money, rate, date, decimal

    /// Numbers are right-aligned in tables and sort biggest first by default.
    public var isNumeric: Bool {
      switch self {
      case .int, .money, .rate, .decimal: true
      case .text, .date: false
      }
    }
  }

  public init(_ name: String, _ kind: Kind) {
    self.name = name
    self.kind = kind
  }
}

/// What a report was computed from, for reproducibility (SPEC 5): the store's head `seq` and
/// `hash`, the as-of date and the period.
public struct ReportMeta: Sendable {
  public var seq: UInt64
  /// The head hash in lower-case hex.
  public var hash: String
  public var asOf: CivilDate
  /// nil: all history up to the as-of date.
  public var period: DateRange?
  /// The report's name, e.g. `sales`.
  public var report: String
  /// Further settings the numbers depend on, in order, e.g. `("attribution", "event")`.
  public var extra: [(String, String)]

  public init(
    seq: UInt64, hash: String, asOf: CivilDate, period: DateRange?, report: String,
    extra: [(String, String)] = []
  ) {
    self.report = report
    self.seq = seq
    self.hash = hash
    self.asOf = asOf
    self.period = period
    self.extra = extra
  }
}

/// The value a report computes, separate from its rendering (`render(_:format:lang:)`).
public struct ReportDocument: Sendable {
  public var meta: ReportMeta
  public var columns: [Column]
  /// Each row has one cell per column, in column order.
  public var rows: [[Cell]]
  /// Totals and other figures about all rows (not only those kept by `keepTop`).
  public var summary: [(String, Cell)]
  /// Further named objects after `summary` in JSON (e.g. the customers report's `model`);
  /// printed as `name.key: value` lines in a table; not in CSV or JSON Lines.
  public var sections: [(String, [(String, Cell)])]
  /// The currency's minor digits (2 for CNY): how `money` cells are written.
  public var moneyDigits: Int

  public init(
    meta: ReportMeta, columns: [Column], rows: [[Cell]] = [], summary: [(String, Cell)] = [],
    moneyDigits: Int = 2, sections: [(String, [(String, Cell)])] = []
  ) {
    self.meta = meta
    self.columns = columns
    self.rows = rows
    self.summary = summary
    self.sections = sections
    self.moneyDigits = moneyDigits
  }

  /// The position of the column named `name`.
  public func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }

  /// Sorts the rows by a column, stably: equal values keep their order and empty values
  /// (`null`, a rate without denominator) come last in either direction. Text compares by
  /// Unicode scalar values. An unknown column is an error that lists the columns.
  public mutating func sort(by column: String, descending: Bool) throws(ReportInputError) {
    guard let c = columnIndex(column) else {
      throw ReportInputError(
        "unknown sort column '\(column)'; columns: \(columns.map(\.name).joined(separator: ", "))")
    }
    let keyed = rows.enumerated().map { (offset: $0.offset, row: $0.element) }
    rows = keyed.sorted { a, b in
      let x = c < a.row.count ? a.row[c] : .null
      let y = c < b.row.count ? b.row[c] : .null
      switch (x.isNull, y.isNull) {
      case (true, false): return false
      case (false, true): return true
      case (true, true): return a.offset < b.offset
      case (false, false): break
      }
      let order = Self.compare(x, y)
      if order == 0 { return a.offset < b.offset }
      return descending ? order > 0 : order < 0
    }.map(\.row)
  }

  /// Keeps the first `n` rows (none when `n` ≤ 0).
  public mutating func keepTop(_ n: Int) {
    if rows.count > n { rows.removeSubrange(max(0, n)...) }
  }

  /// −1, 0 or 1 for two non-null cells; cells of different kinds order by kind.
  static func compare(_ x: Cell, _ y: Cell) -> Int {
    func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (b < a ? 1 : 0) }
    switch (x, y) {
    case (.text(let a), .text(let b)):
      if a.unicodeScalars.elementsEqual(b.unicodeScalars) { return 0 }
      return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : 1
    case (.int(let a), .int(let b)), (.money(let a), .money(let b)): return sign(a, b)
    case (.rate(let a?), .rate(let b?)): return sign(a, b)
    case (.date(let a), .date(let b)): return sign(a, b)
    case (.decimal(let a, let sa), .decimal(let b, let sb)):
      // Compare a·10^−sa with b·10^−sb at the larger scale (128 bits: no overflow for scales ≤ 18).
      let s = max(sa, sb)
      return sign(Int128(a) * pow10(s - sa), Int128(b) * pow10(s - sb))
    default: return sign(rank(x), rank(y))
    }
  }

  private static func rank(_ c: Cell) -> Int {
    switch c {
    case .int: 0
    case .money: 1
    case .decimal: 2
    case .rate: 3
    case .date: 4
    case .text: 5
    case .null: 6
    }
  }

  private static func pow10(_ n: Int) -> Int128 {
    var p: Int128 = 1
    for _ in 0..<min(max(n, 0), 36) { p *= 10 }
    return p
  }
}

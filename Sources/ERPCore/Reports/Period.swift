/// A half-open range of business dates, `from` ≤ date < `to` (SPEC 5: a period's end is
/// exclusive).
public struct DateRange: Sendable, Hashable, CustomStringConvertible {
  public var from: CivilDate
  /// The first date after the range (exclusive end).
  public var to: CivilDate

  public init(from: CivilDate, to: CivilDate) {
    self.from = from
    self.to = to
  }

  /// Whether `d` lies in the range (`from` ≤ d < `to`).
  public func contains(_ d: CivilDate) -> Bool { from <= d && d < to }

  /// The number of days in the range (0 when empty).
  public var days: Int { max(0, Int(to.daysSinceEpoch) - Int(from.daysSinceEpoch)) }

  public var isEmpty: Bool { to <= from }

  /// `2026-11-01..2026-12-01`, the end exclusive (as in the reproducibility line).
  public var description: String { "\(from)..\(to)" }

  /// 0001-01-01, the start of a range given only an end (`--to B` without `--from`).
  public static let beginningOfTime = CivilDate(daysSinceEpoch: -719_162)

  /// The range of the report options (SPEC 7): `--period P` covers the whole period P;
  /// `--from A --to B` covers A ≤ date < B, where A and B are dates, period keys or relative
  /// names and each stands for the *start* of its period (so `--to 2026-07` ends before July);
  /// `--from` alone runs to the as-of date (inclusive), `--to` alone from the beginning of time.
  /// Neither gives nil: all history up to the as-of date. `period` together with `from` or
  /// `to` is an error, and so is an empty range.
  public static func resolve(
    period: String?, from: String?, to: String?, asOf: CivilDate
  ) throws(ReportInputError) -> DateRange? {
    if let period {
      if from != nil || to != nil {
        throw ReportInputError(
          "'--period' cannot be combined with '--from' or '--to'; use one or the other")
      }
      return try PeriodExpression.parse(period, today: asOf, option: "--period")
    }
    if from == nil && to == nil { return nil }
    var start = beginningOfTime
    var end = asOf.adding(days: 1)
    if let from { start = try PeriodExpression.single(from, today: asOf, option: "--from").from }
    if let to { end = try PeriodExpression.single(to, today: asOf, option: "--to").from }
    guard start < end else {
      if to == nil {
        throw ReportInputError(
          "'--from \(from ?? "")' starts on \(start), after the as-of date \(asOf); "
            + "give '--to' or a later '--as-of'")
      }
      throw ReportInputError(
        "'--from \(from ?? "")' (\(start)) must be before '--to \(to ?? "")' (\(end)); "
          + "the end is exclusive")
    }
    return DateRange(from: start, to: end)
  }
}

extension DateRange {
  /// Checks the period options without an as-of date: the combination rule and the syntax of
  /// each value (whether a range is empty can depend on the as-of date, so it is left to
  /// `resolve`).
  public static func checkSyntax(
    period: String?, from: String?, to: String?
  ) throws(ReportInputError) {
    let anyDay = CivilDate(daysSinceEpoch: 0)
    if let period {
      if from != nil || to != nil {
        throw ReportInputError(
          "'--period' cannot be combined with '--from' or '--to'; use one or the other")
      }
      let words = period.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
      if words.count == 4, words[0].lowercased() == "from", words[2].lowercased() == "to" {
        _ = try PeriodExpression.single(words[1], today: anyDay, option: "--period")
        _ = try PeriodExpression.single(words[3], today: anyDay, option: "--period")
      } else {
        _ = try PeriodExpression.parse(period, today: anyDay, option: "--period")
      }
    }
    if let from { _ = try PeriodExpression.single(from, today: anyDay, option: "--from") }
    if let to { _ = try PeriodExpression.single(to, today: anyDay, option: "--to") }
  }
}

/// A wrong period, date, column or option value in a report request, with a message that says
/// what is accepted. The command line turns it into a usage error (exit 64).
public struct ReportInputError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// The calendar units reports group by and periods are named in (SPEC 6 keys).
public enum PeriodUnit: String, Sendable, CaseIterable {
  case day, week, month, quarter, year

  /// The key of the period containing `d`: `2026-11-03`, `2026-W45` (ISO 8601 week and
  /// week-numbering year), `2026-11`, `2026-Q4`, `2026`.
  public func key(of d: CivilDate) -> String {
    let (y, m, _) = d.components
    switch self {
    case .day: return d.description
    case .week:
      let (wy, w) = d.isoWeek
      return pad(wy, 4) + "-W" + pad(w, 2)
    case .month: return pad(y, 4) + "-" + pad(m, 2)
    case .quarter: return pad(y, 4) + "-Q" + String((m - 1) / 3 + 1)
    case .year: return pad(y, 4)
    }
  }

  /// The whole period containing `d` (weeks run Monday to Sunday).
  public func range(of d: CivilDate) -> DateRange {
    let (y, m, _) = d.components
    switch self {
    case .day:
      return DateRange(from: d, to: d.adding(days: 1))
    case .week:
      let monday = d.adding(days: 1 - d.isoWeekday)
      return DateRange(from: monday, to: monday.adding(days: 7))
    case .month:
      return Self.months(y, m, count: 1)
    case .quarter:
      return Self.months(y, (m - 1) / 3 * 3 + 1, count: 3)
    case .year:
      return Self.months(y, 1, count: 12)
    }
  }

  /// The period a key names (the inverse of `key(of:)`), or nil when `key` is not a valid key
  /// of this unit. `w` and `q` are accepted in lower case too.
  public func range(key: String) -> DateRange? {
    guard case .success(let found) = PeriodKeyParser.parse(key), found.unit == self else {
      return nil
    }
    return found.range
  }

  /// The key's unit and period, whatever the unit; nil when `key` is no period key.
  public static func parse(key: String) -> (unit: PeriodUnit, range: DateRange)? {
    guard case .success(let found) = PeriodKeyParser.parse(key) else { return nil }
    return found
  }

  /// `count` whole months starting with month `m` of year `y`.
  static func months(_ y: Int, _ m: Int, count: Int) -> DateRange {
    let start = CivilDate(daysSinceEpoch: daysFromCivil(y, m, 1))
    var days = 0
    var (yy, mm) = (y, m)
    for _ in 0..<count {
      days += CivilDate.daysIn(month: mm, year: yy)
      mm += 1
      if mm > 12 { (yy, mm) = (yy + 1, 1) }
    }
    return DateRange(from: start, to: start.adding(days: days))
  }
}

extension CivilDate {
  /// ISO 8601 weekday: Monday 1 … Sunday 7 (1970-01-01 was a Thursday).
  public var isoWeekday: Int {
    let r = (Int(daysSinceEpoch) + 3) % 7
    return (r < 0 ? r + 7 : r) + 1
  }

  /// ISO 8601 week-numbering year and week (1…53): the week belongs to the year of its Thursday.
  public var isoWeek: (year: Int, week: Int) {
    let thursday = adding(days: 4 - isoWeekday)
    let y = thursday.components.year
    let jan1 = daysFromCivil(y, 1, 1)
    return (y, (Int(thursday.daysSinceEpoch) - Int(jan1)) / 7 + 1)
  }

  /// The number of ISO weeks (52 or 53) of week-numbering year `y`: the week of 28 December.
  public static func isoWeeks(inYear y: Int) -> Int {
    CivilDate(daysSinceEpoch: daysFromCivil(y, 12, 28)).isoWeek.week
  }

  /// The Monday of ISO week `week` of week-numbering year `year` (week 1 holds 4 January).
  public static func isoWeekStart(year: Int, week: Int) -> CivilDate {
    let jan4 = CivilDate(daysSinceEpoch: daysFromCivil(year, 1, 4))
    return jan4.adding(days: 1 - jan4.isoWeekday + 7 * (week - 1))
  }
}

/// Howard Hinnant's days_from_civil for a date known to exist (no range check).
func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int32 {
  let y = month <= 2 ? year - 1 : year
  let era = (y >= 0 ? y : y - 399) / 400
  let yoe = y - era * 400
  let mp = (month + 9) % 12
  let doy = (153 * mp + 2) / 5 + day - 1
  let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
  return Int32(era * 146097 + doe - 719468)
}

/// Parsing of the SPEC 6 period keys, with a message for keys that have the right shape but
/// name no period (`2026-13`, `2026-W54`, `2026-02-30`).
enum PeriodKeyParser {
  enum Outcome {
    case success((unit: PeriodUnit, range: DateRange))
    case invalid(String)
    case notAKey
  }

  static func parse(_ text: String) -> Outcome {
    TextScanner.scan(text) { s in parse(text, &s) }
  }

  private static func parse(_ text: String, _ s: inout TextScanner) -> Outcome {
    guard let y = s.digits(4) else { return .notAKey }
    if s.atEnd {
      guard y >= 1 else { return .invalid("'\(text)': years run from 0001 to 9999") }
      return .success((.year, PeriodUnit.months(y, 1, count: 12)))
    }
    guard s.take(["-"]) else { return .notAKey }
    guard y >= 1 else { return .invalid("'\(text)': years run from 0001 to 9999") }
    if s.take(["Q", "q"]) {
      guard let q = s.digits(1), s.atEnd else { return .notAKey }
      guard (1...4).contains(q) else { return .invalid("'\(text)': quarters are Q1 to Q4") }
      return .success((.quarter, PeriodUnit.months(y, (q - 1) * 3 + 1, count: 3)))
    }
    if s.take(["W", "w"]) {
      guard let w = s.digits(2), s.atEnd else { return .notAKey }
      let weeks = CivilDate.isoWeeks(inYear: y)
      guard (1...weeks).contains(w) else {
        return .invalid("'\(text)': ISO week-year \(pad(y, 4)) has weeks W01 to W\(weeks)")
      }
      let monday = CivilDate.isoWeekStart(year: y, week: w)
      return .success((.week, DateRange(from: monday, to: monday.adding(days: 7))))
    }
    guard let m = s.digits(2) else { return .notAKey }
    if s.atEnd {
      guard (1...12).contains(m) else { return .invalid("'\(text)': months are 01 to 12") }
      return .success((.month, PeriodUnit.months(y, m, count: 1)))
    }
    guard s.take(["-"]), let d = s.digits(2), s.atEnd else { return .notAKey }
    guard let date = CivilDate(year: y, month: m, day: d) else {
      return .invalid("'\(text)' is not a date")
    }
    return .success((.day, DateRange(from: date, to: date.adding(days: 1))))
  }
}

/// The `--period` language of every report command (SPEC 4, 7).
public enum PeriodExpression {
  /// What the parser accepts, for error messages and help.
  public static let accepted =
    "a date 2026-11-03, an ISO week 2026-W45, a month 2026-11, a quarter 2026-Q4, a year 2026, "
    + relativeNames.joined(separator: ", ")
    + ", or 'from A to B' (A and B any of these, B included)"

  /// The relative names, resolved against the as-of date.
  public static let relativeNames = [
    "today", "yesterday", "this-week", "last-week", "this-month", "last-month", "this-quarter",
    "last-quarter", "this-year", "last-year", "wtd", "mtd", "qtd", "ytd",
  ]

  /// The range `text` names. Keys (`2026-11-03`, `2026-W45`, `2026-11`, `2026-Q3`, `2026`)
  /// name their whole period; `today`, `yesterday`, `this-`/`last-` `week|month|quarter|year`
  /// are resolved against `today` (the as-of date); `wtd`, `mtd`, `qtd`, `ytd` run from the start
  /// of the week, month, quarter or year through `today`; `from A to B` runs from the start of A
  /// through the end of B (B's period included, so `from 2026-01 to 2026-06` ends before
  /// 2026-07-01). Names are case-insensitive; surrounding white space is ignored.
  public static func parse(_ text: String, today: CivilDate) throws(ReportInputError) -> DateRange {
    try parse(text, today: today, option: nil)
  }

  static func parse(
    _ text: String, today: CivilDate, option: String?
  ) throws(ReportInputError) -> DateRange {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    guard words.first?.lowercased() == "from" else {
      return try single(text, today: today, option: option)
    }
    guard words.count == 4, words[2].lowercased() == "to" else {
      throw ReportInputError(
        "\(label(option))'\(text)': write 'from A to B', e.g. 'from 2026-01 to 2026-06' "
          + "or 'from 2026-01-15 to 2026-02-10'")
    }
    let a = try single(words[1], today: today, option: option)
    let b = try single(words[3], today: today, option: option)
    guard a.from < b.to else {
      throw ReportInputError(
        "\(label(option))'\(text)' is empty: \(words[1]) starts on \(a.from), "
          + "after \(words[3]) ends (\(b.to) exclusive)")
    }
    return DateRange(from: a.from, to: b.to)
  }

  /// One key or relative name (no `from … to …`).
  static func single(
    _ raw: String, today: CivilDate, option: String?
  ) throws(ReportInputError) -> DateRange {
    let text = trimmed(raw)
    switch PeriodKeyParser.parse(text) {
    case .success(let found): return found.range
    case .invalid(let why): throw ReportInputError(label(option) + why)
    case .notAKey: break
    }
    let lower = text.lowercased()
    func unit(_ u: PeriodUnit, last: Bool) -> DateRange {
      let this = u.range(of: today)
      return last ? u.range(of: this.from.adding(days: -1)) : this
    }
    func toDate(_ u: PeriodUnit) -> DateRange {
      DateRange(from: u.range(of: today).from, to: today.adding(days: 1))
    }
    switch lower {
    case "today": return PeriodUnit.day.range(of: today)
    case "yesterday": return PeriodUnit.day.range(of: today.adding(days: -1))
    case "this-week": return unit(.week, last: false)
    case "last-week": return unit(.week, last: true)
    case "this-month": return unit(.month, last: false)
    case "last-month": return unit(.month, last: true)
    case "this-quarter": return unit(.quarter, last: false)
    case "last-quarter": return unit(.quarter, last: true)
    case "this-year": return unit(.year, last: false)
    case "last-year": return unit(.year, last: true)
    case "wtd": return toDate(.week)
    case "mtd": return toDate(.month)
    case "qtd": return toDate(.quarter)
    case "ytd": return toDate(.year)
    default:
      let shown = text.isEmpty ? "an empty value" : "'\(text)'"
      throw ReportInputError("\(label(option))unknown period \(shown); use \(accepted)")
    }
  }

  private static func label(_ option: String?) -> String { option.map { "'\($0)': " } ?? "" }

  private static func trimmed(_ s: String) -> String {
    var sub = Substring(s)
    while let c = sub.first, c.isWhitespace { sub.removeFirst() }
    while let c = sub.last, c.isWhitespace { sub.removeLast() }
    return String(sub)
  }
}

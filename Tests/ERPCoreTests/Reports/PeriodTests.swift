import ERPCore
import Testing

/// `YYYY-MM-DD` as a date; the test's own literal, so a bad one is a test bug.
func day(_ s: String) -> CivilDate { CivilDate.parse(s) ?? CivilDate(daysSinceEpoch: Int32.min) }

/// `from..to` (to exclusive) from two literal dates.
func span(_ from: String, _ to: String) -> DateRange { DateRange(from: day(from), to: day(to)) }

/// The range `text` names against `today`, or the error's message.
func period(_ text: String, today: String = "2026-11-27") -> Result<DateRange, ReportInputError> {
  do { return .success(try PeriodExpression.parse(text, today: day(today))) } catch {
    return .failure(error)
  }
}

func resolved(
  period: String? = nil, from: String? = nil, to: String? = nil, asOf: String = "2026-11-27"
) -> Result<DateRange?, ReportInputError> {
  do {
    return .success(try DateRange.resolve(period: period, from: from, to: to, asOf: day(asOf)))
  } catch {
    return .failure(error)
  }
}

@Suite("Period units and keys")
struct PeriodUnitTests {
  @Test(arguments: [
    // date, day, week, month, quarter, year
    ("2026-11-03", "2026-W45", "2026-11", "2026-Q4", "2026"),
    ("2026-01-01", "2026-W01", "2026-01", "2026-Q1", "2026"),  // a Thursday: week 1 of 2026
    ("2025-12-29", "2026-W01", "2025-12", "2025-Q4", "2025"),  // Monday of 2026-W01
    ("2025-12-28", "2025-W52", "2025-12", "2025-Q4", "2025"),
    ("2027-01-01", "2026-W53", "2027-01", "2027-Q1", "2027"),  // 2026 has 53 ISO weeks
    ("2027-01-03", "2026-W53", "2027-01", "2027-Q1", "2027"),
    ("2027-01-04", "2027-W01", "2027-01", "2027-Q1", "2027"),
    ("2020-12-31", "2020-W53", "2020-12", "2020-Q4", "2020"),  // leap year starting Wednesday
    ("2021-01-03", "2020-W53", "2021-01", "2021-Q1", "2021"),
    ("2024-12-30", "2025-W01", "2024-12", "2024-Q4", "2024"),
    ("2008-12-29", "2009-W01", "2008-12", "2008-Q4", "2008"),
    ("2010-01-03", "2009-W53", "2010-01", "2010-Q1", "2010"),
    ("2024-02-29", "2024-W09", "2024-02", "2024-Q1", "2024"),
    ("2026-03-31", "2026-W14", "2026-03", "2026-Q1", "2026"),
    ("2026-04-01", "2026-W14", "2026-04", "2026-Q2", "2026"),
    ("2026-09-30", "2026-W40", "2026-09", "2026-Q3", "2026"),
    ("2026-12-31", "2026-W53", "2026-12", "2026-Q4", "2026"),
    ("0001-01-01", "0001-W01", "0001-01", "0001-Q1", "0001"),  // a Monday
  ])
  func keys(_ d: String, _ week: String, _ month: String, _ quarter: String, _ year: String) {
    let date = day(d)
    #expect(PeriodUnit.day.key(of: date) == d)
    #expect(PeriodUnit.week.key(of: date) == week)
    #expect(PeriodUnit.month.key(of: date) == month)
    #expect(PeriodUnit.quarter.key(of: date) == quarter)
    #expect(PeriodUnit.year.key(of: date) == year)
  }

  @Test(arguments: [
    (PeriodUnit.day, "2026-11-03", "2026-11-03", "2026-11-04"),
    (.day, "2024-02-29", "2024-02-29", "2024-03-01"),
    (.day, "2026-12-31", "2026-12-31", "2027-01-01"),
    (.week, "2026-W45", "2026-11-02", "2026-11-09"),
    (.week, "2026-W01", "2025-12-29", "2026-01-05"),
    (.week, "2026-W53", "2026-12-28", "2027-01-04"),
    (.week, "2020-W53", "2020-12-28", "2021-01-04"),
    (.week, "2025-W01", "2024-12-30", "2025-01-06"),
    (.week, "2009-W53", "2009-12-28", "2010-01-04"),
    (.week, "2026-w45", "2026-11-02", "2026-11-09"),
    (.month, "2026-11", "2026-11-01", "2026-12-01"),
    (.month, "2026-12", "2026-12-01", "2027-01-01"),
    (.month, "2024-02", "2024-02-01", "2024-03-01"),  // leap: 29 days
    (.month, "2026-02", "2026-02-01", "2026-03-01"),  // 28 days
    (.month, "2000-02", "2000-02-01", "2000-03-01"),
    (.month, "1900-02", "1900-02-01", "1900-03-01"),
    (.quarter, "2026-Q1", "2026-01-01", "2026-04-01"),
    (.quarter, "2026-Q2", "2026-04-01", "2026-07-01"),
    (.quarter, "2026-Q3", "2026-07-01", "2026-10-01"),
    (.quarter, "2026-Q4", "2026-10-01", "2027-01-01"),
    (.quarter, "2026-q4", "2026-10-01", "2027-01-01"),
    (.year, "2026", "2026-01-01", "2027-01-01"),
    (.year, "2024", "2024-01-01", "2025-01-01"),
  ])
  func rangeOfKey(_ unit: PeriodUnit, _ key: String, _ from: String, _ to: String) {
    #expect(unit.range(key: key) == span(from, to))
  }

  @Test func periodLengths() throws {
    #expect(try #require(PeriodUnit.year.range(key: "2024")).days == 366)
    #expect(try #require(PeriodUnit.year.range(key: "2026")).days == 365)
    #expect(try #require(PeriodUnit.year.range(key: "2000")).days == 366)
    #expect(try #require(PeriodUnit.year.range(key: "2100")).days == 365)
    #expect(try #require(PeriodUnit.quarter.range(key: "2024-Q1")).days == 91)
    #expect(try #require(PeriodUnit.quarter.range(key: "2026-Q1")).days == 90)
    #expect(try #require(PeriodUnit.quarter.range(key: "2026-Q3")).days == 92)
    #expect(try #require(PeriodUnit.week.range(key: "2026-W10")).days == 7)
  }

  @Test(arguments: [
    (PeriodUnit.month, "2026"), (.year, "2026-11"), (.day, "2026-11"), (.week, "2026-11-03"),
    (.quarter, "2026-W45"), (.month, "2026-13"), (.month, "2026-00"), (.quarter, "2026-Q5"),
    (.quarter, "2026-Q0"), (.week, "2026-W54"), (.week, "2027-W53"), (.week, "2026-W00"),
    (.week, "2026-W5"), (.day, "2026-02-30"), (.day, "2026-11-3"), (.year, "0000"),
    (.year, "26"), (.year, "20260"), (.month, "2026/11"), (.year, ""),
  ])
  func notAKeyOfThatUnit(_ unit: PeriodUnit, _ key: String) {
    #expect(unit.range(key: key) == nil)
  }

  /// Every day of 2019…2028 in every unit: the key's range is the period's range and holds
  /// the day, weeks start on Monday, and consecutive periods tile the calendar.
  @Test func keysAndRangesAgreeForTenYears() throws {
    var d = day("2019-01-01")
    let end = day("2029-01-01")
    var weekCount: [Int: Int] = [:]
    while d < end {
      for unit in PeriodUnit.allCases {
        let r = unit.range(of: d)
        #expect(r.contains(d))
        #expect(unit.range(key: unit.key(of: d)) == r, "\(unit) \(d)")
        #expect(unit.key(of: r.from) == unit.key(of: d))
        #expect(unit.key(of: r.to.adding(days: -1)) == unit.key(of: d))
        #expect(unit.key(of: r.to) != unit.key(of: d))
        #expect(PeriodUnit.parse(key: unit.key(of: d))?.unit == unit)
      }
      #expect(PeriodUnit.week.range(of: d).from.isoWeekday == 1)
      if d.isoWeekday == 4 { weekCount[d.isoWeek.year, default: 0] += 1 }
      d = d.adding(days: 1)
    }
    // Years with 53 ISO weeks in the span: 2020 and 2026.
    for y in 2019...2028 {
      #expect(weekCount[y] == ((y == 2020 || y == 2026) ? 53 : 52), "\(y)")
      #expect(CivilDate.isoWeeks(inYear: y) == weekCount[y])
      #expect(PeriodKey.isoWeeks(y) == weekCount[y])
    }
  }

  @Test func isoWeekdays() {
    #expect(day("1970-01-01").isoWeekday == 4)
    #expect(day("2026-11-02").isoWeekday == 1)
    #expect(day("2026-11-08").isoWeekday == 7)
    #expect(day("1969-12-28").isoWeekday == 7)  // before the epoch
    #expect(DateRange.beginningOfTime == day("0001-01-01"))
  }
}

@Suite("Period expressions")
struct PeriodExpressionTests {
  // 2026-11-27 is a Friday.
  @Test(arguments: [
    ("2026-11", "2026-11-01", "2026-12-01"),
    ("2026-Q3", "2026-07-01", "2026-10-01"),
    ("2026", "2026-01-01", "2027-01-01"),
    ("2026-11-03", "2026-11-03", "2026-11-04"),
    ("2026-W45", "2026-11-02", "2026-11-09"),
    ("today", "2026-11-27", "2026-11-28"),
    ("yesterday", "2026-11-26", "2026-11-27"),
    ("this-week", "2026-11-23", "2026-11-30"),
    ("last-week", "2026-11-16", "2026-11-23"),
    ("this-month", "2026-11-01", "2026-12-01"),
    ("last-month", "2026-10-01", "2026-11-01"),
    ("this-quarter", "2026-10-01", "2027-01-01"),
    ("last-quarter", "2026-07-01", "2026-10-01"),
    ("this-year", "2026-01-01", "2027-01-01"),
    ("last-year", "2025-01-01", "2026-01-01"),
    ("wtd", "2026-11-23", "2026-11-28"),
    ("mtd", "2026-11-01", "2026-11-28"),
    ("qtd", "2026-10-01", "2026-11-28"),
    ("ytd", "2026-01-01", "2026-11-28"),
    ("from 2026-01 to 2026-06", "2026-01-01", "2026-07-01"),
    ("from 2026-01-15 to 2026-02-10", "2026-01-15", "2026-02-11"),
    ("from 2026-Q1 to 2026-W10", "2026-01-01", "2026-03-09"),
    ("from 2025 to 2026-Q1", "2025-01-01", "2026-04-01"),
    ("from 2026-11 to 2026-11", "2026-11-01", "2026-12-01"),
    ("from last-month to today", "2026-10-01", "2026-11-28"),
    ("from 2026-01-01 to yesterday", "2026-01-01", "2026-11-27"),
    ("  from   2026-01   to   2026-06 ", "2026-01-01", "2026-07-01"),
    ("FROM 2026-01 TO 2026-06", "2026-01-01", "2026-07-01"),
    (" 2026-11 ", "2026-11-01", "2026-12-01"),
    ("LAST-MONTH", "2026-10-01", "2026-11-01"),
    ("YTD", "2026-01-01", "2026-11-28"),
    ("2026-q4", "2026-10-01", "2027-01-01"),
    ("2026-w45", "2026-11-02", "2026-11-09"),
  ])
  func parses(_ text: String, _ from: String, _ to: String) {
    #expect(period(text) == .success(span(from, to)), "\(text)")
  }

  /// Relative names at the edges of months, quarters, years and weeks.
  @Test(arguments: [
    ("2026-01-01", "yesterday", "2025-12-31", "2026-01-01"),
    ("2026-01-01", "last-month", "2025-12-01", "2026-01-01"),
    ("2026-01-01", "last-quarter", "2025-10-01", "2026-01-01"),
    ("2026-01-01", "last-year", "2025-01-01", "2026-01-01"),
    ("2026-01-01", "this-week", "2025-12-29", "2026-01-05"),
    ("2026-01-01", "last-week", "2025-12-22", "2025-12-29"),
    ("2026-01-01", "wtd", "2025-12-29", "2026-01-02"),
    ("2026-01-01", "ytd", "2026-01-01", "2026-01-02"),
    ("2024-03-31", "last-month", "2024-02-01", "2024-03-01"),
    ("2024-03-31", "this-quarter", "2024-01-01", "2024-04-01"),
    ("2024-03-31", "qtd", "2024-01-01", "2024-04-01"),
    ("2024-03-01", "yesterday", "2024-02-29", "2024-03-01"),
    ("2026-11-30", "this-week", "2026-11-30", "2026-12-07"),  // a Monday
    ("2026-11-29", "this-week", "2026-11-23", "2026-11-30"),  // a Sunday
    ("2026-11-30", "wtd", "2026-11-30", "2026-12-01"),
    ("2026-12-31", "mtd", "2026-12-01", "2027-01-01"),
    ("2026-07-01", "last-quarter", "2026-04-01", "2026-07-01"),
  ])
  func relativeAtEdges(_ today: String, _ text: String, _ from: String, _ to: String) {
    #expect(period(text, today: today) == .success(span(from, to)), "\(text) on \(today)")
  }

  @Test(arguments: [
    ("", "unknown period an empty value"),
    ("   ", "unknown period an empty value"),
    ("garbage", "unknown period 'garbage'; use a date 2026-11-03"),
    ("next-month", "unknown period 'next-month'"),
    ("last_month", "unknown period 'last_month'"),
    ("2026-13", "'2026-13': months are 01 to 12"),
    ("2026-00", "'2026-00': months are 01 to 12"),
    ("2026-Q5", "'2026-Q5': quarters are Q1 to Q4"),
    ("2026-Q0", "'2026-Q0': quarters are Q1 to Q4"),
    ("2026-W54", "'2026-W54': ISO week-year 2026 has weeks W01 to W53"),
    ("2027-W53", "'2027-W53': ISO week-year 2027 has weeks W01 to W52"),
    ("2026-W00", "'2026-W00': ISO week-year 2026 has weeks W01 to W53"),
    ("2026-02-30", "'2026-02-30' is not a date"),
    ("2025-02-29", "'2025-02-29' is not a date"),
    ("0000", "'0000': years run from 0001 to 9999"),
    ("0000-01", "'0000-01': years run from 0001 to 9999"),
    ("2026-1", "unknown period '2026-1'"),
    ("2026-11-3", "unknown period '2026-11-3'"),
    ("26-11", "unknown period '26-11'"),
    ("2026/11", "unknown period '2026/11'"),
    ("2026-W5", "unknown period '2026-W5'"),
    ("from 2026-01", "'from 2026-01': write 'from A to B'"),
    ("from 2026-01 until 2026-02", "write 'from A to B'"),
    ("from 2026-01 to 2026-02 to 2026-03", "write 'from A to B'"),
    ("from 2026-06 to 2026-01",
      "'from 2026-06 to 2026-01' is empty: 2026-06 starts on 2026-06-01, after 2026-01 ends (2026-02-01 exclusive)"),
    ("from 2026-02 to 2026-01", "is empty"),
    ("from x to 2026-01", "unknown period 'x'"),
    ("from 2026-01 to 2026-13", "'2026-13': months are 01 to 12"),
    ("from from 2026-01 to 2026-02", "write 'from A to B'"),
  ])
  func errors(_ text: String, _ message: String) throws {
    guard case .failure(let e) = period(text) else {
      Issue.record("'\(text)' was accepted")
      return
    }
    #expect(e.message.contains(message), "\(e.message)")
  }

  @Test func errorListsEveryAcceptedForm() throws {
    guard case .failure(let e) = period("soon") else {
      Issue.record("accepted")
      return
    }
    for name in PeriodExpression.relativeNames { #expect(e.message.contains(name)) }
    for form in ["2026-11-03", "2026-W45", "2026-11", "2026-Q4", "2026", "from A to B"] {
      #expect(e.message.contains(form))
    }
    #expect(e.description == e.message)
  }
}

@Suite("Period options --period, --from, --to")
struct PeriodOptionTests {
  @Test func neitherMeansAllHistory() {
    #expect(resolved() == .success(nil))
  }

  @Test(arguments: [
    (String?("2026-11"), String?.none, String?.none, "2026-11-01", "2026-12-01"),
    ("last-month", nil, nil, "2026-10-01", "2026-11-01"),
    ("from 2026-01 to 2026-06", nil, nil, "2026-01-01", "2026-07-01"),
    (nil, "2026-01", "2026-07", "2026-01-01", "2026-07-01"),
    (nil, "2026-01-15", "2026-02-10", "2026-01-15", "2026-02-10"),  // --to is exclusive
    (nil, "2026-Q1", "2026-Q3", "2026-01-01", "2026-07-01"),
    (nil, "2025", "2026", "2025-01-01", "2026-01-01"),
    (nil, "2026-W45", "2026-W46", "2026-11-02", "2026-11-09"),
    (nil, "last-month", "this-month", "2026-10-01", "2026-11-01"),
    (nil, "2026-11", nil, "2026-11-01", "2026-11-28"),  // --from alone: through as-of
    (nil, "2026-11-27", nil, "2026-11-27", "2026-11-28"),
    (nil, nil, "2026-07", "0001-01-01", "2026-07-01"),  // --to alone: from the beginning
    (nil, "2026-01", "2027-07", "2026-01-01", "2027-07-01"),  // past the as-of date is allowed
  ])
  func ranges(_ p: String?, _ from: String?, _ to: String?, _ a: String, _ b: String) {
    #expect(resolved(period: p, from: from, to: to) == .success(span(a, b)))
  }

  @Test(arguments: [
    (String?("2026-11"), String?("2026-01"), String?.none,
      "'--period' cannot be combined with '--from' or '--to'"),
    ("2026-11", nil, "2026-12", "'--period' cannot be combined"),
    ("2026-13", nil, nil, "'--period': '2026-13': months are 01 to 12"),
    ("soon", nil, nil, "'--period': unknown period 'soon'"),
    (nil, "2026-07", "2026-03",
      "'--from 2026-07' (2026-07-01) must be before '--to 2026-03' (2026-03-01); the end is exclusive"),
    (nil, "2026-03-01", "2026-03-01", "must be before"),
    (nil, "2026-12", nil,
      "'--from 2026-12' starts on 2026-12-01, after the as-of date 2026-11-27; give '--to' or a later '--as-of'"),
    (nil, "yesterdays", nil, "'--from': unknown period 'yesterdays'"),
    (nil, nil, "2026-02-30", "'--to': '2026-02-30' is not a date"),
    (nil, "from 2026-01 to 2026-02", nil, "'--from': unknown period 'from 2026-01 to 2026-02'"),
  ])
  func errors(_ p: String?, _ from: String?, _ to: String?, _ message: String) {
    guard case .failure(let e) = resolved(period: p, from: from, to: to) else {
      Issue.record("accepted")
      return
    }
    #expect(e.message.contains(message), "\(e.message)")
  }

  @Test func syntaxCheckWithoutAsOf() {
    func check(_ p: String?, _ f: String?, _ t: String?) -> String? {
      do {
        try DateRange.checkSyntax(period: p, from: f, to: t)
        return nil
      } catch {
        return error.message
      }
    }
    #expect(check(nil, "2026-12", nil) == nil)
    #expect(check("from today to 2030-01", nil, nil) == nil)
    #expect(check("from 2026-06 to 2026-01", nil, nil) == nil)  // emptiness is left to resolve
    #expect(check(nil, nil, nil) == nil)
    #expect(check("2026-11", "2026-01", nil)?.contains("cannot be combined") == true)
    #expect(check("from 2026-13 to 2026-01", nil, nil)?.contains("'--period': '2026-13'") == true)
    #expect(check("from 2026-01", nil, nil)?.contains("write 'from A to B'") == true)
    #expect(check(nil, "x", nil)?.contains("'--from': unknown period 'x'") == true)
    #expect(check(nil, nil, "2026-W60")?.contains("'--to': '2026-W60'") == true)
  }

  @Test func relativePeriodsFollowTheAsOfDate() {
    #expect(resolved(period: "this-month", asOf: "2025-06-15") == .success(span("2025-06-01", "2025-07-01")))
    #expect(resolved(from: "ytd", asOf: "2025-06-15") == .success(span("2025-01-01", "2025-06-16")))
  }

  @Test func rangeMembership() {
    let r = span("2026-11-01", "2026-12-01")
    #expect(r.contains(day("2026-11-01")))
    #expect(r.contains(day("2026-11-30")))
    #expect(!r.contains(day("2026-12-01")))
    #expect(!r.contains(day("2026-10-31")))
    #expect(r.days == 30)
    #expect(!r.isEmpty)
    #expect(r.description == "2026-11-01..2026-12-01")
    #expect(span("2026-11-02", "2026-11-01").isEmpty)
    #expect(span("2026-11-02", "2026-11-01").days == 0)
  }

  @Test func queryWindowIsCutAtAsOf() {
    var q = ReportQuery(asOf: day("2026-11-27"))
    #expect(q.window == span("0001-01-01", "2026-11-28"))
    q.range = span("2026-11-01", "2026-12-01")
    #expect(q.window == span("2026-11-01", "2026-11-28"))
    q.range = span("2026-10-01", "2026-11-01")
    #expect(q.window == span("2026-10-01", "2026-11-01"))
    q.range = span("2026-12-01", "2027-01-01")
    #expect(q.window.isEmpty)
    #expect(!q.currentAttribution)
    q.attribution = "current"
    #expect(q.currentAttribution)
    let meta = q.meta(report: "sales", seq: 7, hash: "ab", extra: [("x", "y")])
    #expect(meta.extra.map(\.0) == ["attribution", "x"])
    #expect(meta.period == q.range)
  }
}

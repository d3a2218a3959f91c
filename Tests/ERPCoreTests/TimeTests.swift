import ERPCore
import ERPTestSupport
import Testing

// Reference day numbers, worked by hand:
// 1970→2000: 30 years of which 7 leap (1972…1996) → 10957; 2000-03-01 = 10957 + 31 + 29 = 11017.
// 1970→2024: 54 years, 13 leap (1972…2020) → 19723; 2024-02-29 = 19723 + 31 + 28 = 19782.
// 1970→2026: 56 years, 14 leap (1972…2024) → 20454; 2026-11-03 = 20454 + 304 + 2 = 20760.
// 1900→1970: 70 years, 17 leap (1904…1968) → 1900-01-01 = −25567.
private let day20261103: Int64 = 20760

@Suite("CivilDate")
struct CivilDateTests {
  @Test(arguments: [
    (2024, 2, 29, true),
    (2026, 2, 29, false),
    (2000, 2, 29, true),
    (1900, 2, 29, false),
    (2026, 2, 28, true),
    (2026, 4, 30, true),
    (2026, 4, 31, false),
    (2026, 12, 31, true),
    (2026, 13, 1, false),
    (2026, 0, 1, false),
    (2026, 1, 0, false),
    (2026, 1, 32, false),
    (0, 1, 1, false),
    (10000, 1, 1, false),
    (1, 1, 1, true),
    (9999, 12, 31, true),
  ])
  func validity(_ y: Int, _ m: Int, _ d: Int, _ valid: Bool) {
    #expect((CivilDate(year: y, month: m, day: d) != nil) == valid)
  }

  @Test(arguments: [
    (1970, 1, 1, Int32(0)),
    (1970, 1, 2, 1),
    (1969, 12, 31, -1),
    (1970, 12, 31, 364),
    (1971, 1, 1, 365),
    (1972, 3, 1, 790),  // 365 + 365 + 31 + 29
    (2000, 1, 1, 10957),
    (2000, 3, 1, 11017),
    (2024, 2, 29, 19782),
    (2026, 1, 1, 20454),
    (2026, 11, 3, 20760),
    (1900, 1, 1, -25567),
  ])
  func daysSinceEpoch(_ y: Int, _ m: Int, _ d: Int, _ days: Int32) throws {
    let date = try #require(CivilDate(year: y, month: m, day: d))
    #expect(date.daysSinceEpoch == days)
    let c = CivilDate(daysSinceEpoch: days).components
    #expect(c.year == y && c.month == m && c.day == d)
  }

  @Test func componentsRoundTripOverManyYears() {
    // Every day from 1899-12-01 to 2101-01-31 maps back to itself, and consecutive days differ by 1.
    var previous: Int32? = nil
    for y in 1899...2101 {
      for m in 1...12 {
        for d in 1...CivilDate.daysIn(month: m, year: y) {
          guard let date = CivilDate(year: y, month: m, day: d) else {
            Issue.record("\(y)-\(m)-\(d) refused")
            return
          }
          if let p = previous, date.daysSinceEpoch != p + 1 {
            Issue.record("gap before \(y)-\(m)-\(d)")
            return
          }
          previous = date.daysSinceEpoch
          let c = date.components
          if c.year != y || c.month != m || c.day != d {
            Issue.record("\(y)-\(m)-\(d) came back as \(c)")
            return
          }
        }
      }
    }
  }

  @Test func leapYearRules() {
    #expect(CivilDate.isLeap(2024))
    #expect(!CivilDate.isLeap(2026))
    #expect(CivilDate.isLeap(2000))
    #expect(!CivilDate.isLeap(1900))
    #expect(!CivilDate.isLeap(2100))
    #expect(CivilDate.daysIn(month: 2, year: 2024) == 29)
    #expect(CivilDate.daysIn(month: 2, year: 2026) == 28)
    #expect(CivilDate.daysIn(month: 4, year: 2026) == 30)
    #expect(CivilDate.daysIn(month: 12, year: 2026) == 31)
  }

  @Test func descriptionIsPadded() throws {
    #expect(try #require(CivilDate(year: 2026, month: 11, day: 3)).description == "2026-11-03")
    #expect(try #require(CivilDate(year: 1, month: 1, day: 1)).description == "0001-01-01")
    #expect(CivilDate(daysSinceEpoch: 0).description == "1970-01-01")
  }

  @Test func addingDaysCrossesMonthsAndYears() throws {
    let feb28 = try #require(CivilDate(year: 2024, month: 2, day: 28))
    #expect(feb28.adding(days: 1).description == "2024-02-29")
    #expect(feb28.adding(days: 2).description == "2024-03-01")
    let dec31 = try #require(CivilDate(year: 2025, month: 12, day: 31))
    #expect(dec31.adding(days: 1).description == "2026-01-01")
    #expect(dec31.adding(days: -365).description == "2024-12-31")
    // SPEC 3: due = date + payment terms (30 days by default).
    let shipped = try #require(CivilDate(year: 2026, month: 11, day: 3))
    #expect(shipped.adding(days: 30).description == "2026-12-03")
  }

  @Test func parseIsExact() {
    #expect(CivilDate.parse("2026-11-03")?.daysSinceEpoch == 20760)
    #expect(CivilDate.parse("2024-02-29") != nil)
    for bad in [
      "2026-02-29", "2026-02-30", "2026-2-3", "2026-11-3", "26-11-03", "2026-11-03T", "20261103",
      "2026/11/03", " 2026-11-03", "2026-11-03 ", "", "0000-01-01",
    ] {
      #expect(CivilDate.parse(bad) == nil, "\(bad)")
    }
  }

  @Test func ordering() throws {
    let a = try #require(CivilDate(year: 2025, month: 12, day: 31))
    let b = try #require(CivilDate(year: 2026, month: 1, day: 1))
    #expect(a < b)
    #expect(!(b < a))
  }
}

@Suite("Instant and RFC 3339")
struct InstantTests {
  @Test(arguments: [
    ("2026-11-03T02:15:02Z", day20261103 * 86400 + 8102, 0),
    ("2026-11-03t02:15:02z", day20261103 * 86400 + 8102, 0),
    ("2026-11-03T10:15:00+08:00", day20261103 * 86400 + 36900 - 28800, 28800),
    ("2026-11-03T10:15:00-05:30", day20261103 * 86400 + 36900 + 19800, -19800),
    ("2026-11-03T00:30:00+01:00", day20261103 * 86400 + 1800 - 3600, 3600),
    ("1970-01-01T00:00:00Z", 0, 0),
    ("1970-01-01T08:00:00+08:00", 0, 28800),
    ("1969-12-31T23:59:59Z", -1, 0),
    ("2026-11-03T23:59:59+00:00", day20261103 * 86400 + 86399, 0),
  ])
  func parses(_ text: String, _ seconds: Int64, _ offset: Int) throws {
    let (t, off) = try #require(Instant.parseRFC3339(text))
    #expect(t.seconds == seconds)
    #expect(t.nanoseconds == 0)
    #expect(off == offset)
  }

  @Test func sameInstantWrittenWithDifferentOffsets() throws {
    let a = try #require(Instant.parseRFC3339("2026-11-03T10:15:00+08:00")).0
    let b = try #require(Instant.parseRFC3339("2026-11-03T02:15:00Z")).0
    let c = try #require(Instant.parseRFC3339("2026-11-02T20:45:00-05:30")).0
    #expect(a == b)
    #expect(b == c)
  }

  @Test(arguments: [
    ("2026-11-03T02:15:02.5Z", Int32(500_000_000), "2026-11-03T02:15:02.5Z"),
    ("2026-11-03T02:15:02.500Z", 500_000_000, "2026-11-03T02:15:02.5Z"),
    ("2026-11-03T02:15:02.120Z", 120_000_000, "2026-11-03T02:15:02.12Z"),
    ("2026-11-03T02:15:02.123456789Z", 123_456_789, "2026-11-03T02:15:02.123456789Z"),
    ("2026-11-03T02:15:02.000000001Z", 1, "2026-11-03T02:15:02.000000001Z"),
    ("2026-11-03T02:15:02.0Z", 0, "2026-11-03T02:15:02Z"),
    ("2026-11-03T02:15:02.000Z", 0, "2026-11-03T02:15:02Z"),
  ])
  func fractions(_ text: String, _ nanos: Int32, _ output: String) throws {
    let (t, off) = try #require(Instant.parseRFC3339(text))
    #expect(t.nanoseconds == nanos)
    #expect(t.seconds == day20261103 * 86400 + 8102)
    #expect(t.rfc3339(offsetSeconds: off) == output)
  }

  @Test(arguments: [
    "2026-11-03T24:00:00Z",
    "2026-11-03T25:00:00Z",
    "2026-11-03T23:60:00Z",
    "2026-11-03T23:59:61Z",
    "2026-11-03T23:59:99Z",
    "2026-11-03T10:15:00",  // no offset
    "2026-11-03T10:15:00.5",  // no offset after a fraction
    "2026-11-03T10:15Z",  // no seconds
    "2026-11-03T10:15:00+0800",
    "2026-11-03T10:15:00+08",
    "2026-11-03T10:15:00+24:00",
    "2026-11-03T10:15:00+08:60",
    "2026-11-03T10:15:00.Z",
    "2026-11-03T10:15:00.1234567890Z",  // more than nanoseconds
    "2026-02-30T10:15:00Z",
    "2026-11-03T1:15:00Z",
    "2026-11-03T10:15:00Z ",
    "2026-11-03X10:15:00Z",
    "2026-11-03",
    "",
  ])
  func refused(_ text: String) {
    #expect(Instant.parseRFC3339(text) == nil)
  }

  @Test func formatting() {
    #expect(Instant(seconds: 0).rfc3339() == "1970-01-01T00:00:00Z")
    #expect(Instant(seconds: -1).rfc3339() == "1969-12-31T23:59:59Z")
    #expect(Instant(seconds: 0).rfc3339(offsetSeconds: 28800) == "1970-01-01T08:00:00+08:00")
    #expect(Instant(seconds: 0).rfc3339(offsetSeconds: -19800) == "1969-12-31T18:30:00-05:30")
    #expect(
      Instant(seconds: day20261103 * 86400 + 8100).rfc3339(offsetSeconds: 28800)
        == "2026-11-03T10:15:00+08:00")
    #expect(Instant(seconds: 0, nanoseconds: 250_000_000).rfc3339() == "1970-01-01T00:00:00.25Z")
  }

  @Test(arguments: [
    "2026-11-03T10:15:00+08:00", "2026-11-03T10:15:00-05:30", "2026-11-03T02:15:02Z",
    "2024-02-29T23:59:59.999+14:00", "1999-12-31T00:00:00.000001-12:00",
  ])
  func roundTrip(_ text: String) throws {
    let (t, off) = try #require(Instant.parseRFC3339(text))
    #expect(t.rfc3339(offsetSeconds: off) == text)
  }

  @Test func orderingUsesNanoseconds() {
    #expect(Instant(seconds: 5, nanoseconds: 1) < Instant(seconds: 5, nanoseconds: 2))
    #expect(Instant(seconds: 4, nanoseconds: 999_999_999) < Instant(seconds: 5))
    #expect(!(Instant(seconds: 5) < Instant(seconds: 5)))
  }
}

@Suite("BusinessTime")
struct BusinessTimeTests {
  @Test func plainDate() throws {
    let at = try #require(BusinessTime.parse("2026-11-03"))
    #expect(at == .date(CivilDate(daysSinceEpoch: 20760)))
    #expect(at.description == "2026-11-03")
  }

  @Test func dateTime() throws {
    let at = try #require(BusinessTime.parse("2026-11-03T10:15:00+08:00"))
    #expect(at == .instant(Instant(seconds: day20261103 * 86400 + 8100), offsetSeconds: 28800))
    #expect(at.description == "2026-11-03T10:15:00+08:00")
  }

  @Test func refused() {
    for bad in ["2026-11-3", "2026-02-29", "2026-11-03T10:15:00", "", "today", "2026-11-03Z"] {
      #expect(BusinessTime.parse(bad) == nil, "\(bad)")
    }
  }

  /// `parse` reads the date once for both forms: it must say what a date, else a time, says.
  @Test(arguments: [
    "2026-11-03", "2026-11-03T10:15:00+08:00", "2026-11-03t10:15:00z", "2026-11-03T10:15:00.5-05:30",
    "2026-11-03T23:59:59.123456789Z", "2026-11-03 ", "2026-11-03x", "2026-11-03T", "2026-11-03T10:15:00+08:00 ",
    "2026-11-03T10:15:00+0800", "2026-11-03T10:15:00", "2026-02-29T10:15:00Z", "2026-11-03-", "0001-01-01",
  ])
  func aDateElseATime(_ text: String) {
    let expected: BusinessTime? =
      CivilDate.parse(text).map { .date($0) }
      ?? Instant.parseRFC3339(text).map { .instant($0.0, offsetSeconds: $0.offsetSeconds) }
    #expect(BusinessTime.parse(text) == expected)
  }

  @Test func lowerCaseSeparatorsAreAccepted() throws {
    let at = try #require(BusinessTime.parse("2026-11-03t10:15:00z"))
    #expect(at == .instant(Instant(seconds: day20261103 * 86400 + 36900), offsetSeconds: 0))
  }
}

@Suite("StoreTimeZone")
struct StoreTimeZoneTests {
  @Test func shanghaiMidnight() throws {
    let tz = try #require(StoreTimeZone("Asia/Shanghai"))
    #expect(tz.identifier == "Asia/Shanghai")
    // 2026-11-03 00:00 in Shanghai (UTC+8) is 2026-11-02T16:00:00Z.
    let midnight = day20261103 * 86400 - 8 * 3600
    let before = BusinessTime.instant(Instant(seconds: midnight - 1), offsetSeconds: 0)
    let after = BusinessTime.instant(Instant(seconds: midnight), offsetSeconds: 0)
    #expect(tz.date(of: before).description == "2026-11-02")
    #expect(tz.date(of: after).description == "2026-11-03")
  }

  @Test func theWrittenOffsetDoesNotMatterOnlyTheInstant() throws {
    let tz = try #require(StoreTimeZone("Asia/Shanghai"))
    // 23:30 on Nov 2 in New York (UTC-5) is 12:30 on Nov 3 in Shanghai.
    let at = try #require(BusinessTime.parse("2026-11-02T23:30:00-05:00"))
    #expect(tz.date(of: at).description == "2026-11-03")
    let utc = try #require(StoreTimeZone("UTC"))
    let early = try #require(BusinessTime.parse("2026-11-03T07:00:00+08:00"))
    #expect(utc.date(of: early).description == "2026-11-02")
  }

  @Test func plainDateIsItself() throws {
    let tz = try #require(StoreTimeZone("Asia/Shanghai"))
    #expect(tz.date(of: .date(CivilDate(daysSinceEpoch: 20760))).daysSinceEpoch == 20760)
  }

  @Test func daylightSavingIsFollowed() throws {
    let ny = try #require(StoreTimeZone("America/New_York"))
    // Winter: EST, UTC-5, local midnight of 2026-01-02 is 05:00Z.
    let jan2 = try #require(Instant.parseRFC3339("2026-01-02T05:00:00Z")).0
    #expect(ny.date(of: .instant(Instant(seconds: jan2.seconds - 1), offsetSeconds: 0)).description == "2026-01-01")
    #expect(ny.date(of: .instant(jan2, offsetSeconds: 0)).description == "2026-01-02")
    // Summer: EDT, UTC-4, local midnight of 2026-07-02 is 04:00Z.
    let jul2 = try #require(Instant.parseRFC3339("2026-07-02T04:00:00Z")).0
    #expect(ny.date(of: .instant(Instant(seconds: jul2.seconds - 1), offsetSeconds: 0)).description == "2026-07-01")
    #expect(ny.date(of: .instant(jul2, offsetSeconds: 0)).description == "2026-07-02")
  }

  @Test func unknownZoneIsRefused() {
    #expect(StoreTimeZone("Mars/Olympus_Mons") == nil)
  }
}

@Suite("PeriodKey")
struct PeriodKeyTests {
  @Test(arguments: [
    ("2026", true),
    ("0001", true),
    ("0000", false),
    ("2026-Q1", true),
    ("2026-Q4", true),
    ("2026-Q5", false),
    ("2026-Q0", false),
    ("2026-q4", false),
    ("2026-01", true),
    ("2026-11", true),
    ("2026-12", true),
    ("2026-13", false),
    ("2026-00", false),
    ("2026-1", false),
    ("2026-W01", true),
    ("2026-W45", true),
    ("2026-W52", true),
    ("2026-W53", true),  // 2026-01-01 is a Thursday: 53 ISO weeks
    ("2025-W52", true),
    ("2025-W53", false),  // 2025-01-01 is a Wednesday, not a leap year: 52
    ("2020-W53", true),  // 2020-01-01 is a Wednesday in a leap year: 53
    ("2024-W53", false),  // 2024-01-01 is a Monday: 52
    ("2015-W53", true),  // Thursday
    ("2026-W00", false),
    ("2026-W54", false),
    ("2026-w45", false),
    ("2026-W5", false),
    ("2026-11-03", true),
    ("2024-02-29", true),
    ("2026-02-29", false),
    ("2026-11-3", false),
    ("2026-11-03x", false),
    ("2026/11", false),
    ("", false),
    ("26", false),
    ("abcd", false),
    ("20261", false),
    ("2026-H1", false),
  ])
  func validity(_ key: String, _ valid: Bool) {
    #expect(PeriodKey.isValid(key) == valid)
  }

  @Test(arguments: [
    (2026, 53), (2025, 52), (2024, 52), (2021, 52), (2020, 53), (2015, 53), (2009, 53), (2004, 53),
    (1998, 53), (2032, 53), (2027, 52),
  ])
  func isoWeeks(_ year: Int, _ weeks: Int) {
    #expect(PeriodKey.isoWeeks(year) == weeks)
  }
}

/// `StoreTimeZone.DateCache` (one offset lookup per UTC hour) gives every instant the date
/// `date(of:)` gives, across DST transitions, half-hour and 45-minute zones, a zone that skipped
/// a whole day (Pacific/Apia, end of 2011), and instants in any order.
@Suite("StoreTimeZone.DateCache")
struct DateCacheTests {
  @Test(arguments: [
    "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Apia",
    "America/St_Johns", "Asia/Shanghai",
  ])
  func sameDatesAsTheZone(_ name: String) throws {
    let zone = try #require(StoreTimeZone(name))
    var cache = StoreTimeZone.DateCache(zone)
    let start: Int64 = 1_293_840_000 - 400 * 86_400  // late 2009
    var instants: [Int64] = []
    var t = start
    while t < start + 800 * 86_400 {
      instants.append(t)
      t += 1_237
    }
    // In order, then shuffled (the cache moves back and forth), then right around each hour.
    var rng = SplitMix64(seed: 7)
    let shuffled = instants.shuffled(using: &rng)
    let edges = instants.prefix(2_000).flatMap { s -> [Int64] in
      let h = s - s % 3600
      return [h - 1, h, h + 1, h + 3599]
    }
    for s in instants + shuffled + edges + [-1, 0, -3600, -3601] {
      let at = BusinessTime.instant(Instant(seconds: s, nanoseconds: 0), offsetSeconds: 0)
      #expect(cache.date(of: at) == zone.date(of: at), "\(name) at \(s)")
    }
    let day = CivilDate(year: 2026, month: 11, day: 27)!
    #expect(cache.date(of: .date(day)) == day)
  }
}

/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var daysSinceEpoch: Int32

  public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

  /// From year, month and day; nil when the day does not exist (e.g. 2026-02-30).
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...CivilDate.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    daysSinceEpoch = daysFromCivil(year, month, day)
  }

  public static func < (a: CivilDate, b: CivilDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

  public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Year, month, day (Hinnant's civil_from_days).
  public var components: (year: Int, month: Int, day: Int) {
    let z = Int(daysSinceEpoch) + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }

  public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + Int32(days)) }

  /// The first day of the month `months` before this date's month (`generate`'s default start
  /// for a history that ends with the last full month).
  public func firstOfMonth(monthsBefore months: Int) -> CivilDate {
    let (y, m, _) = components
    let index = y * 12 + (m - 1) - months
    return CivilDate(daysSinceEpoch: daysFromCivil(index / 12, index % 12 + 1, 1))
  }

  public var description: String {
    let (y, m, d) = components
    return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
  }

  /// Parses `YYYY-MM-DD` exactly.
  public static func parse(_ text: String) -> CivilDate? {
    TextScanner.scan(text) { parse(&$0) }
  }

  /// `parse` of the text whose UTF-8 is `bytes`.
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> CivilDate? {
    var s = TextScanner(bytes: bytes)
    return parse(&s)
  }

  private static func parse(_ s: inout TextScanner) -> CivilDate? {
    guard let date = s.date(), s.atEnd else { return nil }
    return date
  }
}

/// A point in time: seconds and nanoseconds since 1970-01-01T00:00:00Z.
public struct Instant: Sendable, Hashable, Comparable {
  public var seconds: Int64
  public var nanoseconds: Int32

  public init(seconds: Int64, nanoseconds: Int32 = 0) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
  }

  public static func < (a: Instant, b: Instant) -> Bool {
    (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
  }

  /// The civil date and time of day at a UTC offset.
  public func civil(offsetSeconds: Int) -> (date: CivilDate, secondOfDay: Int) {
    let local = seconds + Int64(offsetSeconds)
    let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
    return (CivilDate(daysSinceEpoch: Int32(days)), Int(local - days * 86400))
  }

  /// RFC 3339 text at a UTC offset; the fraction is written only when non-zero, without trailing
  /// zeros; offset 0 is written `Z`.
  public func rfc3339(offsetSeconds: Int = 0) -> String {
    let (date, sod) = civil(offsetSeconds: offsetSeconds)
    var s = date.description + "T" + pad(sod / 3600, 2) + ":" + pad(sod / 60 % 60, 2) + ":"
      + pad(sod % 60, 2)
    if nanoseconds != 0 {
      var frac = pad(Int(nanoseconds), 9)
      while frac.hasSuffix("0") { frac.removeLast() }
      s += "." + frac
    }
    if offsetSeconds == 0 { return s + "Z" }
    let off = abs(offsetSeconds) / 60
    return s + (offsetSeconds < 0 ? "-" : "+") + pad(off / 60, 2) + ":" + pad(off % 60, 2)
  }

  /// Parses RFC 3339 `date-time` (offset required); returns the instant and the offset written.
  public static func parseRFC3339(_ text: String) -> (Instant, offsetSeconds: Int)? {
    TextScanner.scan(text) { s in
      guard let date = s.date() else { return nil }
      return parseRFC3339(after: date, &s)
    }
  }

  /// The rest of `parseRFC3339` once `s` has read the date.
  fileprivate static func parseRFC3339(after date: CivilDate, _ s: inout TextScanner)
    -> (Instant, offsetSeconds: Int)?
  {
    guard s.take(UInt8(ascii: "T"), UInt8(ascii: "t")),
      let hh = s.digits(2), s.take(UInt8(ascii: ":")), let mm = s.digits(2), s.take(UInt8(ascii: ":")),
      let ss = s.digits(2), hh < 24, mm < 60, ss < 60
    else { return nil }
    var nanos = 0
    if s.take(UInt8(ascii: ".")) {
      var n = 0
      var count = 0
      while let d = s.digits(1) {
        count += 1
        guard count <= 9 else { return nil }
        n = n * 10 + d
      }
      guard count > 0 else { return nil }
      for _ in count..<9 { n *= 10 }
      nanos = n
    }
    var offset = 0
    if s.take(UInt8(ascii: "Z"), UInt8(ascii: "z")) {
      offset = 0
    } else if let sign = s.takeSign(), let oh = s.digits(2), s.take(UInt8(ascii: ":")), let om = s.digits(2),
      oh < 24, om < 60
    {
      offset = sign * (oh * 3600 + om * 60)
    } else {
      return nil
    }
    guard s.atEnd else { return nil }
    let local = Int64(date.daysSinceEpoch) * 86400 + Int64(hh * 3600 + mm * 60 + ss)
    return (Instant(seconds: local - Int64(offset), nanoseconds: Int32(nanos)), offset)
  }
}

/// When an event happened in the business (the envelope's `at`): an instant with the UTC offset
/// it was written with, or a plain date meaning midnight in the store's timezone (SPEC 2).
public enum BusinessTime: Sendable, Hashable, CustomStringConvertible {
  case instant(Instant, offsetSeconds: Int)
  case date(CivilDate)

  public var description: String {
    switch self {
    case .instant(let t, let off): t.rfc3339(offsetSeconds: off)
    case .date(let d): d.description
    }
  }

  /// A date (`CivilDate.parse`), else a time (`Instant.parseRFC3339`); both start with the
  /// date, read once.
  public static func parse(_ text: String) -> BusinessTime? {
    TextScanner.scan(text) { parse(&$0) }
  }

  /// `parse` of the text whose UTF-8 is `bytes`.
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> BusinessTime? {
    var s = TextScanner(bytes: bytes)
    return parse(&s)
  }

  private static func parse(_ s: inout TextScanner) -> BusinessTime? {
    guard let date = s.date() else { return nil }
    if s.atEnd { return .date(date) }
    guard let (t, off) = Instant.parseRFC3339(after: date, &s) else { return nil }
    return .instant(t, offsetSeconds: off)
  }
}

func pad(_ n: Int, _ width: Int) -> String {
  let s = String(n)
  return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// A tiny cursor over ASCII text for the date parsers.
///
/// It reads the text's UTF-8 where it lies, lent by `scan`: a copy into an array of its own
/// had been an allocation for every date and time read, and the import reads one for every
/// event (with the scanning, 3 % of its reading thread).
struct TextScanner {
  /// Valid only inside `scan`'s body.
  let bytes: UnsafeBufferPointer<UInt8>
  var i = 0

  /// `body`'s answer with a scanner over `text`'s UTF-8 (a small string's on the stack).
  static func scan<T>(_ text: String, _ body: (inout TextScanner) -> T) -> T {
    var text = text
    return text.withUTF8 { u in
      var s = TextScanner(bytes: u)
      return body(&s)
    }
  }

  /// A scanner over `bytes`, which must stay valid while it is used.
  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }
  var atEnd: Bool { i == bytes.count }

  mutating func digits(_ n: Int) -> Int? {
    guard i + n <= bytes.count else { return nil }
    var v = 0
    for k in 0..<n {
      let b = bytes[i + k]
      guard b >= 0x30 && b <= 0x39 else { return nil }
      v = v * 10 + Int(b - 0x30)
    }
    i += n
    return v
  }

  /// Takes the next byte when it is `a` or `b` (without the array of `Character`s the other
  /// `take` is given: the date and time parsers run for every imported event).
  mutating func take(_ a: UInt8, _ b: UInt8? = nil) -> Bool {
    guard i < bytes.count, bytes[i] == a || bytes[i] == b else { return false }
    i += 1
    return true
  }

  mutating func take(_ options: [Character]) -> Bool {
    guard i < bytes.count, options.contains(Character(Unicode.Scalar(bytes[i]))) else {
      return false
    }
    i += 1
    return true
  }

  mutating func takeSign() -> Int? {
    if take(UInt8(ascii: "+")) { return 1 }
    if take(UInt8(ascii: "-")) { return -1 }
    return nil
  }

  mutating func date() -> CivilDate? {
    guard let y = digits(4), take(UInt8(ascii: "-")), let m = digits(2), take(UInt8(ascii: "-")),
      let d = digits(2)
    else {
      return nil
    }
    return CivilDate(year: y, month: m, day: d)
  }
}

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
    if let t = parseOffsetTime(bytes) { return t }
    var s = TextScanner(bytes: bytes)
    return parse(&s)
  }

  /// `YYYY-MM-DDTHH:MM:SS±HH:MM`, the form nearly every import gives, read at fixed places (the
  /// scanner took about 800 instructions for each event the import reads). Nil for any other
  /// text, which `parse` then reads the general way; what it returns is what that returns.
  private static func parseOffsetTime(_ b: UnsafeBufferPointer<UInt8>) -> BusinessTime? {
    guard b.count == 25, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
      b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[22] == UInt8(ascii: ":")
    else { return nil }
    let sign: Int
    switch b[19] {
    case UInt8(ascii: "+"): sign = 1
    case UInt8(ascii: "-"): sign = -1
    default: return nil
    }
    /// The two digits at `i`, or -1.
    func two(_ i: Int) -> Int {
      let (h, l) = (b[i] &- 0x30, b[i + 1] &- 0x30)
      return h < 10 && l < 10 ? Int(h) * 10 + Int(l) : -1
    }
    let (c, y) = (two(0), two(2))
    let (mo, d, hh, mm, ss, oh, om) = (two(5), two(8), two(11), two(14), two(17), two(20), two(23))
    guard c >= 0, y >= 0, mo >= 0, d >= 0, hh >= 0, hh < 24, mm >= 0, mm < 60, ss >= 0, ss < 60,
      oh >= 0, oh < 24, om >= 0, om < 60, let date = CivilDate(year: c * 100 + y, month: mo, day: d)
    else { return nil }
    let offset = sign * (oh * 3600 + om * 60)
    let local = Int64(date.daysSinceEpoch) * 86400 + Int64(hh * 3600 + mm * 60 + ss)
    return .instant(Instant(seconds: local - Int64(offset)), offsetSeconds: offset)
  }

  /// Whether `text`, which `parse` read, is what `description` writes of what it read: the
  /// import then stores the text it was given instead of writing it again. True for a date, for
  /// a time with neither fraction nor lower-case letter at a UTC offset other than zero
  /// (`±HH:MM`), and for one at zero written `Z`; `description` writes every other form
  /// otherwise (a fraction without trailing zeros, `Z` for `+00:00`).
  package static func writesAsItself(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    switch text.count {
    case 10: return true
    case 20: return text[10] == UInt8(ascii: "T") && text[19] == UInt8(ascii: "Z")
    case 25:
      guard text[10] == UInt8(ascii: "T"), text[19] == UInt8(ascii: "+") || text[19] == UInt8(ascii: "-") else {
        return false
      }
      // `±00:00` is offset zero, written `Z`.
      return !(text[20] == 0x30 && text[21] == 0x30 && text[23] == 0x30 && text[24] == 0x30)
    default: return false
    }
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

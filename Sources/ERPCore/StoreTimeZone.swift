import Foundation

/// The store's timezone (an IANA name), which turns business times into business dates
/// (SPEC 5: periods use `at` in the store's timezone).
public struct StoreTimeZone: Sendable {
  public let identifier: String
  private let zone: TimeZone

  public init?(_ identifier: String) {
    guard let z = TimeZone(identifier: identifier) else { return nil }
    self.identifier = identifier
    zone = z
  }

  /// The business date of `at`: a plain date is itself; an instant is its date in this zone.
  public func date(of at: BusinessTime) -> CivilDate {
    switch at {
    case .date(let d): return d
    case .instant(let t, _): return t.civil(offsetSeconds: offset(atSeconds: t.seconds)).date
    }
  }
}

extension StoreTimeZone {
  /// The zone's UTC offset at `seconds` since 1970-01-01T00:00:00Z.
  func offset(atSeconds seconds: Int64) -> Int {
    zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
  }

  /// `date(of:)` for one reader of many events: the zone's offset is looked up once per UTC hour
  /// (Foundation's lookup, with its lock, was a twentieth of reading the log). An hour whose
  /// offset differs at its two ends (it holds a transition) is looked up per event, so the dates
  /// are those of `date(of:)`: no zone changes its offset twice within an hour.
  public struct DateCache {
    public let zone: StoreTimeZone
    private var hour = Int64.min
    private var offset: Int?

    public init(_ zone: StoreTimeZone) { self.zone = zone }

    public mutating func date(of at: BusinessTime) -> CivilDate {
      guard case .instant(let t, _) = at else { return zone.date(of: at) }
      let h = t.seconds >= 0 ? t.seconds / 3600 : (t.seconds - 3599) / 3600
      if h != hour {
        hour = h
        let first = zone.offset(atSeconds: h * 3600)
        offset = first == zone.offset(atSeconds: h * 3600 + 3599) ? first : nil
      }
      guard let offset else { return zone.date(of: at) }
      return t.civil(offsetSeconds: offset).date
    }
  }
}

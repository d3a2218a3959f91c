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
    case .instant(let t, _):
      let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t.seconds)))
      return t.civil(offsetSeconds: offset).date
    }
  }
}

/// The demand series `forecast` and `replenish` fit (SPEC 5, 7 "Forecast"): confirmed order
/// quantity per period (orders cancelled before shipping all of it count only what shipped),
/// from the first period with demand to the last period complete on the as-of date, gaps 0.
public struct DemandSeries: Sendable, Equatable {
  /// The series' key, e.g. a SKU, a product line, or `total`.
  public var key: String
  /// Period keys (`2026-11`, `2026-W45`), one per value.
  public var periods: [String]
  public var values: [Double]
  /// The first period after the series (the first forecast period).
  public var next: DateRange

  /// `month` or `week` (SPEC 4 `--interval`).
  public enum Interval: String, Sendable, CaseIterable {
    case month, week
    public var unit: PeriodUnit { self == .month ? .month : .week }
    /// Season length (SPEC 7: 12 or 52) and default horizon (12 or 13).
    public var seasonLength: Int { self == .month ? 12 : 52 }
    public var defaultHorizon: Int { self == .month ? 12 : 13 }
    /// The mean length of a period in days (for lead times and days of cover).
    public var days: Double { self == .month ? 365.25 / 12 : 7 }
  }

  /// The last period complete on `asOf`: the one whose last day ≤ asOf.
  public static func lastComplete(_ interval: Interval, asOf: CivilDate) -> DateRange {
    let current = interval.unit.range(of: asOf)
    return current.to == asOf.adding(days: 1) ? current : interval.unit.range(of: current.from.adding(days: -1))
  }

  /// Builds the series of `daily` quantities (business day → qty). Nil when there is no demand
  /// in a complete period.
  public static func build(
    key: String, daily: [CivilDate: Int64], interval: Interval, asOf: CivilDate
  ) -> DemandSeries? {
    let last = lastComplete(interval, asOf: asOf)
    var byStart: [CivilDate: Int64] = [:]
    for (d, q) in daily where d < last.to {
      byStart[interval.unit.range(of: d).from, default: 0] += q
    }
    guard let first = byStart.filter({ $0.value != 0 }).keys.min() else { return nil }
    var periods: [String] = []
    var values: [Double] = []
    var r = interval.unit.range(of: first)
    while r.from < last.to {
      periods.append(interval.unit.key(of: r.from))
      values.append(Double(max(0, byStart[r.from] ?? 0)))
      r = interval.unit.range(of: r.to)
    }
    return DemandSeries(key: key, periods: periods, values: values, next: r)
  }

  /// The keys of the `n` periods after the series.
  public func futurePeriods(_ n: Int, interval: Interval) -> [String] {
    var r = next
    var out: [String] = []
    for _ in 0..<n {
      out.append(interval.unit.key(of: r.from))
      r = interval.unit.range(of: r.to)
    }
    return out
  }
}

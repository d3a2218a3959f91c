/// Target, completion and pace for the rows of `report sales` (SPEC 5: "target completion =
/// actual / target for the target's period; pace = completion / elapsed fraction of the period").
///
/// A target applies to a row when the row is of the target's scope and period:
/// - scope: no other dimension than time for `company`, exactly `rep`, `team` or `region` (the
///   row's value is the target's id) for the others;
/// - period: the row's key of its one time dimension equals the target's period (`--by
///   rep,month` and a target for `2026-11`), or, with no time dimension, the report's window is
///   exactly the target's period (`--by rep --period 2026-11`).
public enum SalesTargets {
  /// The metrics `report sales` can compare (`new_customers` belongs to the customers report).
  public static let metrics = ["revenue", "gross_margin", "collections", "collection_rate", "orders"]

  public struct Applied: Sendable, Equatable {
    /// The target in the metric's unit: minor units, orders, or ten-thousandths for a rate.
    public var target: Int64
    public var actual: Int64?
    public var completion: Ratio4?
    public var pace: Ratio4?
    /// The TargetSet event it comes from.
    public var seq: UInt64
  }

  /// The target of each row (nil where none applies).
  public static func apply(
    _ rows: [SalesReport.Row], _ p: SalesProjection, _ q: SalesReport.Query, metric: String, moneyDigits: Int
  ) -> [Applied?] {
    let timeDims = q.by.enumerated().filter { PeriodUnit(rawValue: $0.element) != nil }
    let others = q.by.enumerated().filter { PeriodUnit(rawValue: $0.element) == nil }
    guard timeDims.count <= 1, others.count <= 1 else { return rows.map { _ in nil } }
    let scope: String
    switch others.first?.element {
    case nil: scope = "company"
    case "rep", "team", "region": scope = others.first!.element
    default: return rows.map { _ in nil }
    }
    let candidates = p.targets.filter { $0.scope == scope && $0.metric == metric }
    // The latest target per (id, period): one lookup per row instead of a scan of all targets.
    var latest: [String: SalesProjection.TargetInfo] = [:]
    for t in candidates { latest[t.id + "\u{0}" + t.period] = t }
    return rows.map { row in
      let id = others.first.map { row.keys[$0.offset] } ?? ""
      let period: String
      if let t = timeDims.first {
        period = row.keys[t.offset]
      } else {
        guard let r = q.range, let match = candidates.first(where: { PeriodUnit.parse(key: $0.period)?.range == r })
        else { return nil }
        period = match.period
      }
      guard let t = latest[id + "\u{0}" + period],
        let range = PeriodUnit.parse(key: t.period)?.range,
        let target = value(t.value, metric: metric, digits: moneyDigits)
      else { return nil }
      let actual = self.actual(row.sums, metric: metric)
      var applied = Applied(target: target, actual: actual, completion: nil, pace: nil, seq: t.seq)
      if let actual {
        applied.completion = Ratio4.of(actual, target)
        // Elapsed days of the period up to and including the as-of day.
        let length = Int64(range.to.daysSinceEpoch - range.from.daysSinceEpoch)
        let elapsed = min(max(Int64(q.asOf.daysSinceEpoch) + 1 - Int64(range.from.daysSinceEpoch), 0), length)
        applied.pace = Ratio4.of(Int128(actual) * Int128(length), Int128(target) * Int128(elapsed))
      }
      return applied
    }
  }

  /// The row's figure for the metric, in the target's unit.
  static func actual(_ s: SalesReport.Sums, metric: String) -> Int64? {
    switch metric {
    case "revenue": s.revenue
    case "gross_margin": s.revenue - s.cogs
    case "collections": s.collections
    case "orders": s.orders
    case "collection_rate": Ratio4.of(s.matched, s.invoiced - s.credited)?.tenThousandths
    default: nil
    }
  }

  /// A TargetSet value in the metric's unit.
  static func value(_ text: String, metric: String, digits: Int) -> Int64? {
    switch metric {
    case "orders", "new_customers":
      guard let m = try? Money.parse(text, digits: 0) else { return nil }
      return m.minorUnits
    case "collection_rate":
      guard let m = try? Money.parse(text, digits: 4) else { return nil }
      return m.minorUnits
    default:
      guard let m = try? Money.parse(text, digits: digits) else { return nil }
      return m.minorUnits
    }
  }

  /// The cells of the three columns.
  static func cells(_ a: Applied?, metric: String) -> [Cell] {
    guard let a else { return [.null, .rate(nil), .rate(nil)] }
    let target: Cell
    switch metric {
    case "orders": target = .int(a.target)
    case "collection_rate": target = .rate(Ratio4(tenThousandths: a.target))
    default: target = .money(a.target)
    }
    return [target, .rate(a.completion), .rate(a.pace)]
  }
}

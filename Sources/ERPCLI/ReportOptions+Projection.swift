import ERPCore
import ERPStore

extension ReportOptions {
  /// The sales projection a report as of `asOf` reads, as `report sales` chooses it: the
  /// persisted one (caught up to the head) answers for today; an explicit `--as-of`, or events
  /// dated after the as-of day, replay the log in memory up to that day, touching nothing
  /// persisted.
  func salesProjection(_ s: EventStore, asOf: CivilDate) throws -> SalesProjection {
    guard self.asOf == nil else { return try s.replaySales(asOf: asOf) }
    let p = try s.salesProjection()
    return p.maxDay > asOf.daysSinceEpoch ? try s.replaySales(asOf: asOf) : p
  }
}

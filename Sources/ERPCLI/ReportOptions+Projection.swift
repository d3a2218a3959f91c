import ERPCore
import ERPStore

extension ReportOptions {
  /// The sales projection a report as of `asOf` reads, as `report sales` chooses it: the
  /// persisted one (caught up to the head) answers for today; an explicit `--as-of`, or events
  /// dated after the as-of day, replay the log in memory up to that day, touching nothing
  /// persisted.
  /// The head is the log's head in the snapshot the projection was read or folded from, for
  /// the report's `meta` and reproducibility line.
  func salesProjection(_ s: EventStore, asOf: CivilDate) throws -> (projection: SalesProjection, head: ChainHead) {
    guard self.asOf == nil else { return try s.replaySalesAtHead(asOf: asOf) }
    let current = try s.salesProjectionAtHead()
    return current.projection.maxDay > asOf.daysSinceEpoch ? try s.replaySalesAtHead(asOf: asOf) : current
  }

  /// The same choice for a report that needs only the month sums of the pre-aggregate
  /// (`SalesReport.Query.monthSumsSuffice`): the persisted sums for today, a replay (with its
  /// facts) otherwise.
  func salesMonthSums(_ s: EventStore, asOf: CivilDate) throws -> (projection: SalesProjection, head: ChainHead) {
    guard self.asOf == nil else { return try s.replaySalesAtHead(asOf: asOf) }
    let current = try s.salesMonthSumsAtHead()
    return current.projection.maxDay > asOf.daysSinceEpoch ? try s.replaySalesAtHead(asOf: asOf) : current
  }
}

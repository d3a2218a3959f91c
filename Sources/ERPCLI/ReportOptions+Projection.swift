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
    try s.salesProjection(asOf: asOf, persisted: self.asOf == nil)
  }

  /// The same choice for a report whose queries the month sums of the pre-aggregate answer
  /// (`SalesReport.Query.monthSumsSuffice`), with each query's rows: grouped from the persisted
  /// sums as they are read for today, from a replay's facts otherwise.
  func salesMonthSumRows(_ s: EventStore, asOf: CivilDate, _ queries: [SalesReport.Query]) throws
    -> (projection: SalesProjection, head: ChainHead, rows: [[SalesReport.Row]])
  {
    try s.salesMonthSumRows(queries, asOf: asOf, persisted: self.asOf == nil)
  }
}

import ArgumentParser
import ERPCore
import ERPStore

extension ERPCommand.Report {
  struct Funnel: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "funnel",
      abstract: "The sales funnel of the leads created in the period, from their stage transitions.",
      discussion: """
        Columns: the --by dimensions (source, rep, region: the lead's), then stage, reached,
        conversion, drop_off, avg_days_in_stage; one row per stage new, contacted, qualified,
        quoted, negotiating, won. A lead that reached a later stage counts as having reached
        the earlier ones. The summary adds leads, won, lost, win_rate, close_rate,
        avg_cycle_days, median_cycle_days, won_revenue, lost_reasons and won revenue by source.
        --activity gives the activity view instead: per rep the activities by kind in the
        period, the leads won in it, their revenue and activities per won deal, with the
        correlation of activities and won revenue across reps in the summary.
        Examples: erpctl report funnel --period 2026-Q3 --by source
                  erpctl report funnel --activity --period ytd --format csv
        """)

    @OptionGroup var store: StoreLocation
    @OptionGroup var report: ReportOptions
    @Flag(help: "The activity view: activities per rep against won deals and revenue.")
    var activity = false

    func execute() throws {
      let s = try store.open(readOnly: true)
      let today = Clock.today(in: s.metadata.timezone)
      let q = try report.resolve(today: today, dimensions: activity ? [] : FunnelReport.dimensions)
      let p = FunnelProjection()
      let head = try s.replay([p], asOf: q.asOf)
      let meta = q.meta(
        report: activity ? "funnel-activity" : "funnel", seq: head.seq, hash: Hex.encode(head.hash))
      var doc =
        activity
        ? FunnelReport.activityDocument(p, window: q.window, meta: meta, moneyDigits: s.metadata.moneyDigits)
        : FunnelReport.document(p, .init(window: q.window, by: q.by), meta: meta, moneyDigits: s.metadata.moneyDigits)
      try report.emit(&doc, q)
    }
  }
}

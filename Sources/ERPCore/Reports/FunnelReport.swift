/// `report funnel` (SPEC 5, 6, 7 "Funnel"): a true cohort of the leads created in the window,
/// built from their stage transitions, and the activity view. Values only.
///
/// Definitions (the cohort: leads whose LeadCreated date is in the window, folded as of D):
/// - a lead reached a stage when it entered it or any later open stage (new ⊂ contacted ⊂ … ⊂
///   won); `lost` is not a stage row: a lost lead reached the stages before it was lost;
/// - `conversion` of the first row = reached / leads, of every later row reached / reached of
///   the row before; `drop_off` = reached − reached of the next row (the leads that stopped
///   at this stage, lost there or still open there); none for `won`;
/// - `avg_days_in_stage`: over the cohort's stays that ended (the lead moved to another stage or
///   was lost), the mean of the days from entering the stage to the next transition, 1 decimal;
///   stays still open on D are not counted;
/// - summary: leads, won, lost, win_rate = won / leads, close_rate = won / (won + lost),
///   avg and median cycle days (LeadCreated date to won date, calendar days, 1 decimal),
///   won_revenue = Σ value of the orders naming a won lead of the cohort (booked less cancelled
///   remainders); sections `lost_reasons` (reason → count) and `won_revenue_by_source`.
public enum FunnelReport {
  public static let dimensions = ["source", "rep", "region"]
  public static let stages: [LeadStage] = [.new, .contacted, .qualified, .quoted, .negotiating, .won]
  /// The activity kinds SPEC 3 names, each a column of the activity view.
  public static let activityKinds = ["call", "visit", "email", "meeting"]

  public struct Query: Sendable {
    public var window: DateRange
    public var by: [String]
    public init(window: DateRange, by: [String]) { (self.window, self.by) = (window, by) }
  }

  static func key(_ l: FunnelProjection.Lead, _ dim: String) -> String {
    switch dim {
    case "source": l.source
    case "rep": l.rep
    default: l.region
    }
  }

  /// The cohort, in creation order.
  public static func cohort(_ p: FunnelProjection, _ window: DateRange) -> [FunnelProjection.Lead] {
    p.leadOrder.compactMap { p.leads[$0] }.filter { window.contains($0.created) }
  }

  public static func document(
    _ p: FunnelProjection, _ q: Query, meta: ReportMeta, moneyDigits: Int
  ) -> ReportDocument {
    let leads = cohort(p, q.window)
    var groups: [[String]: [FunnelProjection.Lead]] = [:]
    var order: [[String]] = []
    for l in leads {
      let k = q.by.map { key(l, $0) }
      if groups[k] == nil { order.append(k) }
      groups[k, default: []].append(l)
    }
    if q.by.isEmpty, order.isEmpty { order = [[]] }
    order.sort { $0.lexicographicallyPrecedes($1) { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) } }
    var columns = q.by.map { Column($0, .text) }
    columns += [
      Column("stage", .text), Column("reached", .int), Column("conversion", .rate), Column("drop_off", .int),
      Column("avg_days_in_stage", .decimal),
    ]
    var rows: [[Cell]] = []
    for k in order {
      let g = groups[k] ?? []
      let reached = stages.map { s in Int64(g.filter { $0.furthest.rank >= s.rank }.count) }
      var stay: [LeadStage: (days: Int64, n: Int64)] = [:]
      for l in g {
        for (a, b) in zip(l.transitions, l.transitions.dropFirst()) where a.stage != .lost {
          stay[a.stage, default: (0, 0)].days += Int64(b.day.daysSinceEpoch - a.day.daysSinceEpoch)
          stay[a.stage, default: (0, 0)].n += 1
        }
      }
      for (i, s) in stages.enumerated() {
        let before = i == 0 ? Int64(g.count) : reached[i - 1]
        let st = stay[s] ?? (0, 0)
        rows.append(k.map(Cell.text) + [
          .text(s.rawValue), .int(reached[i]), .rate(Ratio4.of(reached[i], before)),
          i + 1 < stages.count ? .int(reached[i] - reached[i + 1]) : .null,
          ReportMath.decimal(st.days, st.n, scale: 1),
        ])
      }
    }
    // Summary over the whole cohort.
    let won = leads.compactMap { l in l.won.map { (lead: l, day: $0.day) } }
    let lost = leads.filter { $0.lost != nil && $0.won == nil }
    let cycles = won.map { Int64($0.day.daysSinceEpoch - $0.lead.created.daysSinceEpoch) }
    let wonIDs = Set(won.map(\.lead.id))
    var revenueBySource: [String: Int64] = [:]
    let sourceOf = Dictionary(leads.map { ($0.id, $0.source) }, uniquingKeysWith: { a, _ in a })
    for id in p.book.sequence {
      guard let o = p.book[id], let lead = o.lead, wonIDs.contains(lead) else { continue }
      revenueBySource[sourceOf[lead] ?? "", default: 0] += o.value
    }
    var reasons: [String: Int64] = [:]
    for l in lost { reasons[l.lostReason ?? "", default: 0] += 1 }
    let summary: [(String, Cell)] = [
      ("leads", .int(Int64(leads.count))), ("won", .int(Int64(won.count))), ("lost", .int(Int64(lost.count))),
      ("win_rate", .rate(Ratio4.of(Int64(won.count), Int64(leads.count)))),
      ("close_rate", .rate(Ratio4.of(Int64(won.count), Int64(won.count + lost.count)))),
      ("avg_cycle_days", ReportMath.decimal(cycles.reduce(0, +), Int64(cycles.count), scale: 1)),
      ("median_cycle_days", ReportMath.median(cycles)),
      ("won_revenue", .money(revenueBySource.values.reduce(0, +))),
    ]
    let sortedText: ([String: Int64]) -> [(String, Int64)] = { d in
      d.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
        .map { ($0.key, $0.value) }
    }
    return ReportDocument(
      meta: meta, columns: columns, rows: rows, summary: summary, moneyDigits: moneyDigits,
      sections: [
        ("lost_reasons", sortedText(reasons).map { ($0.0, .int($0.1)) }),
        ("won_revenue_by_source", sortedText(revenueBySource).map { ($0.0, .money($0.1)) }),
      ])
  }

  /// The activity view (`--activity`): per rep, the activities dated in the window by kind, the
  /// leads won in the window (by their won date) and the revenue of their orders, activities per
  /// won deal; the summary adds the Pearson correlation across reps of activities and won revenue
  /// (4 decimals; null with fewer than 3 reps or no variation).
  public static func activityDocument(
    _ p: FunnelProjection, window: DateRange, meta: ReportMeta, moneyDigits: Int
  ) -> ReportDocument {
    struct Rep { var kinds = [Int64](repeating: 0, count: 4); var all: Int64 = 0; var won: Int64 = 0; var revenue: Int64 = 0 }
    var reps: [String: Rep] = [:]
    for a in p.activities where window.contains(a.day) {
      var r = reps[a.rep] ?? Rep()
      if let i = activityKinds.firstIndex(of: a.kind) { r.kinds[i] += 1 }
      r.all += 1
      reps[a.rep] = r
    }
    var wonLeads: [String: String] = [:]  // lead → rep
    for id in p.leadOrder {
      guard let l = p.leads[id], let w = l.won, window.contains(w.day) else { continue }
      wonLeads[id] = l.rep
      reps[l.rep, default: Rep()].won += 1
    }
    for id in p.book.sequence {
      guard let o = p.book[id], let lead = o.lead, let rep = wonLeads[lead] else { continue }
      reps[rep, default: Rep()].revenue += o.value
    }
    let sorted = reps.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
    let columns = [Column("rep", .text)] + ["calls", "visits", "emails", "meetings"].map { Column($0, .int) } + [
      Column("activities", .int), Column("won", .int), Column("won_revenue", .money),
      Column("activities_per_won", .decimal),
    ]
    let rows: [[Cell]] = sorted.map { n, r in
      [.text(n)] + r.kinds.map(Cell.int) + [
        .int(r.all), .int(r.won), .money(r.revenue), ReportMath.decimal(r.all, r.won, scale: 1),
      ]
    }
    let xs = sorted.map { Double($0.value.all) }
    let ys = sorted.map { Double($0.value.revenue) }
    let totalActivities = reps.values.reduce(0) { $0 + $1.all }
    let totalWon = reps.values.reduce(0) { $0 + $1.won }
    let summary: [(String, Cell)] = [
      ("reps", .int(Int64(sorted.count))), ("activities", .int(totalActivities)), ("won", .int(totalWon)),
      ("activities_per_won", ReportMath.decimal(totalActivities, totalWon, scale: 1)),
      ("activity_revenue_correlation", pearson(xs, ys).map { ReportMath.decimal($0, scale: 4) } ?? .null),
    ]
    return ReportDocument(meta: meta, columns: columns, rows: rows, summary: summary, moneyDigits: moneyDigits)
  }

  /// Pearson's r; nil with fewer than 3 points or when either side does not vary.
  public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
    let n = Double(x.count)
    guard x.count == y.count, x.count >= 3 else { return nil }
    let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for (a, b) in zip(x, y) {
      sxy += (a - mx) * (b - my)
      sxx += (a - mx) * (a - mx)
      syy += (b - my) * (b - my)
    }
    guard sxx > 0, syy > 0 else { return nil }
    return sxy / (sxx * syy).squareRoot()
  }
}

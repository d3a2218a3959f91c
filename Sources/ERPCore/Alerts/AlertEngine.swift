/// The alert rules in force, folded from AlertRuleSet events (the latest per rule over its
/// defaults).
public final class AlertRulesProjection: EventProjector {
  public static let foldedTypes: Set<String> = ["AlertRuleSet"]
  public private(set) var sets: [(seq: UInt64, event: AlertRuleSet)] = []
  public init() {}
  public func apply(seq: UInt64, day: CivilDate, _ event: SalesEvent) {
    if case .alertRuleSet(let e) = event { sets.append((seq, e)) }
  }
  public var inForce: [AlertRuleParameters] { AlertRuleParameters.inForce(sets) }
}

/// A firing alert (SPEC 6 `alerts --format json`).
public struct Alert: Sendable, Equatable {
  public var rule: AlertRuleName
  /// company, team, region, rep, customer or sku.
  public var scope: String
  public var id: String?
  public var metric: String
  /// The period key it concerns, if any.
  public var period: String?
  public var actual: Cell
  public var target: Cell
  public var completion: Ratio4?
  public var elapsed: Ratio4?
  public var severity: AlertSeverity
  public var message: String
  /// The event seqs it was computed from, ascending.
  public var events: [UInt64]
  /// How bad it is, in the rule's own terms (bigger is worse), for `--since-last`.
  public var badness: Double

  /// What identifies "the same alert" from one night to the next: rule, scope, id, metric and
  /// period — but not the moving window of `collection_rate`, which is the same alert each day.
  public var fingerprint: String {
    [rule.rawValue, scope, id ?? "", metric, rule == .collectionRate ? "" : period ?? ""].joined(separator: "\u{1F}")
  }
}

/// A target and how it stands on the as-of date (`target list`, the target alerts).
public struct TargetStatus: Sendable {
  public var target: SalesProjection.TargetInfo
  public var range: DateRange
  /// In the metric's unit: minor units, a count, or ten-thousandths of a rate.
  public var value: Int64
  public var actual: Int64?
  public var completion: Ratio4?
  public var pace: Ratio4?
  public var elapsedDays: Int64
  public var lengthDays: Int64
  public var elapsed: Ratio4? { Ratio4.of(elapsedDays, lengthDays) }
  /// The TargetSet and the events behind the actual.
  public var seqs: [UInt64]

  /// The cell of a value in the metric's unit.
  public func cell(_ v: Int64?) -> Cell {
    guard let v else { return .null }
    switch target.metric {
    case "orders", "new_customers": return .int(v)
    case "collection_rate": return .rate(Ratio4(tenThousandths: v))
    default: return .money(v)
    }
  }
}

/// Evaluates the alert rules (SPEC 5 `alerts`; issue 7) on projections folded as of a date.
/// Pure: the caller folds the projections and persists `--since-last` state.
public struct AlertEngine {
  public var asOf: CivilDate
  public var moneyDigits: Int
  public var sales: SalesProjection
  public var customers: CustomerProjection
  /// The replenishment lines (`ReplenishReport.lines`), for `stock_reorder`.
  public var stock: [ReplenishReport.Line]
  public var lang: Lang = .en

  public init(asOf: CivilDate, moneyDigits: Int, sales: SalesProjection, customers: CustomerProjection, stock: [ReplenishReport.Line]) {
    (self.asOf, self.moneyDigits, self.sales, self.customers, self.stock) = (asOf, moneyDigits, sales, customers, stock)
  }

  // MARK: Targets

  /// The status of every target in force, in log order; with `current`, only those whose
  /// period contains the as-of date.
  /// `period`: only the targets of that period (the others' figures are not computed).
  /// `withSeqs`: also list the seqs behind each actual (what an alert shows; `target list` does
  /// not need them).
  public func targets(current: Bool, period: String? = nil, withSeqs: Bool = true) -> [TargetStatus] {
    let wanted: [(SalesProjection.TargetInfo, DateRange)] = sales.targets.compactMap { t in
      guard period == nil || t.period == period, let r = PeriodUnit.parse(key: t.period)?.range else { return nil }
      return current && !r.contains(asOf) ? nil : (t, r)
    }
    // The figures of every scope and period the targets need, in one pass over the facts.
    var pairs: [(scope: String, range: DateRange)] = []
    var seen: Set<String> = []
    for (t, r) in wanted where t.metric != "new_customers" && seen.insert(Self.figuresKey(t.scope, r)).inserted {
      pairs.append((t.scope, r))
    }
    var figures = self.figures(for: pairs, withSeqs: withSeqs)
    if wanted.contains(where: { $0.0.metric == "new_customers" }) { figures[Self.firstOrdersKey] = firstOrders() }
    return wanted.compactMap { t, r in status(t, range: r, figures: figures) }
  }

  static func figuresKey(_ scope: String, _ range: DateRange) -> String { "\(scope)\u{1F}\(range)" }

  /// The sales figures of one scope over one period, per scope value (the team, region or rep;
  /// "" for the company), with the seqs of the facts behind each: what `report sales --by
  /// SCOPE --period P --explain ID` gives, computed once for all the targets that share them.
  struct Figures {
    var sums: [String: SalesReport.Sums] = [:]
    var seqs: [String: [UInt64]] = [:]
    /// Under `firstOrdersKey`: each customer's first purchase (customer, day, rep, seq).
    var first: [(customer: String, day: CivilDate, rep: String, seq: UInt64)] = []
  }
  static let firstOrdersKey = "\u{0}first"

  func firstOrders() -> Figures {
    var seen: Set<String> = []
    var out = Figures()
    for id in customers.book.sequence {
      guard let o = customers.book[id], !o.fullyCancelled, seen.insert(o.customer).inserted else { continue }
      out.first.append((o.customer, o.day, o.rep, o.seq))
    }
    return out
  }

  /// The figures of each scope and period, keyed by `figuresKey`: each fact is grouped (as
  /// `report sales --by SCOPE --period P` groups it) for every period that contains its day, and
  /// with `withSeqs` its seq listed under its scope value.
  func figures(for pairs: [(scope: String, range: DateRange)], withSeqs: Bool) -> [String: Figures] {
    guard !pairs.isEmpty else { return [:] }
    var groupers = pairs.map { p in
      SalesReport.Grouper(sales, .init(range: p.range, asOf: asOf, by: p.scope == "company" ? [] : [p.scope]))
    }
    var out = [Figures](repeating: Figures(), count: pairs.count)
    // Each pair's scope value of every tuple.
    let values: [[String]] = pairs.map { p in
      sales.tuples.map { t in
        switch p.scope {
        case "rep": t.rep
        case "team": t.team
        case "region": t.region
        default: ""
        }
      }
    }
    // The pairs whose period holds a day up to the as-of date; facts come mostly in day order.
    let last = asOf.daysSinceEpoch
    var byDay: [Int32: [Int]] = [:]
    var day = Int32.min
    var current: [Int] = []
    for f in sales.facts {
      if f.day != day {
        day = f.day
        if let known = byDay[day] {
          current = known
        } else {
          current = day > last ? [] : pairs.indices.filter { pairs[$0].range.contains(CivilDate(daysSinceEpoch: f.day)) }
          byDay[day] = current
        }
      }
      for i in current {
        groupers[i].add(f)
        if withSeqs && f.measure != .ordersSKU && f.measure != .ordersLine {
          out[i].seqs[values[i][Int(f.tuple)], default: []].append(f.seq)
        }
      }
    }
    var byKey: [String: Figures] = [:]
    for (i, p) in pairs.enumerated() {
      for row in groupers[i].rows() { out[i].sums[row.keys.first ?? ""] = row.sums }
      byKey[Self.figuresKey(p.scope, p.range)] = out[i]
    }
    return byKey
  }

  /// `figures`: those of the target's scope and period (and first purchases for new_customers),
  /// worked out by `targets` for all of them at once.
  func status(_ t: SalesProjection.TargetInfo, range: DateRange, figures: [String: Figures]) -> TargetStatus? {
    guard let value = SalesTargets.value(t.value, metric: t.metric, digits: moneyDigits) else { return nil }
    let length = Int64(range.days)
    let elapsed = min(max(Int64(asOf.daysSinceEpoch) + 1 - Int64(range.from.daysSinceEpoch), 0), length)
    var actual: Int64?
    var seqs: [UInt64] = [t.seq]
    if t.metric == "new_customers" {
      (actual, seqs) = newCustomers(t, range, figures[Self.firstOrdersKey]?.first ?? [])
      seqs.insert(t.seq, at: 0)
    } else {
      let f = figures[Self.figuresKey(t.scope, range)] ?? Figures()
      let id = t.scope == "company" ? "" : t.id
      actual = SalesTargets.actual(f.sums[id] ?? SalesReport.Sums(), metric: t.metric)
      seqs += f.seqs[id] ?? []
    }
    var s = TargetStatus(
      target: t, range: range, value: value, actual: actual, completion: nil, pace: nil, elapsedDays: elapsed,
      lengthDays: length, seqs: Array(Set(seqs)).sorted())
    if let actual {
      s.completion = Ratio4.of(actual, value)
      s.pace = Ratio4.of(Int128(actual) * Int128(length), Int128(value) * Int128(elapsed))
    }
    return s
  }

  /// Customers whose first purchase (a confirmed order not fully cancelled) falls in the range
  /// up to the as-of date, of the target's scope: the first order's rep (and the rep's team),
  /// or the customer's region.
  func newCustomers(
    _ t: SalesProjection.TargetInfo, _ range: DateRange,
    _ first: [(customer: String, day: CivilDate, rep: String, seq: UInt64)]
  ) -> (Int64, [UInt64]) {
    var seqs: [UInt64] = []
    for (c, day, rep, seq) in first where range.contains(day) && day <= asOf {
      let match: Bool
      switch t.scope {
      case "company": match = true
      case "rep": match = rep == t.id
      case "team": match = sales.currentRep(rep)?.team == t.id
      default: match = customers.customers[c]?.region == t.id
      }
      if match { seqs.append(seq) }
    }
    return (Int64(seqs.count), seqs)
  }

  // MARK: Rules

  /// Every firing alert of the rules in force, rule by rule in `AlertRuleName` order.
  public func evaluate(_ rules: [AlertRuleParameters]) -> [Alert] {
    var out: [Alert] = []
    let current = rules.contains { $0.enabled && [.targetPace, .targetShortfall].contains($0.rule) } ? targets(current: true) : []
    for r in rules where r.enabled {
      switch r.rule {
      case .targetPace: out += targetPace(r, current)
      case .targetShortfall: out += targetShortfall(r, current)
      case .collectionRate: out += collectionRate(r)
      case .overdue: out += overdue(r)
      case .dormantHighValue: out += dormant(r)
      case .stockReorder: out += stockReorder(r)
      }
    }
    return out
  }

  /// x ≥ rate, exactly: numerator / denominator against millionths.
  static func atLeast(_ numerator: Int64, _ denominator: Int64, _ rate: Rate) -> Bool {
    Int128(numerator) * Int128(Rate.scale) >= Int128(rate.millionths) * Int128(denominator)
  }

  func scopeText(_ s: TargetStatus) -> String {
    let t = s.target
    if t.scope == "company" { return lang == .zh ? "公司" : "The company" }
    let names = ["team": ("Team", "团队"), "region": ("Region", "区域"), "rep": ("Rep", "销售代表")]
    let (en, zh) = names[t.scope] ?? (t.scope, t.scope)
    return lang == .zh ? "\(zh) \(t.id)" : "\(en) \(t.id)"
  }

  /// A target alert. Its badness is the shortfall of completion (1 − completion): it gets
  /// worse only when completion falls (a credit note, a cancellation), not as days pass — the
  /// passing of time shows as the severity turning critical late in the period.
  func alert(_ r: AlertRuleParameters, _ s: TargetStatus, severity: AlertSeverity, message: String) -> Alert {
    Alert(
      rule: r.rule, scope: s.target.scope, id: s.target.scope == "company" ? nil : s.target.id, metric: s.target.metric,
      period: s.target.period, actual: s.cell(s.actual), target: s.cell(s.value), completion: s.completion,
      elapsed: s.elapsed, severity: severity, message: message,
      events: r.withRuleSet(s.seqs),
      badness: 1 - Double(s.completion?.tenThousandths ?? 0) / 10_000)
  }

  /// The severity of a target alert: the rule's, raised to critical once the elapsed fraction
  /// reaches (1 + checkpoint) / 2 (0.75 with the default checkpoint 0.5): late in the period,
  /// still behind.
  func targetSeverity(_ r: AlertRuleParameters, _ s: TargetStatus) -> AlertSeverity {
    let late = Int128(s.elapsedDays) * 2 * Int128(Rate.scale) >= (Int128(Rate.scale) + Int128(r.checkpoint.millionths)) * Int128(s.lengthDays)
    return late ? max(r.severity, .critical) : r.severity
  }

  /// target_pace: elapsed ≥ checkpoint and completion < threshold (cumulative metrics; a
  /// collection_rate target is a rate, not accumulated over the period — the collection_rate
  /// rule watches it).
  func targetPace(_ r: AlertRuleParameters, _ current: [TargetStatus]) -> [Alert] {
    current.compactMap { s in
      guard s.target.metric != "collection_rate", let actual = s.actual, s.lengthDays > 0, Self.atLeast(s.elapsedDays, s.lengthDays, r.checkpoint),
        !Self.atLeast(actual, s.value, r.threshold), s.value > 0
      else { return nil }
      let done = s.completion?.percent ?? "-"
      let gone = s.elapsed?.percent ?? "-"
      let msg =
        lang == .zh
        ? "\(scopeText(s)) 的 \(s.target.period) \(s.target.metric) 目标完成 \(done)，时间已过 \(gone)（阈值：过 \(pct(r.checkpoint)) 时应达 \(pct(r.threshold))）。"
        : "\(scopeText(s)) is at \(done) of its \(s.target.period) \(s.target.metric) target with \(gone) of the period gone (threshold \(pct(r.threshold)) by \(pct(r.checkpoint)))."
      return alert(r, s, severity: targetSeverity(r, s), message: msg)
    }
  }

  /// target_shortfall: elapsed ≥ checkpoint and completion / elapsed < floor (additive metrics).
  func targetShortfall(_ r: AlertRuleParameters, _ current: [TargetStatus]) -> [Alert] {
    current.compactMap { s in
      guard s.target.metric != "collection_rate", let actual = s.actual, s.elapsedDays > 0, s.value > 0,
        Self.atLeast(s.elapsedDays, s.lengthDays, r.checkpoint),
        !Self.atLeast(actual * s.lengthDays, s.value * s.elapsedDays, r.floor)
      else { return nil }
      let projected = Ratio4.of(Int128(actual) * Int128(s.lengthDays), Int128(s.value) * Int128(s.elapsedDays))
      let msg =
        lang == .zh
        ? "\(scopeText(s)) 按当前进度预计 \(s.target.period) \(s.target.metric) 目标完成 \(projected?.percent ?? "-")，低于 \(pct(r.floor))。"
        : "\(scopeText(s)) is on course for \(projected?.percent ?? "-") of its \(s.target.period) \(s.target.metric) target, under the \(pct(r.floor)) floor."
      return alert(r, s, severity: targetSeverity(r, s), message: msg)
    }
  }

  /// collection_rate: invoices issued in the 90 days ending `days` before the as-of date.
  func collectionRate(_ r: AlertRuleParameters) -> [Alert] {
    let end = asOf.adding(days: -Int(r.days) + 1)
    let window = DateRange(from: end.adding(days: -90), to: end)
    let (rows, facts) = SalesReport.rows(sales, .init(range: window, asOf: asOf, by: []), explain: [])
    guard let s = rows.first?.sums, let rate = Ratio4.of(s.matched, s.invoiced - s.credited) else { return [] }
    guard Int128(rate.tenThousandths) * 100 < Int128(r.floor.millionths) else { return [] }
    let span = "\(window.from) to \(window.to.adding(days: -1))"
    let msg =
      lang == .zh
      ? "\(span) 开出发票的回款率为 \(rate.percent)，低于 \(pct(r.floor))。"
      : "The collection rate of the invoices issued \(span) is \(rate.percent), under the \(pct(r.floor)) floor."
    let seqs = facts.filter { [.invoicedByIssue, .creditByIssue, .matchedByIssue].contains($0.measure) }.map(\.seq)
    return [
      Alert(
        rule: r.rule, scope: "company", id: nil, metric: "collection_rate", period: window.description,
        actual: .rate(rate), target: .rate(Ratio4(tenThousandths: r.floor.millionths / 100)), completion: nil,
        elapsed: nil, severity: r.severity, message: msg, events: r.withRuleSet(Array(Set(seqs))),
        badness: -Double(rate.tenThousandths))
    ]
  }

  /// overdue: per customer, the open balance of invoices more than `days` days past due.
  func overdue(_ r: AlertRuleParameters) -> [Alert] {
    var by: [String: (open: Int64, invoices: [String])] = [:]
    for i in sales.openInvoices where Int64(asOf.daysSinceEpoch - i.due.daysSinceEpoch) > r.days {
      let c = sales.tuples[Int(i.tuple)].customer
      by[c, default: (0, [])].open += i.open
      by[c, default: (0, [])].invoices.append(i.invoice)
    }
    return by.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }.compactMap { c, due in
      let (open, invoices) = due
      guard open > r.amount.minorUnits else { return nil }
      let amount = Money(minorUnits: open).format(digits: moneyDigits)
      let msg =
        lang == .zh
        ? "客户 \(c) 有 \(amount) 逾期超过 \(r.days) 天（\(invoices.count) 张发票）。"
        : "Customer \(c) owes \(amount) more than \(r.days) days past due on \(invoices.count) invoice\(invoices.count == 1 ? "" : "s")."
      let seqs = invoices.compactMap { customers.invoiceSeqs[$0] }
      return Alert(
        rule: r.rule, scope: "customer", id: c, metric: "overdue_\(r.days)d", period: nil, actual: .money(open),
        target: .money(r.amount.minorUnits), completion: nil, elapsed: nil, severity: r.severity, message: msg,
        events: r.withRuleSet(seqs), badness: Double(open))
    }
  }

  /// dormant_high_value: top decile by historical gross profit, no order for more than `days`.
  func dormant(_ r: AlertRuleParameters) -> [Alert] {
    var o = CustomerReport.Options(asOf: asOf, window: DateRange(from: DateRange.beginningOfTime, to: asOf.adding(days: 1)))
    o.dormantDays = Int(r.days)
    o.moneyDigits = moneyDigits
    let rows = CustomerReport.compute(customers, o, model: false).rows
    let decile = CustomerReport.highValue(rows)
    var orderSeqs: [String: [UInt64]] = [:]
    for id in customers.book.sequence {
      if let ord = customers.book[id] { orderSeqs[ord.customer, default: []].append(ord.seq) }
    }
    return decile.filter(\.dormant).map { row in
      let days = Int64(asOf.daysSinceEpoch - row.last.daysSinceEpoch)
      let ltv = Money(minorUnits: row.ltv).format(digits: moneyDigits)
      let msg =
        lang == .zh
        ? "高价值客户 \(row.customer)（历史毛利 \(ltv)）已 \(days) 天未下单。"
        : "High-value customer \(row.customer) (gross profit to date \(ltv)) has not ordered for \(days) days."
      return Alert(
        rule: r.rule, scope: "customer", id: row.customer, metric: "recency_days", period: nil, actual: .int(days),
        target: .int(r.days), completion: nil, elapsed: nil, severity: r.severity, message: msg,
        events: r.withRuleSet(orderSeqs[row.customer] ?? []), badness: 0)
    }
  }

  /// stock_reorder: available stock under the reorder point (or `quantity` without a forecast).
  func stockReorder(_ r: AlertRuleParameters) -> [Alert] {
    stock.compactMap { l in
      let p = l.plan
      let available = Int64(p.onHand - p.reserved + p.onOrder)
      let point = l.model == nil ? r.quantity : Int64(p.reorderPoint)
      guard available < point else { return nil }
      let msg =
        lang == .zh
        ? "SKU \(p.sku) 可用库存 \(available) 低于再订货点 \(point)，建议订货 \(p.suggestedQty)。"
        : "SKU \(p.sku) has \(available) available, under its reorder point of \(point); suggested order \(p.suggestedQty)."
      return Alert(
        rule: r.rule, scope: "sku", id: p.sku, metric: "available_stock", period: nil, actual: .int(available),
        target: .int(point), completion: nil, elapsed: nil, severity: r.severity, message: msg,
        events: r.withRuleSet(l.seqs), badness: Double(point - available))
    }
  }

  func pct(_ r: Rate) -> String { Ratio4(tenThousandths: r.millionths / 100).percent }
}

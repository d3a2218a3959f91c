/// `report customers` (SPEC 5, 6, 7 "Customers"): per customer value, RFM scores and segment,
/// status, and the predicted purchases and CLV of a BG/NBD + Gamma-Gamma model fitted on the
/// history up to the as-of date. Values only.
///
/// Windows: the period (default all history) bounds `orders`, `frequency`, `monetary`, `aov`,
/// `revenue` and `gross_profit`, and so the R/F/M scores, which are computed over the customers
/// with an order in the period (the rows). `first_order`, `last_order`, `recency_days`,
/// `status`, `ltv_historical` and the model use all history up to the as-of date.
public enum CustomerReport {
  public static let dimensions = ["region", "channel", "tier"]
  public static let segments = [
    "champions", "loyal", "potential_loyalist", "new", "promising", "need_attention", "about_to_sleep",
    "cannot_lose", "at_risk", "hibernating",
  ]

  public enum TimeUnit: String, Sendable, CaseIterable {
    case day, week
    public var days: Double { self == .day ? 1 : 7 }
  }

  public struct Options: Sendable {
    public var asOf: CivilDate
    public var window: DateRange
    public var by: [String] = []
    public var dormantDays = 90
    public var horizonMonths = 12
    public var discountRate = 0.01
    public var timeUnit = TimeUnit.day
    public var segment: String?
    /// `active` or `dormant`.
    public var status: String?
    public var moneyDigits = 2

    public init(asOf: CivilDate, window: DateRange) { (self.asOf, self.window) = (asOf, window) }
  }

  /// One customer's figures.
  public struct Row: Sendable {
    public var customer: String
    public var region = "", channel = "", tier = ""
    public var orders: Int64 = 0
    public var monetary: Int64 = 0
    public var revenue: Int64 = 0
    public var grossProfit: Int64 = 0
    public var first: CivilDate
    public var last: CivilDate
    public var ltv: Int64 = 0
    public var r = 0, f = 0, m = 0
    public var segment = ""
    public var pAlive: Double?
    public var expectedPurchases: Double?
    /// Minor units.
    public var clv: Double?
    public var dormant = false
    public var newInWindow = false
  }

  /// The purchase history of one customer up to the as-of date: purchase days with the summed
  /// value of that day's orders (minor units).
  typealias History = [CivilDate: Int64]

  /// Every customer's purchase history (a purchase: a confirmed order not fully cancelled).
  static func histories(_ p: CustomerProjection) -> [String: History] {
    var out: [String: History] = [:]
    for id in p.book.sequence {
      guard let ord = p.book[id], !ord.fullyCancelled else { continue }
      out[ord.customer, default: [:]][ord.day, default: 0] += ord.value
    }
    return out
  }

  /// Everything `document` computes, before it is laid out (tests read it).
  public struct Result: Sendable {
    public var rows: [Row]
    public var model: ModelFit?
    public var modelError: String?
    public var cuts: (r: [Double], f: [Double], m: [Double])
  }

  public static func compute(_ p: CustomerProjection, _ o: Options, model fitModel: Bool = true) -> Result {
    let history = histories(p)
    var rows: [String: Row] = [:]
    for id in p.book.sequence {
      guard let ord = p.book[id], !ord.fullyCancelled, o.window.contains(ord.day) else { continue }
      var r = rows[ord.customer] ?? Row(customer: ord.customer, first: ord.day, last: ord.day)
      r.orders += 1
      r.monetary += ord.value
      rows[ord.customer] = r
    }
    var ltv: [String: Int64] = [:]
    for e in p.entries {
      ltv[e.customer, default: 0] += e.revenue - e.cogs
      guard o.window.contains(e.day), var r = rows[e.customer] else { continue }
      r.revenue += e.revenue
      r.grossProfit += e.revenue - e.cogs
      rows[e.customer] = r
    }
    let asOf = o.asOf.daysSinceEpoch
    for (c, var r) in rows {
      // Every row's customer has a purchase in its history (the row came from one).
      guard let days = history[c]?.keys, let first = days.min(), let last = days.max() else { continue }
      r.first = first
      r.last = last
      r.ltv = ltv[c] ?? 0
      r.dormant = Int(asOf - r.last.daysSinceEpoch) > o.dormantDays
      r.newInWindow = o.window.contains(r.first)
      if let m = p.customers[c] { (r.region, r.channel, r.tier) = (m.region, m.channel, m.tier) }
      rows[c] = r
    }
    // RFM over the rows.
    let list = Array(rows.values)
    let rc = RFM.cutPoints(list.map { Double(asOf - $0.last.daysSinceEpoch) })
    let fc = RFM.cutPoints(list.map { Double($0.orders) })
    let mc = RFM.cutPoints(list.map { Double($0.monetary) })
    for (c, var r) in rows {
      r.r = RFM.score(Double(asOf - r.last.daysSinceEpoch), cuts: rc, inverted: true)
      r.f = RFM.score(Double(r.orders), cuts: fc, inverted: false)
      r.m = RFM.score(Double(r.monetary), cuts: mc, inverted: false)
      r.segment = RFM.segment(r: r.r, f: r.f)
      rows[c] = r
    }
    // The model, on all customers with a purchase up to the as-of date.
    var fit: ModelFit?
    var modelError: String?
    let scale = pow10(o.moneyDigits)
    let inputs = fitModel ? modelInputs(history, o) : [:]
    if fitModel {
      do {
        fit = try ModelFit.fit(Array(inputs.values), unit: o.timeUnit)
      } catch {
        modelError = "\(error)"
      }
    }
    if let fit {
      for (c, var r) in rows {
        guard let input = inputs[c] else { continue }
        let v = fit.predict(input, horizonMonths: o.horizonMonths, discountRate: o.discountRate, unit: o.timeUnit)
        r.pAlive = v.pAlive
        r.expectedPurchases = v.expected
        r.clv = v.clv * scale
        rows[c] = r
      }
    }
    let sorted = rows.values.sorted {
      $0.grossProfit != $1.grossProfit
        ? $0.grossProfit > $1.grossProfit : $0.customer.unicodeScalars.lexicographicallyPrecedes($1.customer.unicodeScalars)
    }
    return Result(rows: sorted, model: fit, modelError: modelError, cuts: (rc, fc, mc))
  }

  static func pow10(_ n: Int) -> Double {
    var p = 1.0
    for _ in 0..<n { p *= 10 }
    return p
  }

  /// SPEC 7's BG/NBD and Gamma-Gamma inputs of every customer with a purchase up to the
  /// as-of date (money in major units), by customer.
  public static func modelInputs(_ p: CustomerProjection, _ o: Options) -> [String: ModelInput] {
    modelInputs(histories(p), o)
  }

  static func modelInputs(_ history: [String: History], _ o: Options) -> [String: ModelInput] {
    let scale = pow10(o.moneyDigits)
    return history.mapValues { modelInput($0, asOf: o.asOf, unit: o.timeUnit, scale: scale) }
  }

  /// SPEC 7's BG/NBD and Gamma-Gamma inputs of one history.
  static func modelInput(_ h: History, asOf: CivilDate, unit: TimeUnit, scale: Double) -> ModelInput {
    let days = h.sorted { $0.key < $1.key }
    guard let first = days.first?.key, let last = days.last?.key else { return ModelInput(x: 0, tx: 0, T: 0, meanSpend: 0) }
    let repeatDays = days.dropFirst()
    let spend = repeatDays.isEmpty ? 0 : Double(repeatDays.reduce(Int64(0)) { $0 + $1.value }) / Double(repeatDays.count) / scale
    return ModelInput(
      x: Double(repeatDays.count),
      tx: Double(last.daysSinceEpoch - first.daysSinceEpoch) / unit.days,
      T: Double(asOf.daysSinceEpoch - first.daysSinceEpoch) / unit.days,
      meanSpend: spend)
  }

  public struct ModelInput: Sendable, Hashable {
    public var x, tx, T, meanSpend: Double
  }

  // MARK: Layout

  public static func document(_ p: CustomerProjection, _ o: Options, meta: ReportMeta) -> (ReportDocument, Result) {
    let result = compute(p, o)
    var rows = result.rows
    if let s = o.segment { rows = rows.filter { $0.segment == s } }
    if let s = o.status { rows = rows.filter { $0.dormant == (s == "dormant") } }
    let asOf = o.asOf.daysSinceEpoch
    let digits = o.moneyDigits
    var columns: [Column]
    var cells: [[Cell]]
    if o.by.isEmpty {
      columns = [
        Column("customer", .text), Column("orders", .int), Column("revenue", .money), Column("gross_profit", .money),
        Column("aov", .money), Column("first_order", .date), Column("last_order", .date),
        Column("recency_days", .int), Column("frequency", .int), Column("monetary", .money), Column("r", .int),
        Column("f", .int), Column("m", .int), Column("segment", .text), Column("ltv_historical", .money),
        Column("p_alive", .rate), Column("expected_purchases", .decimal), Column("clv", .money),
        Column("status", .text),
      ]
      cells = rows.map { r in
        [
          .text(r.customer), .int(r.orders), .money(r.revenue), .money(r.grossProfit), aov(r.monetary, r.orders),
          .date(r.first), .date(r.last), .int(Int64(asOf - r.last.daysSinceEpoch)), .int(r.orders),
          .money(r.monetary), .int(Int64(r.r)), .int(Int64(r.f)), .int(Int64(r.m)), .text(r.segment),
          .money(r.ltv), r.pAlive.map(ReportMath.rate) ?? .rate(nil),
          r.expectedPurchases.map { ReportMath.decimal($0, scale: 4) } ?? .null,
          r.clv.map { $0.isFinite ? .money(Int64($0.rounded(.toNearestOrAwayFromZero))) : .null } ?? .null,
          .text(r.dormant ? "dormant" : "active"),
        ]
      }
    } else {
      columns = o.by.map { Column($0, .text) } + [
        Column("customers", .int), Column("new_customers", .int), Column("orders", .int), Column("revenue", .money),
        Column("gross_profit", .money), Column("aov", .money), Column("monetary", .money),
        Column("repurchase_rate", .rate), Column("ltv_historical", .money), Column("clv", .money),
        Column("dormant", .int),
      ]
      var groups: [[String]: [Row]] = [:]
      for r in rows { groups[o.by.map { dim(r, $0) }, default: []].append(r) }
      let sortedGroups = groups.sorted {
        $0.key.lexicographicallyPrecedes($1.key) { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
      }
      cells = sortedGroups.map { k, g in
        let orders = g.reduce(0) { $0 + $1.orders }, monetary = g.reduce(0) { $0 + $1.monetary }
        let clv = g.reduce(0.0) { $0 + ($1.clv ?? 0) }
        return k.map(Cell.text) + [
          .int(Int64(g.count)), .int(Int64(g.filter(\.newInWindow).count)), .int(orders),
          .money(g.reduce(0) { $0 + $1.revenue }), .money(g.reduce(0) { $0 + $1.grossProfit }),
          aov(monetary, orders), .money(monetary),
          .rate(Ratio4.of(Int64(g.filter { $0.orders >= 2 }.count), Int64(g.count))),
          .money(g.reduce(0) { $0 + $1.ltv }),
          result.model == nil ? .null : .money(Int64(clv.rounded(.toNearestOrAwayFromZero))),
          .int(Int64(g.filter(\.dormant).count)),
        ]
      }
    }
    let (summary, sections) = summarise(p, result, o)
    let doc = ReportDocument(
      meta: meta, columns: columns, rows: cells, summary: summary, moneyDigits: digits, sections: sections)
    return (doc, result)
  }

  /// The high-value customers among `rows`: the top decile by historical gross profit (the
  /// first ⌈n / 10⌉ by ltv_historical, at least one, ties by id), those with a positive one.
  public static func highValue(_ rows: [Row]) -> [Row] {
    let ranked = rows.filter { $0.ltv > 0 }.sorted {
      $0.ltv != $1.ltv ? $0.ltv > $1.ltv : $0.customer.unicodeScalars.lexicographicallyPrecedes($1.customer.unicodeScalars)
    }
    return Array(ranked.prefix(max(1, (rows.count + 9) / 10)))
  }

  static func dim(_ r: Row, _ d: String) -> String {
    switch d {
    case "region": r.region
    case "channel": r.channel
    default: r.tier
    }
  }

  static func aov(_ monetary: Int64, _ orders: Int64) -> Cell {
    orders == 0 ? .null : .money(LineMath.mulDiv(monetary, 1, orders))
  }

  /// The summary (SPEC 5) over all rows of the period, and the JSON sections: the Pareto
  /// curve, CAC and LTV/CAC by channel, the dormant high-value customers and the model.
  static func summarise(_ p: CustomerProjection, _ res: Result, _ o: Options)
    -> ([(String, Cell)], [(String, [(String, Cell)])])
  {
    let rows = res.rows
    let orders = rows.reduce(0) { $0 + $1.orders }
    let monetary = rows.reduce(0) { $0 + $1.monetary }
    let profits = rows.map(\.grossProfit)
    let pareto = Pareto.share(profits)
    let dormantHigh = highValue(rows).filter(\.dormant)
    // CAC by channel (SPEC 5): the campaign costs of the periods that start in the window over
    // the channel's new customers. A channel with no campaign cost there uses the
    // acquisition_cost of its customers registered in the window instead (never both, so a
    // cost recorded both ways is not counted twice).
    var cost: [String: Int64] = [:]
    for c in p.campaignCosts {
      guard let r = PeriodUnit.parse(key: c.period)?.range, o.window.contains(r.from) else { continue }
      cost[c.channel, default: 0] += c.amount
    }
    let campaigned = Set(cost.keys)
    for (_, c) in p.customers where o.window.contains(c.registered) && !campaigned.contains(c.channel) {
      if let a = c.acquisitionCost { cost[c.channel, default: 0] += a }
    }
    var newBy: [String: [Row]] = [:]
    for r in rows where r.newInWindow { newBy[r.channel, default: []].append(r) }
    let channels = Set(cost.keys).union(newBy.keys).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    var cac: [(String, Cell)] = []
    var ltvCac: [(String, Cell)] = []
    for ch in channels {
      let n = Int64(newBy[ch]?.count ?? 0)
      let spent = cost[ch] ?? 0
      cac.append((ch, n == 0 ? .null : .money(LineMath.mulDiv(spent, 1, n))))
      // LTV/CAC: the mean historical LTV of the channel's new customers over its CAC.
      let ltvSum = newBy[ch]?.reduce(0) { $0 + $1.ltv } ?? 0
      ltvCac.append((ch, ReportMath.decimal(ltvSum, spent, scale: 2)))
    }
    var summary: [(String, Cell)] = [
      ("customers", .int(Int64(rows.count))), ("new_customers", .int(Int64(rows.filter(\.newInWindow).count))),
      ("repurchase_rate", .rate(Ratio4.of(Int64(rows.filter { $0.orders >= 2 }.count), Int64(rows.count)))),
      ("aov", orders == 0 ? .null : .money(LineMath.mulDiv(monetary, 1, orders))),
      ("revenue", .money(rows.reduce(0) { $0 + $1.revenue })),
      ("gross_profit", .money(profits.reduce(0, +))),
      ("pareto_share", pareto.map(ReportMath.rate) ?? .rate(nil)),
      ("dormant", .int(Int64(rows.filter(\.dormant).count))),
      ("dormant_high_value", .int(Int64(dormantHigh.count))),
    ]
    for s in segments { summary.append(("segment_" + s, .int(Int64(rows.filter { $0.segment == s }.count)))) }
    var model: [(String, Cell)] = [("time_unit", .text(o.timeUnit.rawValue))]
    if let m = res.model {
      model += m.cells
    } else {
      model.append(("error", .text(res.modelError ?? "")))
    }
    let curve = Pareto.curve(profits, points: 20).map { (ReportMath.decimalText($0.customers, scale: 2), ReportMath.rate($0.profit)) }
    return (
      summary,
      [
        ("model", model), ("cac", cac), ("ltv_cac", ltvCac),
        ("dormant_high_value", dormantHigh.map { ($0.customer, .money($0.ltv)) }),
        ("pareto_curve", curve),
      ]
    )
  }
}

/// `report sales` (SPEC 5 and 6): the sales measures by any dimensions, computed from the sales
/// projection's facts. Values only; rendering is `Render`'s.
public enum SalesReport {
  /// The dimensions `--by` takes (SPEC 4).
  public static let dimensions = [
    "rep", "team", "region", "channel", "customer", "tier", "product", "line", "source", "promotion",
    "day", "week", "month", "quarter", "year",
  ]

  /// Sums of one group.
  public struct Sums: Sendable, Equatable {
    public var booked: Int64 = 0
    public var orders: Int64 = 0
    public var revenue: Int64 = 0
    public var units: Int64 = 0
    public var cogs: Int64 = 0
    public var collections: Int64 = 0
    public var invoiced: Int64 = 0
    public var credited: Int64 = 0
    public var matched: Int64 = 0
    public init() {}
  }

  /// One row: the group's dimension values (in `--by` order) and its sums.
  public struct Row: Sendable, Equatable {
    public var keys: [String]
    public var sums: Sums
  }

  /// How facts are read for one query.
  public struct Query: Sendable {
    public var range: DateRange?
    public var asOf: CivilDate
    public var by: [String]
    /// Dimensions as the master data says now instead of at confirmation (`--attribution current`).
    public var current: Bool

    public init(range: DateRange?, asOf: CivilDate, by: [String], current: Bool = false) {
      (self.range, self.asOf, self.by, self.current) = (range, asOf, by, current)
    }

    /// Product-level groups: order-level measures (collections) do not split by product.
    public var byItem: Bool { by.contains("product") || by.contains("line") }

    /// Whether the month sums of the pre-aggregate (SalesProjection+Aggregate) give this query's
    /// rows exactly, given a projection whose facts are all dated on or before `asOf`: no
    /// customer, product or line, no time dimension finer than the month, no dimension the
    /// current attribution takes from the customer, and a window made of whole months.
    public var monthSumsSuffice: Bool {
      let allowed: Set<String> =
        current
        ? ["rep", "team", "promotion", "source", "month", "quarter", "year"]
        : ["rep", "team", "region", "channel", "tier", "promotion", "source", "month", "quarter", "year"]
      guard by.allSatisfy(allowed.contains) else { return false }
      guard let range else { return true }
      func monthStart(_ d: CivilDate) -> Bool { PeriodUnit.month.range(of: d).from == d }
      return monthStart(range.from) && monthStart(range.to)
    }
  }

  /// Groups the facts in the query's window by its dimensions; rows sorted by their keys.
  /// `explain` collects, for the row whose keys equal it, the facts behind it.
  public static func rows(_ p: SalesProjection, _ q: Query, explain: [String]? = nil)
    -> (rows: [Row], facts: [SalesFact])
  {
    var g = Grouper(p, q)
    for f in p.facts { g.add(f) }
    let rows = g.rows()
    // The facts behind one row: a second pass, only when asked.
    var explained: [SalesFact] = []
    if let explain, let k = g.groupKey(of: explain) {
      explained = p.facts.filter { g.wanted($0) && g.group($0) == k }
    }
    return (rows, explained)
  }

  /// Groups facts fed one at a time by a query's dimensions (what `rows` does over a
  /// projection's facts; the store feeds it month sums straight from their records).
  public struct Grouper {
    let p: SalesProjection
    let q: Query
    /// Which of the three order counts fits the grouping (see SalesMeasure).
    let ordersMeasure: SalesMeasure
    let last, from, to: Int32
    let byItem: Bool
    // Facts are grouped by numbers first (strings are built once per group at the end): the
    // dimensions other than time depend on the tuple and item only, the time ones on the day.
    let timeDims: [(Int, PeriodUnit)]
    let otherDims: [(offset: Int, element: String)]
    var otherGroup: [UInt64: UInt32] = [:]
    var otherKeys: [[String]] = []
    var otherIndex: [[String]: UInt32] = [:]
    var dayGroup: [Int32: UInt32] = [:]
    var timeKeys: [[String]] = []
    var timeIndex: [[String]: UInt32] = [:]
    /// The other dimensions' group of every tuple (or item), worked out once, up front, when
    /// they depend on the tuple alone (or the item alone); a pair lookup otherwise.
    var tupleGroup: [UInt32] = []
    var itemGroup: [UInt32] = []
    var lastDay = Int32.min
    var lastTime: UInt32 = 0
    // The sums of each group, in order of first appearance. When the other dimensions' groups
    // are all known up front (and few), a table by time group and other group finds a group's
    // sums without hashing; otherwise a dictionary by key.
    var sums: [Sums] = []
    var sumKeys: [UInt64] = []
    var slots: [UInt64: Int] = [:]
    var table = false
    var groupCount = 0
    var grid: [[Int32]] = []
    // Consecutive facts often share their group (one order's facts): one lookup for them all.
    var currentKey: UInt64 = 0
    var at = -1

    public init(_ p: SalesProjection, _ q: Query) {
      (self.p, self.q) = (p, q)
      ordersMeasure = q.by.contains("product") ? .ordersSKU : q.by.contains("line") ? .ordersLine : .ordersOrder
      last = q.asOf.daysSinceEpoch
      from = q.range?.from.daysSinceEpoch ?? Int32.min
      to = q.range?.to.daysSinceEpoch ?? Int32.max
      byItem = q.byItem
      timeDims = q.by.enumerated().compactMap { i, d in PeriodUnit(rawValue: d).map { (i, $0) } }
      otherDims = q.by.enumerated().filter { PeriodUnit(rawValue: $0.element) == nil }.map { ($0.offset, $0.element) }
      let itemDims: Set<String> = ["product", "line"]
      if otherDims.isEmpty {
        _ = otherGroupOf([])
      } else if otherDims.allSatisfy({ !itemDims.contains($0.element) }) {
        tupleGroup = p.tuples.indices.map { t in
          let f = SalesFact(seq: 0, day: 0, measure: .booked, tuple: UInt32(t), item: 0, amount: 0)
          return otherGroupOf(otherDims.map { value(of: $0.element, f, p, current: q.current) })
        }
      } else if otherDims.allSatisfy({ itemDims.contains($0.element) }) {
        itemGroup = p.items.indices.map { i in
          let f = SalesFact(seq: 0, day: 0, measure: .booked, tuple: 0, item: UInt32(i), amount: 0)
          return otherGroupOf(otherDims.map { value(of: $0.element, f, p, current: q.current) })
        }
      }
      groupCount = otherKeys.count
      table = (otherDims.isEmpty || !tupleGroup.isEmpty || !itemGroup.isEmpty) && groupCount <= 4096
    }

    mutating func otherGroupOf(_ keys: [String]) -> UInt32 {
      if let i = otherIndex[keys] { return i }
      let g = UInt32(otherKeys.count)
      otherKeys.append(keys)
      otherIndex[keys] = g
      return g
    }

    /// Whether the fact counts in the query's window and measures.
    public func wanted(_ f: SalesFact) -> Bool {
      guard f.day <= last, f.day >= from, f.day < to else { return false }
      switch f.measure {
      case .ordersOrder, .ordersSKU, .ordersLine: return f.measure == ordersMeasure
      case .collections, .invoicedByIssue, .creditByIssue, .matchedByIssue: return !byItem
      default: return true
      }
    }

    /// The fact's group: its other dimensions' group, then its time group.
    mutating func group(_ f: SalesFact) -> UInt64 {
      let g: UInt32
      if otherDims.isEmpty {
        g = 0
      } else if !tupleGroup.isEmpty {
        g = tupleGroup[Int(f.tuple)]
      } else if !itemGroup.isEmpty {
        g = itemGroup[Int(f.item)]
      } else {
        let pair = UInt64(f.tuple) << 32 | UInt64(f.item)
        if let known = otherGroup[pair] {
          g = known
        } else {
          g = otherGroupOf(otherDims.map { value(of: $0.element, f, p, current: q.current) })
          otherGroup[pair] = g
        }
      }
      guard !timeDims.isEmpty else { return UInt64(g) << 32 }
      // Facts come mostly in day order: one remembered day saves most lookups.
      if f.day != lastDay {
        lastDay = f.day
        if let known = dayGroup[f.day] {
          lastTime = known
        } else {
          let day = CivilDate(daysSinceEpoch: f.day)
          let keys = timeDims.map { $0.1.key(of: day) }
          if let i = timeIndex[keys] {
            lastTime = i
          } else {
            lastTime = UInt32(timeKeys.count)
            timeKeys.append(keys)
            timeIndex[keys] = lastTime
          }
          dayGroup[f.day] = lastTime
        }
      }
      return UInt64(g) << 32 | UInt64(lastTime)
    }

    mutating func slot(_ k: UInt64) -> Int {
      if table {
        let t = Int(k & 0xFFFF_FFFF)
        let g = Int(k >> 32)
        while grid.count <= t { grid.append(Array(repeating: -1, count: groupCount)) }
        if grid[t][g] >= 0 { return Int(grid[t][g]) }
        grid[t][g] = Int32(sums.count)
      } else {
        if let i = slots[k] { return i }
        slots[k] = sums.count
      }
      sums.append(Sums())
      sumKeys.append(k)
      return sums.count - 1
    }

    /// Adds one fact (nothing when it is outside the query's window or measures).
    public mutating func add(_ f: SalesFact) {
      guard wanted(f) else { return }
      let k = group(f)
      if at < 0 || k != currentKey {
        currentKey = k
        at = slot(k)
      }
      switch f.measure {
      case .booked: sums[at].booked += f.amount
      case .ordersOrder, .ordersSKU, .ordersLine: sums[at].orders += f.amount
      case .revenue: sums[at].revenue += f.amount
      case .units: sums[at].units += f.amount
      case .cogs: sums[at].cogs += f.amount
      case .collections: sums[at].collections += f.amount
      case .invoicedByIssue: sums[at].invoiced += f.amount
      case .creditByIssue: sums[at].credited += f.amount
      case .matchedByIssue: sums[at].matched += f.amount
      }
    }

    /// Adds facts in order (a batch: one call for many, the loop compiled here).
    public mutating func add(contentsOf facts: [SalesFact]) {
      for f in facts { add(f) }
    }

    func keys(_ k: UInt64) -> [String] {
      var out = [String](repeating: "", count: q.by.count)
      for (j, d) in otherDims.enumerated() { out[d.offset] = otherKeys[Int(k >> 32)][j] }
      for (j, d) in timeDims.enumerated() { out[d.0] = timeKeys[Int(k & 0xFFFF_FFFF)][j] }
      return out
    }

    /// The group whose keys are `keys`, if any fact fell in it.
    func groupKey(of keys: [String]) -> UInt64? { sumKeys.first { self.keys($0) == keys } }

    /// The rows, sorted by their keys' UTF-8 bytes, dimension by dimension (keys are distinct
    /// per group, so the order of `sums` does not show). Each group's keys are ranked once, so
    /// the sort compares integers.
    public func rows() -> [Row] {
      func ranks(_ groups: [[String]]) -> [[Int]] {
        guard let width = groups.first?.count else { return [] }
        var out = Array(repeating: [Int](repeating: 0, count: width), count: groups.count)
        for j in 0..<width {
          let order = groups.indices.sorted { groups[$0][j].utf8.lexicographicallyPrecedes(groups[$1][j].utf8) }
          var rank = 0
          for (n, g) in order.enumerated() {
            if n > 0, groups[g][j] != groups[order[n - 1]][j] { rank += 1 }
            out[g][j] = rank
          }
        }
        return out
      }
      let otherRanks = ranks(otherKeys)
      let timeRanks = ranks(timeKeys)
      func sortKey(_ k: UInt64) -> [Int] {
        var out = [Int](repeating: 0, count: q.by.count)
        for (j, d) in otherDims.enumerated() { out[d.offset] = otherRanks[Int(k >> 32)][j] }
        for (j, d) in timeDims.enumerated() { out[d.0] = timeRanks[Int(k & 0xFFFF_FFFF)][j] }
        return out
      }
      let order = sumKeys.indices.map { (sortKey(sumKeys[$0]), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
      return order.map { Row(keys: keys(sumKeys[$0.1]), sums: sums[$0.1]) }
    }
  }

  /// The value of dimension `dim` for a fact.
  static func value(of dim: String, _ f: SalesFact, _ p: SalesProjection, current: Bool) -> String {
    let t = p.tuples[Int(f.tuple)]
    let item = p.items[Int(f.item)]
    let day = CivilDate(daysSinceEpoch: f.day)
    switch dim {
    case "rep": return t.rep
    case "team": return current ? p.currentRep(t.rep)?.team ?? t.team : t.team
    case "region": return current ? p.currentCustomer(t.customer)?.region ?? t.region : t.region
    case "channel": return current ? p.currentCustomer(t.customer)?.channel ?? t.channel : t.channel
    case "customer": return t.customer
    case "tier": return current ? p.currentCustomer(t.customer)?.tier ?? t.tier : t.tier
    case "promotion": return t.promotion
    case "source": return t.source
    case "product": return item.sku
    case "line": return item.line
    default:
      return PeriodUnit(rawValue: dim)?.key(of: day) ?? ""
    }
  }

  /// The columns after the dimensions (SPEC 6).
  public static let measureColumns: [Column] = [
    Column("booked", .money), Column("orders", .int), Column("aov", .money), Column("revenue", .money),
    Column("units", .int), Column("cogs", .money), Column("gross_margin", .money), Column("margin_rate", .rate),
    Column("collections", .money), Column("collection_rate", .rate),
  ]

  /// The measure cells of one row.
  public static func cells(_ s: Sums, byItem: Bool) -> [Cell] {
    let margin = s.revenue - s.cogs
    return [
      .money(s.booked), .int(s.orders),
      s.orders > 0 ? .money(LineMath.mulDiv(s.booked, 1, s.orders)) : .null,
      .money(s.revenue), .int(s.units), .money(s.cogs), .money(margin), .rate(Ratio4.of(margin, s.revenue)),
      byItem ? .null : .money(s.collections),
      byItem ? .rate(nil) : .rate(Ratio4.of(s.matched, s.invoiced - s.credited)),
    ]
  }

  /// The whole report document: rows, and for `--by rep` the ranking (champion first; the bottom
  /// quartile flagged `needs_coaching`), for `--by product|line` the star / cash_cow / question /
  /// dog class (SPEC 5). `previous` is the same query over the previous equal period (for the
  /// classes' growth), when there is a period.
  /// `rows`: the query's rows when they were grouped already (`Grouper`), else they are grouped
  /// from `p.facts`.
  public static func document(
    _ p: SalesProjection, _ q: Query, meta: ReportMeta, moneyDigits: Int, previous: [Row]? = nil,
    targetMetric: String = "revenue", rows grouped: [Row]? = nil
  ) -> ReportDocument {
    let rows = grouped ?? rows(p, q).rows
    var columns = q.by.map { Column($0, .text) } + measureColumns
    var out: [[Cell]] = rows.map { r in r.keys.map { Cell.text($0) } + cells(r.sums, byItem: q.byItem) }
    // Target, completion and pace where a TargetSet applies (SalesTargets).
    let targets = SalesTargets.apply(rows, p, q, metric: targetMetric, moneyDigits: moneyDigits)
    let hasTargets = targets.contains { $0 != nil }
    if hasTargets {
      let kind: Column.Kind = targetMetric == "orders" ? .int : targetMetric == "collection_rate" ? .rate : .money
      columns += [Column("target", kind), Column("completion", .rate), Column("pace", .rate)]
      out = out.enumerated().map { i, cells in cells + SalesTargets.cells(targets[i], metric: targetMetric) }
    }
    if q.by == ["rep"] {
      columns += [Column("rank", .int), Column("flag", .text)]
      let ranked = rankReps(rows, completion: hasTargets ? targets.map { $0?.completion } : nil)
      out = out.enumerated().map { i, cells in cells + [.int(Int64(ranked[i].rank)), .text(ranked[i].flag)] }
    }
    if q.by == ["product"] || q.by == ["line"] {
      columns += [Column("revenue_share", .rate), Column("revenue_growth", .rate), Column("class", .text)]
      let classes = classify(rows, previous: previous)
      out = out.enumerated().map { i, cells in
        cells + [.rate(classes[i].share), .rate(classes[i].growth), classes[i].label.map { .text($0) } ?? .null]
      }
    }
    var total = Sums()
    for r in rows {
      total.booked += r.sums.booked; total.orders += r.sums.orders; total.revenue += r.sums.revenue
      total.units += r.sums.units; total.cogs += r.sums.cogs; total.collections += r.sums.collections
      total.invoiced += r.sums.invoiced; total.credited += r.sums.credited; total.matched += r.sums.matched
    }
    // Orders of product groups overlap (an order of two products counts in both): no total.
    let totalCells = cells(total, byItem: q.byItem)
    var summary: [(String, Cell)] = []
    for (c, v) in zip(measureColumns, totalCells) where !(q.byItem && c.name == "orders") && !(q.byItem && c.name == "aov") {
      summary.append((c.name, v))
    }
    return ReportDocument(meta: meta, columns: columns, rows: out, summary: summary, moneyDigits: moneyDigits)
  }

  /// Rank by completion when targets apply (reps without one last), else by revenue, then
  /// booked (champion first); the bottom quartile of the ranking (at least one rep when there
  /// are four or more) is flagged `needs_coaching`.
  public static func rankReps(_ rows: [Row], completion: [Ratio4?]? = nil) -> [(rank: Int, flag: String)] {
    let order = rows.indices.sorted { a, b in
      if let c = completion, c[a] != c[b] {
        guard let x = c[a] else { return false }
        guard let y = c[b] else { return true }
        return x > y
      }
      let x = rows[a].sums, y = rows[b].sums
      return (x.revenue, x.booked) != (y.revenue, y.booked)
        ? (x.revenue, x.booked) > (y.revenue, y.booked) : rows[a].keys.lexicographicallyPrecedes(rows[b].keys)
    }
    var out = Array(repeating: (rank: 0, flag: ""), count: rows.count)
    let flagged = rows.count >= 4 ? rows.count / 4 : 0
    for (position, i) in order.enumerated() {
      out[i].rank = position + 1
      out[i].flag = position == 0 ? "champion" : position >= rows.count - flagged ? "needs_coaching" : ""
    }
    return out
  }

  /// Share of revenue (x) and growth against the previous period (y), each split at its median
  /// (at or above the median is high): star high/high, cash_cow high share/low growth, question
  /// low share/high growth, dog low/low. Without a previous period there is no growth and no class.
  public static func classify(_ rows: [Row], previous: [Row]?) -> [(share: Ratio4?, growth: Ratio4?, label: String?)] {
    let total = rows.reduce(Int64(0)) { $0 + $1.sums.revenue }
    let before = Dictionary((previous ?? []).map { ($0.keys, $0.sums.revenue) }, uniquingKeysWith: +)
    let share = rows.map { Ratio4.of($0.sums.revenue, total) }
    let growth: [Ratio4?] = rows.map { r in
      guard previous != nil, let b = before[r.keys] else { return nil }
      return Ratio4.of(r.sums.revenue - b, b)
    }
    func median(_ xs: [Int64]) -> Rational? {
      let s = xs.sorted()
      guard !s.isEmpty else { return nil }
      return s.count % 2 == 1 ? Rational(s[s.count / 2] * 2, 2) : Rational(s[s.count / 2 - 1] + s[s.count / 2], 2)
    }
    let shareMedian = median(share.compactMap { $0?.tenThousandths })
    let growthMedian = median(growth.compactMap { $0?.tenThousandths })
    return rows.indices.map { i in
      guard let s = share[i], let g = growth[i], let sm = shareMedian, let gm = growthMedian else {
        return (share[i], growth[i], nil)
      }
      let highShare = sm.atMost(s.tenThousandths), highGrowth = gm.atMost(g.tenThousandths)
      let label = highShare ? (highGrowth ? "star" : "cash_cow") : (highGrowth ? "question" : "dog")
      return (s, g, label)
    }
  }

  /// n / d, for a median of two values without rounding.
  struct Rational {
    var n: Int64
    var d: Int64
    init(_ n: Int64, _ d: Int64) { (self.n, self.d) = (n, d) }
    func atMost(_ x: Int64) -> Bool { n <= x * d }
  }
}

extension PeriodUnit {
  static let names: Set<String> = Set(PeriodUnit.allCases.map(\.rawValue))
}

import ERPTestSupport
import Foundation
import Testing

@testable import ERPCore
@testable import ERPStore

/// The alert rules on `Fixtures/alerts/history.jsonl`, at as-of dates chosen on each rule's
/// boundary, worked out by hand:
///
/// - Targets for November (30 days): company revenue 10000.00; rep R-1 orders 5. Revenue in
///   November: INV-SH-1 1000.00 (11-03). R-1's November orders: SO-1 (11-02), SO-2 (11-05).
///   The rules in force: target_shortfall with floor 0.8 (AlertRuleSet), the rest on defaults.
/// - target_pace (checkpoint 0.5, threshold 0.4): elapsed 14/30 on 11-14 (too early), 15/30 on
///   11-15. Company revenue 1000/10000 = 0.1 < 0.4 fires from 11-15; R-1 orders 2/5 = 0.4 is
///   not under 0.4 and never fires.
/// - target_shortfall (checkpoint 0.25, floor 0.8): projected = completion / elapsed. Company:
///   0.1 / (14/30) = 0.2143 fires on 11-14 already. R-1: 0.4 / (14/30) = 0.857 and 0.4 / 0.5
///   = 0.8 do not fire (11-14, 11-15); 0.4 / (20/30) = 0.6 fires on 11-20.
/// - collection_rate (floor 0.8, days 30): invoices issued in the 90 days ending as-of − 30.
///   On 10-09 that is 06-12 … 09-09: INV-SH-0 (09-02, 500.00), nothing matched yet → 0 fires;
///   from 10-10 PAY-1 matches 400.00 → 0.8, not under 0.8.
/// - overdue (60 days, amount 0): INV-SH-0 due 10-02 keeps 100.00 open: 60 days past due on
///   12-01 (no), 61 on 12-02 (fires, customer C-2).
/// - stock_reorder (quantity 20 for SKUs without a forecast): P-B has no demand, 20 on hand
///   until the adjustment of −1 on 11-20 → 19 < 20 fires. P-A has 84–95 available against a
///   reorder point of at most 16 (see `ReplenishReport`), never fires.
/// - dormant_high_value (90 days): gross profit to date C-1 400.00 (SO-1), C-2 200.00 (SO-0);
///   the top decile of 2 customers is 1: C-1, whose last order is 11-05: 90 days on
///   2027-02-03 (no), 91 on 2027-02-04 (fires).
@Suite("alert rules")
struct AlertEngineTests {
  static func date(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }

  static func store(_ dir: TemporaryDirectory) throws -> EventStore {
    let s = try makeStore(dir)
    let reader = EventRecordReader(moneyDigits: 2)
    _ = try s.append(try Fixtures.lines("alerts/history.jsonl").map { try reader.newEvent(Array($0.utf8)) }, clock: { fixedInstant })
    return s
  }

  static func alerts(_ s: EventStore, _ day: CivilDate) throws -> [Alert] {
    let customers = CustomerProjection()
    let inventory = InventoryProjection()
    let rules = AlertRulesProjection()
    _ = try s.replay([customers, inventory, rules], asOf: day)
    var o = ReplenishReport.Options(asOf: day)
    o.backtest = false
    let engine = AlertEngine(
      asOf: day, moneyDigits: 2, sales: try s.replaySales(asOf: day), customers: customers,
      stock: ReplenishReport.lines(inventory, o))
    return engine.evaluate(rules.inForce)
  }

  static func names(_ a: [Alert]) -> Set<String> {
    Set(a.map { "\($0.rule.rawValue) \($0.scope) \($0.id ?? "-") \($0.metric)" })
  }

  @Test func eachRuleOnItsBoundary() throws {
    let dir = try TemporaryDirectory("erpctl-alerts")
    defer { dir.remove() }
    let s = try Self.store(dir)
    let cases: [(CivilDate, Set<String>)] = [
      (Self.date(2026, 10, 9), ["collection_rate company - collection_rate"]),
      (Self.date(2026, 10, 10), []),
      (Self.date(2026, 11, 14), ["target_shortfall company - revenue"]),
      (Self.date(2026, 11, 15), ["target_pace company - revenue", "target_shortfall company - revenue"]),
      (Self.date(2026, 11, 19), ["target_pace company - revenue", "target_shortfall company - revenue", "target_shortfall rep R-1 orders"]),
      (Self.date(2026, 11, 20), [
        "target_pace company - revenue", "target_shortfall company - revenue", "target_shortfall rep R-1 orders",
        "stock_reorder sku P-B available_stock",
      ]),
      (Self.date(2026, 12, 1), ["stock_reorder sku P-B available_stock"]),
      (Self.date(2026, 12, 2), ["stock_reorder sku P-B available_stock", "overdue customer C-2 overdue_60d"]),
    ]
    for (day, expected) in cases {
      #expect(Self.names(try Self.alerts(s, day)) == expected, "as of \(day)")
    }
    // Dormancy, late: look only at that rule (others fire by then too).
    let dormant = { (d: CivilDate) in Self.names(try Self.alerts(s, d)).filter { $0.hasPrefix("dormant") } }
    #expect(try dormant(Self.date(2027, 2, 3)) == [])
    #expect(try dormant(Self.date(2027, 2, 4)) == ["dormant_high_value customer C-1 recency_days"])
  }

  @Test func theFiguresOfATargetAlert() throws {
    let dir = try TemporaryDirectory("erpctl-alerts")
    defer { dir.remove() }
    let s = try Self.store(dir)
    let all = try Self.alerts(s, Self.date(2026, 11, 15))
    let pace = try #require(all.first { $0.rule == .targetPace })
    #expect(pace.actual == .money(100_000))
    #expect(pace.target == .money(1_000_000))
    #expect(pace.completion == Ratio4(tenThousandths: 1_000))
    #expect(pace.elapsed == Ratio4(tenThousandths: 5_000))
    #expect(pace.period == "2026-11")
    #expect(pace.severity == .warning)
    // The TargetSet and the invoice behind the revenue are among its events.
    let sales = try s.replaySales(asOf: Self.date(2026, 11, 15))
    #expect(pace.events.contains(try #require(sales.targets.first { $0.metric == "revenue" }).seq))
    let invoice = try #require(sales.facts.first { $0.measure == .revenue && $0.day == Self.date(2026, 11, 3).daysSinceEpoch })
    #expect(pace.events.contains(invoice.seq))
    // Late in the period the shortfall turns critical: elapsed ≥ (1 + 0.25) / 2 = 0.625.
    let late = try Self.alerts(s, Self.date(2026, 11, 19)).first { $0.rule == .targetShortfall && $0.scope == "company" }
    #expect(late?.severity == .critical)  // 19/30 = 0.633
    let early = try Self.alerts(s, Self.date(2026, 11, 18)).first { $0.rule == .targetShortfall && $0.scope == "company" }
    #expect(early?.severity == .warning)  // 18/30 = 0.6
  }

  @Test func sinceLastMemory() throws {
    let dir = try TemporaryDirectory("erpctl-alerts")
    defer { dir.remove() }
    let s = try Self.store(dir)
    let first = try Self.alerts(s, Self.date(2026, 11, 15))
    var memory = AlertMemory()
    #expect(memory.news(first).count == 2)
    memory = memory.after(notifying: first, firing: first)
    #expect(memory.news(first).isEmpty, "the same alerts are not news")
    #expect(AlertMemory(bytes: memory.bytes) == memory)
    // Five days later: the company's shortfall turned critical (elapsed 20/30 ≥ 0.625: worse),
    // R-1's shortfall and P-B are new; the pace alert is unchanged (same completion, still a
    // warning: 20/30 < 0.75).
    let later = try Self.alerts(s, Self.date(2026, 11, 20))
    #expect(Self.names(memory.news(later)) == [
      "target_shortfall company - revenue", "target_shortfall rep R-1 orders", "stock_reorder sku P-B available_stock",
    ])
    // An alert that stops firing is forgotten.
    let next = memory.after(notifying: [], firing: [])
    #expect(next.notified.isEmpty)
  }

  /// Every target's actual on a generated history (targets per rep and month, quarters and the
  /// company added) equals the same figure from `report sales --by SCOPE` over the target's
  /// period, and its seqs are the facts `--explain` lists; without seqs the figures are the same.
  @Test func targetFiguresInOnePassEqualReportSales() throws {
    let dir = try TemporaryDirectory("erpctl-alerts")
    defer { dir.remove() }
    var events = try generatedHistory(months: 6, customers: 60, reps: 5, products: 15, seed: 8)
    let reader = EventRecordReader(moneyDigits: 2)
    for (scope, id, metric, period) in [("company", nil, "revenue", "2026-Q1"), ("company", nil, "orders", "2026"),
      ("team", "T-1", "gross_margin", "2026-Q2"), ("region", "north", "collections", "2026-03")] as [(String, String?, String, String)] {
      let idField = id.map { #","id":"\#($0)""# } ?? ""
      events.append(try reader.newEvent(Array(#"{"type":"TargetSet","at":"2026-01-01","data":{"scope":"\#(scope)"\#(idField),"metric":"\#(metric)","period":"\#(period)","value":\#(metric == "orders" ? "40" : #""1000.00""#)}}"#.utf8)))
    }
    let s = try makeStore(dir)
    _ = try s.append(events, clock: { fixedInstant })
    let sales = try s.replaySales()
    let asOf = Self.date(2026, 5, 20)
    let engine = AlertEngine(asOf: asOf, moneyDigits: 2, sales: sales, customers: CustomerProjection(), stock: [])
    let statuses = engine.targets(current: false)
    #expect(statuses.count > 20)
    for st in statuses where st.target.metric != "new_customers" {
      let by = st.target.scope == "company" ? [String]() : [st.target.scope]
      let q = SalesReport.Query(range: st.range, asOf: asOf, by: by)
      let key = st.target.scope == "company" ? [String]() : [st.target.id]
      let row = SalesReport.rows(sales, q).rows.first { $0.keys == key }
      #expect(st.actual == SalesTargets.actual(row?.sums ?? SalesReport.Sums(), metric: st.target.metric), "\(st.target)")
      let explained = SalesReport.rows(sales, q, explain: key).facts
        .filter { $0.measure != .ordersSKU && $0.measure != .ordersLine }.map(\.seq)
      #expect(st.seqs == Array(Set(explained + [st.target.seq])).sorted(), "\(st.target)")
    }
    let plain = engine.targets(current: false, withSeqs: false)
    #expect(plain.map(\.actual) == statuses.map(\.actual) && plain.map(\.pace) == statuses.map(\.pace))
    #expect(engine.targets(current: false, period: "2026-Q1").map(\.target.period).allSatisfy { $0 == "2026-Q1" })
  }
}

import ERPCore
import ERPStore
import Testing

/// One generated history and what replaying it through the rules gave.
struct GeneratedHistory: Sendable {
  var options: GenerateOptions
  var events: [NewEvent]
  var summary: GenerateSummary
  /// Every stored event (primary and derived) with its business date, in log order, as a fresh
  /// store that never forgets anything would hold them; and the refusals of that replay.
  var stored: [(event: SalesEvent, date: CivilDate)]
  var replayRefusals: [String]
  /// The replayed state at the end.
  var finalInvoices: [(id: String, amount: Money, due: CivilDate, open: Money)]

  init(_ options: GenerateOptions) throws {
    self.options = options
    var events: [NewEvent] = []
    summary = try HistoryGenerator.run(options) { events.append($0) }
    self.events = events
    (stored, replayRefusals, finalInvoices) = Self.replay(events)
  }

  /// Decides every event against a fresh, never-forgetting state exactly as `LogAppender` does.
  static func replay(_ events: [NewEvent]) -> (
    [(event: SalesEvent, date: CivilDate)], [String], [(id: String, amount: Money, due: CivilDate, open: Money)]
  ) {
    let zone = StoreTimeZone("Asia/Shanghai")!
    let state = SalesState()
    var stored: [(event: SalesEvent, date: CivilDate)] = []
    var refusals: [String] = []
    var invoices: [InvoiceIssued] = []
    for e in events {
      let date = zone.date(of: e.at)
      do {
        let data = try EventCatalog.check(type: e.type, data: e.data, moneyDigits: 2)
        let typed = try SalesEvent(type: e.type, data: data, digits: 2)
        let ctx = DecideContext(at: e.at, date: date, digits: 2, defaultTermsDays: 30)
        let decided = try SalesDecider.decide(typed, ctx, state)
        for d in decided {
          try SalesDecider.evolve(state, d, defaultTermsDays: 30)
          stored.append((d, date))
          if case .invoiceIssued(let i) = d { invoices.append(i) }
        }
      } catch {
        refusals.append("\(e.key ?? "") \(e.type): \(error)")
      }
    }
    let open = invoices.map { i in
      (i.invoice, i.amount, i.due, ((try? state.get(InvoiceState.self, i.invoice)) ?? nil)?.open ?? .zero)
    }
    return (stored, refusals, open)
  }

  /// The lines `erpctl generate` writes.
  var bytes: [UInt8] { Self.bytes(events) }

  static func bytes(_ events: [NewEvent]) -> [UInt8] {
    var out: [UInt8] = []
    for e in events {
      var o = JSONObject()
      o["type"] = .string(e.type)
      o["at"] = .string(e.at.description)
      o["key"] = e.key.map { .string($0) }
      o["data"] = .object(e.data)
      CanonicalJSON.write(.object(o), into: &out)
      out.append(0x0A)
    }
    return out
  }

  var orders: [(order: OrderConfirmed, date: CivilDate)] {
    stored.compactMap { if case .orderConfirmed(let o) = $0.event { (o, $0.date) } else { nil } }
  }

  /// `YYYY-MM` of every month of the history.
  var months: [String] {
    var out: [String] = []
    var d = options.start
    while d < options.end {
      let key = String(d.description.prefix(7))
      if out.last != key { out.append(key) }
      d = d.adding(days: 1)
    }
    return out
  }
}

/// Two years, 300 customers: big enough for seasons, tails and every event type, small enough
/// for a debug build.
let twoYears: Result<GeneratedHistory, any Error> = Result {
  try GeneratedHistory(GenerateOptions(months: 24, customers: 300, reps: 10, products: 60, seed: 42))
}

@Suite("generate: a realistic, reproducible history")
struct GenerateTests {
  @Test func theSameOptionsGiveTheSameBytesAndAnotherSeedOthers() throws {
    let options = GenerateOptions(months: 6, customers: 80, reps: 5, products: 30, seed: 7)
    let a = try GeneratedHistory(options)
    let b = try GeneratedHistory(options)
    #expect(a.bytes == b.bytes)
    #expect(a.summary == b.summary)
    var other = options
    other.seed = 8
    let c = try GeneratedHistory(other)
    #expect(c.bytes != a.bytes)
    #expect(a.events.count > 500)
  }

  @Test func noEventIsRefusedByTheGeneratorOrByAFreshStateThatForgetsNothing() throws {
    let h = try twoYears.get()
    #expect(h.summary.refused == 0, "\(h.summary.refusals)")
    #expect(h.replayRefusals.isEmpty, "\(h.replayRefusals.prefix(5))")
    #expect(h.summary.events == h.events.count)
    #expect(h.summary.byType.reduce(0) { $0 + $1.count } == h.events.count)
  }

  @Test func onlyPrimaryEventsInBusinessTimeOrderWithOneKeyEach() throws {
    let h = try twoYears.get()
    let derived = Set(EventCatalog.schemas.filter(\.derived).map(\.type))
    #expect(!h.events.contains { derived.contains($0.type) })
    #expect(!h.events.contains { $0.type == "PaymentMatched" })
    let zone = StoreTimeZone("Asia/Shanghai")!
    func instant(_ at: BusinessTime) -> Int64 {
      switch at {
      case .instant(let t, let offset):
        #expect(offset == 8 * 3600)
        return t.seconds
      case .date(let d): return Int64(d.daysSinceEpoch) * 86_400 - 8 * 3600
      }
    }
    let times = h.events.map { instant($0.at) }
    #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
    let dates = h.events.map { zone.date(of: $0.at) }
    #expect(dates.allSatisfy { $0 >= h.options.start && $0 < h.options.end })
    #expect(h.events.enumerated().allSatisfy { $0.element.key == "gen:42:\($0.offset + 1)" })
  }

  @Test func everyPrimaryEventTypeOfSpec3Appears() throws {
    let h = try twoYears.get()
    // AlertRuleSet is configuration, not business history: generated stores run the defaults.
    let primary = EventCatalog.schemas.filter {
      !$0.derived && $0.type != "PaymentMatched" && $0.type != "AlertRuleSet"
    }.map(\.type)
    let seen = Set(h.events.map(\.type))
    #expect(primary.count == 20)
    for t in primary { #expect(seen.contains(t), "no \(t)") }
  }

  @Test func aFewCustomersMakeMostOfTheBookedAmount() throws {
    let h = try twoYears.get()
    var booked: [String: Int64] = [:]
    for (o, _) in h.orders { booked[o.customer, default: 0] += o.amount.minorUnits }
    let values = booked.values.sorted(by: >)
    let top = values.prefix(max(1, values.count / 5)).reduce(0, +)
    let total = values.reduce(0, +)
    #expect(Double(top) >= 0.6 * Double(total), "top 20 % carry \(Double(top) / Double(total))")
    // Repeat purchases, and customers that stopped ordering (none in the last four months).
    let counts = Dictionary(grouping: h.orders, by: { $0.order.customer }).mapValues(\.count)
    #expect(counts.values.filter { $0 >= 5 }.count > counts.count / 3)
    let lastOrder = Dictionary(grouping: h.orders, by: { $0.order.customer }).mapValues { $0.map(\.date).max()! }
    let cutoff = h.options.end.adding(days: -120)
    #expect(lastOrder.values.filter { $0 < cutoff }.count >= 10)
  }

  @Test func bookingsPeakAtTheYearEndAndDipInFebruary() throws {
    let h = try twoYears.get()
    var byMonth: [String: Int64] = [:]
    for (o, d) in h.orders { byMonth[String(d.description.prefix(7)), default: 0] += o.amount.minorUnits }
    let months = h.months
    let average = Double(months.reduce(0) { $0 + (byMonth[$1] ?? 0) }) / Double(months.count)
    let peak = months.filter { $0.hasSuffix("-11") || $0.hasSuffix("-12") }
    let peakAverage = Double(peak.reduce(0) { $0 + (byMonth[$1] ?? 0) }) / Double(peak.count)
    #expect(peakAverage > average)
    // Growth: the second year books more than the first.
    let first = months.prefix(12).reduce(0) { $0 + (byMonth[$1] ?? 0) }
    let second = months.dropFirst(12).reduce(0) { $0 + (byMonth[$1] ?? 0) }
    #expect(second > first)
  }

  @Test func slowSKUsHaveIntermittentDemand() throws {
    let h = try twoYears.get()
    var monthsWithDemand: [String: Set<String>] = [:]
    for (o, d) in h.orders {
      for l in o.lines { monthsWithDemand[l.sku, default: []].insert(String(d.description.prefix(7))) }
    }
    let skus = h.events.filter { $0.type == "ProductDefined" }.compactMap { $0.data["sku"]?.stringValue }
    let months = Double(h.months.count)
    let intermittent = Set(skus).filter { Double(monthsWithDemand[$0]?.count ?? 0) <= 0.6 * months }
    #expect(intermittent.count >= 3, "\(intermittent.count) SKUs with ≥ 40 % zero months")
  }

  @Test func theOrderToCashStoryHasItsExceptions() throws {
    let h = try twoYears.get()
    let types = Dictionary(grouping: h.events, by: \.type).mapValues(\.count)
    #expect((types["ReturnReceived"] ?? 0) > 0)
    #expect((types["OrderCancelled"] ?? 0) > 0)
    // Partial shipments: orders shipped more than once.
    var shipments: [String: Int] = [:]
    for case (.shipped(let s), _) in h.stored { shipments[s.order, default: 0] += 1 }
    #expect(shipments.values.filter { $0 > 1 }.count >= 10)
    #expect(h.events.contains { $0.type == "Shipped" && $0.data["freight_cost"] != nil })
    // Short stock: some orders allow backorder, and receipts reserve for them.
    #expect(h.orders.contains { $0.order.allowBackorder })
    #expect(h.events.contains { $0.type == "StockReceived" && $0.data["po"] != nil })
    // Promotions with discounts.
    #expect(h.orders.contains { $0.order.promotion != nil && $0.order.lines.contains { $0.discount != nil } })
    // Overdue invoices at the end of the history.
    let end = h.options.end.adding(days: -1)
    let overdue = h.finalInvoices.filter { $0.open > .zero && $0.due < end }
    #expect(overdue.count >= 5)
    // Late and partial payments: some invoices paid in part.
    #expect(h.finalInvoices.contains { $0.open > .zero && $0.open < $0.amount })
  }

  @Test func theFunnelMovesStageByStageAndLosesWithReasons() throws {
    let h = try twoYears.get()
    var stages: [String: Int] = [:]
    var reasons: Set<String> = []
    for case (.leadStageChanged(let c), _) in h.stored {
      stages[c.stage.rawValue, default: 0] += 1
      if c.stage == .lost { reasons.insert(c.reason ?? "") }
    }
    for s in ["contacted", "qualified", "quoted", "negotiating", "won", "lost"] {
      #expect((stages[s] ?? 0) > 0, "no lead reached \(s)")
    }
    #expect(reasons.count >= 4 && !reasons.contains(""))
    // Won leads become orders naming them (and their quote).
    #expect(h.orders.contains { $0.order.lead != nil && $0.order.quote != nil })
    // Activities on leads and on accounts, of every kind.
    let kinds = Set(h.events.filter { $0.type == "ActivityLogged" }.compactMap { $0.data["kind"]?.stringValue })
    #expect(kinds == ["call", "visit", "email", "meeting"])
    #expect(h.events.contains { $0.type == "LeadCreated" && $0.data["company"] != nil })
    #expect(h.events.contains { $0.type == "LeadCreated" && $0.data["customer"] != nil })
    #expect(h.events.contains { $0.type == "CustomerRegistered" && $0.data["acquisition_cost"] != nil })
  }

  @Test func targetsPerRepAndMonthAndCampaignCostsPerChannelAndMonth() throws {
    let h = try twoYears.get()
    let targets = h.events.filter { $0.type == "TargetSet" }
    let repRevenue = targets.filter { $0.data["scope"] == "rep" && $0.data["metric"] == "revenue" }
    #expect(repRevenue.count == h.options.reps * h.options.months)
    #expect(targets.contains { $0.data["scope"] == "company" })
    let costs = h.events.filter { $0.type == "CampaignCostRecorded" }
    #expect(costs.count == 4 * h.options.months)
  }

  @Test func optionsOutsideTheirRangesAreNamed() {
    #expect(GenerateOptions().problem == nil)
    #expect(GenerateOptions(months: 0).problem?.contains("--months") == true)
    #expect(GenerateOptions(customers: 0).problem?.contains("--customers") == true)
    #expect(GenerateOptions(reps: 0).problem?.contains("--reps") == true)
    #expect(GenerateOptions(products: 300_000).problem?.contains("--products") == true)
    let endOfJanuary = CivilDate(year: 2025, month: 1, day: 31)!
    #expect(GenerateOptions(months: 1, start: endOfJanuary).end.description == "2025-02-28")
  }

  @Test func tinyHistoriesStillWork() throws {
    for options in [
      GenerateOptions(months: 1, customers: 1, reps: 1, products: 1, seed: 3),
      GenerateOptions(months: 2, customers: 5, reps: 2, products: 3, seed: 4,
        start: CivilDate(year: 2024, month: 2, day: 29)!),
    ] {
      let h = try GeneratedHistory(options)
      #expect(h.summary.refused == 0, "\(h.summary.refusals)")
      #expect(h.replayRefusals.isEmpty, "\(h.replayRefusals.prefix(3))")
    }
  }
}

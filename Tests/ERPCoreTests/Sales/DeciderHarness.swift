import ERPCore
import Testing

/// Given events / when event / then events, for the pure sales decider (STYLE: Decider tests).
/// Business dates come from the plain-date `at` of each event; money has 2 decimals.
struct Scenario {
  let state = SalesState()
  var date = CivilDate(year: 2026, month: 11, day: 3)!
  static let digits = 2

  /// Folds `events` into the state as if they had been stored.
  @discardableResult
  func given(_ events: SalesEvent...) throws -> Scenario {
    for e in events { try SalesDecider.evolve(state, e, defaultTermsDays: 30) }
    return self
  }

  func on(_ date: String) -> Scenario {
    var s = self
    s.date = CivilDate.parse(date)!
    return s
  }

  /// Decides `event`; on success the decided events are folded in, like the store does.
  func when(_ event: SalesEvent) throws -> [SalesEvent] {
    let ctx = DecideContext(at: .date(date), date: date, digits: Self.digits, defaultTermsDays: 30)
    let out = try SalesDecider.decide(event, ctx, state)
    for e in out { try SalesDecider.evolve(state, e, defaultTermsDays: 30) }
    return out
  }

  /// The DomainError `event` is refused with; fails the test when it is accepted.
  func refusal(_ event: SalesEvent, sourceLocation: SourceLocation = #_sourceLocation) -> DomainError? {
    do {
      let out = try when(event)
      Issue.record("expected a refusal, got \(out.map(\.type))", sourceLocation: sourceLocation)
      return nil
    } catch let e as DomainError {
      return e
    } catch {
      Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
      return nil
    }
  }
}

/// Short constructors for test data.
enum F {
  static func m(_ s: String) -> Money { try! Money.parse(s, digits: 2) }
  static func customer(_ id: String = "C-1", region: String = "east") -> SalesEvent {
    .customerRegistered(CustomerRegistered(customer: id, name: "Customer \(id)", region: region, channel: "direct"))
  }
  static func rep(_ id: String = "R-1") -> SalesEvent {
    .repRegistered(RepRegistered(rep: id, name: "Rep \(id)", team: "t1", region: "east"))
  }
  static func product(_ sku: String = "A1", price: String = "10.00") -> SalesEvent {
    .productDefined(ProductDefined(sku: sku, name: sku, line: "widgets", listPrice: m(price)))
  }
  static func receive(_ qty: Int64, sku: String = "A1", cost: String, po: String? = nil) -> SalesEvent {
    .stockReceived(StockReceived(sku: sku, qty: qty, unitCost: m(cost), po: po))
  }
  static func line(_ qty: Int64, _ price: String, sku: String = "A1", discount: String? = nil) -> OrderLine {
    OrderLine(sku: sku, qty: qty, unitPrice: m(price), discount: discount.flatMap { Rate($0) })
  }
  static func order(_ lines: OrderLine...) -> SalesEvent { order("SO-1", lines) }
  static func order(_ id: String, customer: String = "C-1", lead: String? = nil,
    backorder: Bool = false, terms: Int64? = nil, rep: String = "R-1", quote: String? = nil,
    _ lines: OrderLine...) -> SalesEvent
  {
    order(id, customer: customer, lead: lead, backorder: backorder, terms: terms, rep: rep, quote: quote, lines)
  }
  static func order(_ id: String, customer: String = "C-1", lead: String? = nil,
    backorder: Bool = false, terms: Int64? = nil, rep: String = "R-1", quote: String? = nil,
    _ lines: [OrderLine]) -> SalesEvent
  {
    .orderConfirmed(OrderConfirmed(order: id, customer: customer, rep: rep, lead: lead, quote: quote,
      paymentTermsDays: terms, allowBackorder: backorder, lines: lines))
  }
  static func reserved(_ order: String, _ sku: String, _ qty: Int64) -> SalesEvent {
    .stockReserved(StockReserved(order: order, sku: sku, qty: qty))
  }
  static func reserved(_ qty: Int64) -> SalesEvent { reserved("SO-1", "A1", qty) }
  static func ship(_ lines: (String, Int64)...) -> SalesEvent { ship("SO-1", "SH-1", lines) }
  static func ship(_ order: String, _ shipment: String, _ lines: (String, Int64)...) -> SalesEvent {
    ship(order, shipment, lines)
  }
  static func ship(_ order: String, _ shipment: String, _ lines: [(String, Int64)]) -> SalesEvent {
    .shipped(Shipped(order: order, shipment: shipment, lines: lines.map { ShippedLine(sku: $0.0, qty: $0.1) }))
  }
  static func pay(_ id: String, customer: String = "C-1", _ amount: String) -> SalesEvent {
    .paymentReceived(PaymentReceived(payment: id, customer: customer, amount: m(amount)))
  }
  static func matched(_ payment: String, _ invoice: String, _ amount: String) -> SalesEvent {
    .paymentMatched(PaymentMatched(payment: payment, invoice: invoice, amount: m(amount)))
  }
}

// MARK: More constructors (added for the rule suites)

extension F {
  static func date(_ s: String) -> CivilDate { CivilDate.parse(s)! }
  static func lead(_ id: String = "L-1", rep: String = "R-1", customer: String? = nil) -> SalesEvent {
    .leadCreated(LeadCreated(lead: id, source: "web", rep: rep, customer: customer))
  }
  static func stage(_ lead: String, _ stage: LeadStage, reason: String? = nil) -> SalesEvent {
    .leadStageChanged(LeadStageChanged(lead: lead, stage: stage, reason: reason))
  }
  static func activity(rep: String = "R-1", lead: String? = nil, customer: String? = nil) -> SalesEvent {
    .activityLogged(ActivityLogged(rep: rep, kind: "call", lead: lead, customer: customer))
  }
  static func quote(_ id: String, lead: String? = nil, customer: String = "C-1", _ lines: OrderLine...) -> SalesEvent {
    .quoteIssued(QuoteIssued(quote: id, lead: lead, customer: customer, lines: lines))
  }
  static func cancel(_ order: String = "SO-1", reason: String = "customer request") -> SalesEvent {
    .orderCancelled(OrderCancelled(order: order, reason: reason))
  }
  static func released(_ order: String, _ sku: String, _ qty: Int64) -> SalesEvent {
    .reservationReleased(ReservationReleased(order: order, sku: sku, qty: qty))
  }
  static func adjust(_ qty: Int64, sku: String = "A1", cost: String? = nil, reason: String = "count") -> SalesEvent {
    .stockAdjusted(StockAdjusted(sku: sku, qty: qty, reason: reason, unitCost: cost.map { m($0) }))
  }
  static func po(_ id: String, sku: String = "A1", qty: Int64 = 10) -> SalesEvent {
    .purchaseOrderPlaced(PurchaseOrderPlaced(po: id, sku: sku, qty: qty))
  }
  /// A return as the user writes it (no cogs), or as stored (with the cogs the store wrote).
  static func returned(_ order: String, _ sku: String, _ qty: Int64, cogs: String? = nil) -> SalesEvent {
    .returnReceived(ReturnReceived(order: order, sku: sku, qty: qty, reason: "damaged", cogs: cogs.map { m($0) }))
  }
  /// A Shipped as stored: each line with the cogs the store wrote.
  static func shipped(_ order: String, _ shipment: String, _ lines: [(String, Int64, String)]) -> SalesEvent {
    .shipped(Shipped(order: order, shipment: shipment,
      lines: lines.map { ShippedLine(sku: $0.0, qty: $0.1, cogs: m($0.2)) }))
  }
  static func invoice(_ id: String, order: String = "SO-1", customer: String = "C-1", _ amount: String,
    due: String) -> SalesEvent
  {
    .invoiceIssued(InvoiceIssued(invoice: id, order: order, customer: customer, amount: m(amount), due: date(due)))
  }
  static func creditNote(_ id: String, invoice: String?, order: String = "SO-1", customer: String = "C-1",
    _ amount: String) -> SalesEvent
  {
    .creditNoteIssued(CreditNoteIssued(creditNote: id, invoice: invoice, order: order, customer: customer,
      amount: m(amount)))
  }
  static func target(_ scope: String, id: String? = nil, _ metric: String, _ value: JSONValue,
    period: String = "2026-11") -> SalesEvent
  {
    .targetSet(TargetSet(scope: scope, id: id, metric: metric, period: period, value: value))
  }
  static func openCase(_ id: String, customer: String = "C-1", order: String? = nil) -> SalesEvent {
    .serviceCaseOpened(ServiceCaseOpened(caseID: id, customer: customer, order: order, kind: "complaint"))
  }
  static func closeCase(_ id: String) -> SalesEvent {
    .serviceCaseClosed(ServiceCaseClosed(caseID: id, resolution: "fixed", satisfaction: 4))
  }
}

/// Reading the state a scenario built.
extension Scenario {
  func stock(_ sku: String) throws -> StockState { try state.get(StockState.self, sku) ?? StockState() }
  func order(_ id: String) throws -> OrderState? { try state.get(OrderState.self, id) }
  func invoice(_ id: String) throws -> InvoiceState? { try state.get(InvoiceState.self, id) }
  func payment(_ id: String) throws -> PaymentState? { try state.get(PaymentState.self, id) }
  func customer(_ id: String) throws -> CustomerState? { try state.get(CustomerState.self, id) }
  func lead(_ id: String) throws -> LeadState? { try state.get(LeadState.self, id) }
  /// The backorder queue of a SKU as "order:qty", oldest first.
  func queue(_ sku: String) throws -> [String] { try stock(sku).backorders.map { "\($0.order):\($0.qty)" } }

  /// `when` for set-up steps whose output the test does not look at.
  @discardableResult
  func deciding(_ events: SalesEvent...) throws -> Scenario {
    for e in events { _ = try when(e) }
    return self
  }
}

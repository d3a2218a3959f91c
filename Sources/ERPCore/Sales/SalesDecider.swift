/// What a decision needs besides the event and the state.
public struct DecideContext: Sendable {
  /// The primary event's business time (derived events share it) and its date in the store's
  /// timezone.
  public var at: BusinessTime
  public var date: CivilDate
  public var digits: Int
  /// The store's default payment terms (SPEC 7: 30 days unless `init` said otherwise).
  public var defaultTermsDays: Int64

  public init(at: BusinessTime, date: CivilDate, digits: Int, defaultTermsDays: Int64) {
    (self.at, self.date, self.digits, self.defaultTermsDays) = (at, date, digits, defaultTermsDays)
  }
}

/// The sales-cycle decider (STYLE: decide / evolve). `decide` takes a primary event (what
/// happened in the business — the command) and returns the events to store: the primary one
/// (with the store-written `cogs` where SPEC 7 asks) followed by those derived from it by rule
/// (SPEC 3). `evolve` applies one stored event to the state; folding `evolve` over a log rebuilds
/// exactly the state that deciding it produced.
public enum SalesDecider {
  public static func decide(_ event: SalesEvent, _ ctx: DecideContext, _ s: SalesState) throws -> [SalesEvent] {
    switch event {
    case .customerRegistered, .productDefined, .repRegistered, .campaignCostRecorded:
      // Master data is upserted: registering an id again changes it from then on; history keeps
      // what each event said at its time.
      return [event]

    case .targetSet(let e):
      try checkTarget(e, ctx, s)
      return [event]

    case .leadCreated(let e):
      guard try !s.exists(LeadState.self, e.lead) else { throw DomainError.duplicate("lead", id: e.lead) }
      _ = try s.require(RepState.self, e.rep, "rep")
      if let c = e.customer { _ = try s.require(CustomerState.self, c, "customer") }
      return [event]

    case .leadStageChanged(let e):
      let lead = try s.require(LeadState.self, e.lead, "lead")
      if lead.stage.isClosed { throw DomainError.leadClosed(lead: e.lead, stage: lead.stage) }
      if e.stage == .lost {
        guard let r = e.reason, !r.isEmpty else { throw DomainError.reasonRequired(lead: e.lead) }
      } else if e.stage <= lead.stage {
        throw DomainError.stageBackwards(lead: e.lead, from: lead.stage, to: e.stage)
      }
      return [event]

    case .activityLogged(let e):
      _ = try s.require(RepState.self, e.rep, "rep")
      if let l = e.lead { _ = try s.require(LeadState.self, l, "lead") }
      if let c = e.customer { _ = try s.require(CustomerState.self, c, "customer") }
      return [event]

    case .quoteIssued(let e):
      guard try !s.exists(QuoteState.self, e.quote) else { throw DomainError.duplicate("quote", id: e.quote) }
      _ = try s.require(CustomerState.self, e.customer, "customer")
      if let l = e.lead { _ = try s.require(LeadState.self, l, "lead") }
      try checkLines(e.lines, s)
      return [event]

    case .orderConfirmed(let e): return try confirm(e, event, s)
    case .orderCancelled(let e): return try cancel(e, event, s)
    case .shipped(let e): return try ship(e, ctx, s)
    case .stockReceived(let e): return try receive(e, event, s)

    case .stockAdjusted(let e):
      let stock = try stockOf(e.sku, s)
      if e.qty < 0 {
        guard -e.qty <= stock.available else {
          throw DomainError.adjustmentBelowAvailable(sku: e.sku, requested: -e.qty, available: stock.available)
        }
      } else if e.unitCost == nil && stock.onHand == 0 {
        throw DomainError.unitCostRequired(sku: e.sku)
      } else if let c = e.unitCost {
        try checkAmount(Int128(e.qty) * Int128(c.minorUnits) + Int128(stock.value.minorUnits), "stock value of '\(e.sku)'")
      } else {
        // At the moving average (on hand > 0 here): evolve adds round(q × value / on_hand).
        let added = LineMath.divideRounded(Int128(e.qty) * Int128(stock.value.minorUnits), Int128(stock.onHand))
        try checkAmount(added + Int128(stock.value.minorUnits), "stock value of '\(e.sku)'")
      }
      return [event]

    case .purchaseOrderPlaced(let e):
      guard try !s.exists(PurchaseOrderState.self, e.po) else { throw DomainError.duplicate("purchase order", id: e.po) }
      _ = try s.require(ProductState.self, e.sku, "product")
      return [event]

    case .returnReceived(let e): return try takeBack(e, ctx, s)
    case .paymentReceived(let e): return try receivePayment(e, event, s)

    case .paymentMatched(let e):
      let payment = try s.require(PaymentState.self, e.payment, "payment")
      let invoice = try s.require(InvoiceState.self, e.invoice, "invoice")
      guard payment.customer == invoice.customer else {
        throw DomainError.customerMismatch(payment: e.payment, invoice: e.invoice)
      }
      guard e.amount > .zero else { throw DomainError.invalid(field: "data.amount", "must be positive") }
      guard e.amount <= invoice.open else {
        throw DomainError.overMatchInvoice(invoice: e.invoice, amount: e.amount, open: invoice.open)
      }
      guard e.amount <= payment.unapplied else {
        throw DomainError.overMatchPayment(payment: e.payment, amount: e.amount, unapplied: payment.unapplied)
      }
      return [event]

    case .orderCostRecorded(let e):
      _ = try s.require(OrderState.self, e.order, "order")
      return [event]

    case .serviceCaseOpened(let e):
      guard try !s.exists(ServiceCaseState.self, e.caseID) else {
        throw DomainError.duplicate("service case", id: e.caseID)
      }
      _ = try s.require(CustomerState.self, e.customer, "customer")
      if let o = e.order { _ = try s.require(OrderState.self, o, "order") }
      return [event]

    case .serviceCaseClosed(let e):
      let c = try s.require(ServiceCaseState.self, e.caseID, "service case")
      if c.closed { throw DomainError.caseClosed(e.caseID) }
      return [event]

    case .stockReserved, .reservationReleased, .invoiceIssued, .creditNoteIssued:
      throw DomainError.derived(type: event.type)
    }
  }

  // MARK: Rules

  static func checkAmount(_ v: Int128, _ what: String) throws {
    guard v <= Int128(Money.maxMinorUnits) else { throw DomainError.amountTooLarge(what) }
  }

  static func checkLines(_ lines: [OrderLine], _ s: SalesState) throws {
    var total: Int128 = 0
    for l in lines {
      _ = try s.require(ProductState.self, l.sku, "product")
      total += Int128(l.qty) * Int128(l.unitPrice.minorUnits)
    }
    try checkAmount(total, "the amount of these lines")
  }

  static func stockOf(_ sku: String, _ s: SalesState) throws -> StockState {
    _ = try s.require(ProductState.self, sku, "product")
    return try s.get(StockState.self, sku) ?? StockState()
  }

  /// Quantities per SKU in order of first appearance.
  static func bySKU(_ pairs: [(String, Int64)]) -> [(sku: String, qty: Int64)] {
    var order: [String] = []
    var totals: [String: Int64] = [:]
    for (sku, q) in pairs {
      if totals[sku] == nil { order.append(sku) }
      totals[sku, default: 0] += q
    }
    return order.map { ($0, totals[$0] ?? 0) }
  }

  static func checkTarget(_ e: TargetSet, _ ctx: DecideContext, _ s: SalesState) throws {
    if e.scope == "company" {
      if e.id != nil { throw DomainError.invalid(field: "data.id", "a company target takes no id") }
    } else {
      guard let id = e.id else { throw DomainError.invalid(field: "data.id", "a \(e.scope) target needs an id") }
      if e.scope == "rep" { _ = try s.require(RepState.self, id, "rep") }
    }
    switch e.metric {
    case "revenue", "gross_margin", "collections":
      guard let v = e.value.stringValue, (try? Money.parse(v, digits: ctx.digits)) != nil else {
        throw DomainError.invalid(
          field: "data.value", "a \(e.metric) target is an amount with at most \(ctx.digits) decimals, e.g. \"50000.00\"")
      }
    case "collection_rate":
      guard let v = e.value.stringValue, Rate(v) != nil else {
        throw DomainError.invalid(field: "data.value", "a collection_rate target is a rate between 0 and 1, e.g. \"0.85\"")
      }
    default:
      guard e.value.intValue != nil else {
        throw DomainError.invalid(field: "data.value", "a \(e.metric) target is a whole number")
      }
    }
  }

  static func confirm(_ e: OrderConfirmed, _ event: SalesEvent, _ s: SalesState) throws -> [SalesEvent] {
    guard try !s.exists(OrderState.self, e.order) else { throw DomainError.duplicate("order", id: e.order) }
    _ = try s.require(CustomerState.self, e.customer, "customer")
    _ = try s.require(RepState.self, e.rep, "rep")
    if let q = e.quote { _ = try s.require(QuoteState.self, q, "quote") }
    var lead: LeadState?
    if let l = e.lead {
      let ls = try s.require(LeadState.self, l, "lead")
      if ls.stage == .lost { throw DomainError.leadClosed(lead: l, stage: .lost) }
      lead = ls
    }
    try checkLines(e.lines, s)
    var out: [SalesEvent] = [event]
    for (sku, qty) in bySKU(e.lines.map { ($0.sku, $0.qty) }) {
      let stock = try stockOf(sku, s)
      let available = max(stock.available, 0)
      if qty > available && !e.allowBackorder {
        throw DomainError.insufficientStock(sku: sku, requested: qty, available: available)
      }
      let reserve = min(qty, available)
      if reserve > 0 { out.append(.stockReserved(StockReserved(order: e.order, sku: sku, qty: reserve))) }
    }
    if let l = e.lead, let lead, lead.stage != .won {
      out.append(.leadStageChanged(LeadStageChanged(lead: l, stage: .won)))
    }
    return out
  }

  static func cancel(_ e: OrderCancelled, _ event: SalesEvent, _ s: SalesState) throws -> [SalesEvent] {
    let order = try s.require(OrderState.self, e.order, "order")
    if order.cancelled { throw DomainError.orderClosed(order: e.order, state: "already cancelled") }
    if order.fullyShipped { throw DomainError.orderClosed(order: e.order, state: "fully shipped") }
    var out: [SalesEvent] = [event]
    for (sku, qty) in bySKU(order.lines.map { ($0.sku, $0.reserved) }) where qty > 0 {
      out.append(.reservationReleased(ReservationReleased(order: e.order, sku: sku, qty: qty)))
    }
    return out
  }

  static func invoiceID(shipment: String) -> String { "INV-\(shipment)" }

  static func ship(_ e: Shipped, _ ctx: DecideContext, _ s: SalesState) throws -> [SalesEvent] {
    var order = try s.require(OrderState.self, e.order, "order")
    guard try !s.exists(ShipmentState.self, e.shipment) else {
      throw DomainError.duplicate("shipment", id: e.shipment)
    }
    if order.cancelled { throw DomainError.orderClosed(order: e.order, state: "cancelled") }
    if order.fullyShipped { throw DomainError.orderClosed(order: e.order, state: "fully shipped") }
    for (sku, qty) in bySKU(e.lines.map { ($0.sku, $0.qty) }) {
      guard order.lines.contains(where: { $0.sku == sku }) else {
        throw DomainError.notOnOrder(order: e.order, sku: sku)
      }
      let reserved = order.lines.filter { $0.sku == sku }.reduce(0) { $0 + $1.reserved }
      guard qty <= reserved else {
        throw DomainError.overShipment(order: e.order, sku: sku, requested: qty, open: reserved)
      }
    }
    // COGS at the moving-average cost, line by line (SPEC 7), and the invoice for what shipped.
    var stocks: [String: StockState] = [:]
    var stored = e
    var amount = Money.zero
    for i in stored.lines.indices {
      let line = stored.lines[i]
      var st = try stocks[line.sku] ?? stockOf(line.sku, s)
      let cogs = Money(minorUnits: LineMath.mulDiv(line.qty, st.value.minorUnits, st.onHand))
      stored.lines[i].cogs = cogs
      st.onHand -= line.qty
      st.value = st.value - cogs
      stocks[line.sku] = st
      amount = amount + allocate(line.qty, sku: line.sku, in: &order, field: \.reserved, to: \.shipped)
    }
    let invoice = invoiceID(shipment: e.shipment)
    var out: [SalesEvent] = [.shipped(stored)]
    out.append(.invoiceIssued(InvoiceIssued(
      invoice: invoice, order: e.order, customer: order.customer, amount: amount,
      due: ctx.date.adding(days: Int(order.termsDays)))))
    // Customer credit (unapplied payments, oldest first) goes to the new invoice at once.
    var open = amount
    if let customer = try s.get(CustomerState.self, order.customer) {
      for p in customer.unappliedPayments where open > .zero {
        guard let payment = try s.get(PaymentState.self, p) else { continue }
        let m = min(open, payment.unapplied)
        guard m > .zero else { continue }
        out.append(.paymentMatched(PaymentMatched(payment: p, invoice: invoice, amount: m)))
        open = open - m
      }
    }
    return out
  }

  /// Moves `qty` of `sku` from one per-line counter to another across the order's lines, in
  /// line order, and returns the invoiced amount of what moved (rounded per line, SPEC 7).
  @discardableResult
  static func allocate(
    _ qty: Int64, sku: String, in order: inout OrderState, field: WritableKeyPath<OrderState.Line, Int64>,
    to target: WritableKeyPath<OrderState.Line, Int64>
  ) -> Money {
    var left = qty
    var amount = Money.zero
    for i in order.lines.indices where order.lines[i].sku == sku && left > 0 {
      let t = min(order.lines[i][keyPath: field], left)
      guard t > 0 else { continue }
      order.lines[i][keyPath: field] -= t
      order.lines[i][keyPath: target] += t
      amount = amount + order.lines[i].orderLine.amount(qty: t)
      left -= t
    }
    return amount
  }

  static func receive(_ e: StockReceived, _ event: SalesEvent, _ s: SalesState) throws -> [SalesEvent] {
    let stock = try stockOf(e.sku, s)
    if let po = e.po {
      let p = try s.require(PurchaseOrderState.self, po, "purchase order")
      guard p.sku == e.sku else { throw DomainError.purchaseOrderSKU(po: po, sku: e.sku, expected: p.sku) }
    }
    try checkAmount(
      Int128(e.qty) * Int128(e.unitCost.minorUnits) + Int128(stock.value.minorUnits), "stock value of '\(e.sku)'")
    // Backordered quantities are reserved for the oldest orders first (SPEC 3).
    var out: [SalesEvent] = [event]
    var available = stock.available + e.qty
    for b in stock.backorders where available > 0 {
      let r = min(b.qty, available)
      out.append(.stockReserved(StockReserved(order: b.order, sku: e.sku, qty: r)))
      available -= r
    }
    return out
  }

  static func takeBack(_ e: ReturnReceived, _ ctx: DecideContext, _ s: SalesState) throws -> [SalesEvent] {
    var order = try s.require(OrderState.self, e.order, "order")
    guard order.lines.contains(where: { $0.sku == e.sku }) else {
      throw DomainError.notOnOrder(order: e.order, sku: e.sku)
    }
    let shipped = order.lines.filter { $0.sku == e.sku }.reduce(0) { $0 + $1.shipped }
    let returned = order.lines.filter { $0.sku == e.sku }.reduce(0) { $0 + $1.returned }
    guard e.qty <= shipped - returned else {
      throw DomainError.overReturn(order: e.order, sku: e.sku, requested: e.qty, returnable: shipped - returned)
    }
    // Back at the cost it left with: round(q × C / Q) over the order's shipments of the SKU.
    let shippedCOGS = order.lines.filter { $0.sku == e.sku }.reduce(Money.zero) { $0 + $1.shippedCOGS }
    var stored = e
    stored.cogs = Money(minorUnits: LineMath.mulDiv(e.qty, shippedCOGS.minorUnits, shipped))
    let credit = returnAllocation(e.qty, sku: e.sku, in: &order)
    let invoice = order.lines.last(where: { $0.sku == e.sku && $0.invoice != nil })?.invoice
    return [
      .returnReceived(stored),
      .creditNoteIssued(CreditNoteIssued(
        creditNote: "CN-\(e.order)-\(order.creditNotes + 1)", invoice: invoice, order: e.order,
        customer: order.customer, amount: credit)),
    ]
  }

  /// Credits returned units at their lines' net prices, earliest lines first.
  @discardableResult
  static func returnAllocation(_ qty: Int64, sku: String, in order: inout OrderState) -> Money {
    var left = qty
    var amount = Money.zero
    for i in order.lines.indices where order.lines[i].sku == sku && left > 0 {
      let t = min(order.lines[i].shipped - order.lines[i].returned, left)
      guard t > 0 else { continue }
      order.lines[i].returned += t
      amount = amount + order.lines[i].orderLine.amount(qty: t)
      left -= t
    }
    return amount
  }

  static func receivePayment(_ e: PaymentReceived, _ event: SalesEvent, _ s: SalesState) throws -> [SalesEvent] {
    guard try !s.exists(PaymentState.self, e.payment) else { throw DomainError.duplicate("payment", id: e.payment) }
    let customer = try s.require(CustomerState.self, e.customer, "customer")
    var out: [SalesEvent] = [event]
    var left = e.amount
    for inv in customer.openInvoices where left > .zero {
      guard let invoice = try s.get(InvoiceState.self, inv) else { continue }
      let m = min(left, invoice.open)
      guard m > .zero else { continue }
      out.append(.paymentMatched(PaymentMatched(payment: e.payment, invoice: inv, amount: m)))
      left = left - m
    }
    return out
  }
}

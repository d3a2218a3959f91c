/// Orders: confirmation (with reservations and the lead won), cancellation, shipment (COGS and
/// the invoice, with customer credit applied) and returns (restock cost and the credit note).
/// Its `decide` takes the primary events it owns; its `evolve` folds what changes its records.
public enum OrderDecider: SalesAggregate {
  public static func decide(_ event: borrowing SalesEvent, _ ctx: DecideContext, _ s: SalesState) throws -> [SalesEvent]? {
    switch event {
    case .orderConfirmed(let e): return try confirm(e, event, s)
    case .orderCancelled(let e): return try cancel(e, event, s)
    case .shipped(let e): return try ship(e, ctx, s)
    case .returnReceived(let e): return try takeBack(e, ctx, s)
    case .orderCostRecorded(let e):
      try s.requireExists(OrderState.self, e.order, "order")
      return [copy event]

    default: return nil
    }
  }

  public static func evolve(_ s: SalesState, _ event: SalesEvent, defaultTermsDays: Int64) throws {
    switch event {
    case .orderConfirmed(let e):
      let lines = e.lines.map { OrderState.Line(sku: $0.sku, qty: $0.qty, unitPrice: $0.unitPrice, discount: $0.discount) }
      s.put(e.order, OrderState(
        customer: e.customer, rep: e.rep, termsDays: e.paymentTermsDays ?? defaultTermsDays, lines: lines))

    case .stockReserved(let e):
      try s.update(OrderState.self, e.order) { o in
        var left = e.qty
        for i in o.lines.indices where o.lines[i].sku == e.sku && left > 0 {
          let t = min(o.lines[i].backordered, left)
          o.lines[i].reserved += t
          left -= t
        }
      }

    case .orderCancelled(let e):
      try s.update(OrderState.self, e.order) { $0.cancelled = true }

    case .reservationReleased(let e):
      try s.update(OrderState.self, e.order) { o in
        var left = e.qty
        for i in o.lines.indices where o.lines[i].sku == e.sku && left > 0 {
          let t = min(o.lines[i].reserved, left)
          o.lines[i].reserved -= t
          left -= t
        }
      }

    case .shipped(let e):
      // In place (`update`): a copy read with `get` and put back copied its lines.
      let invoice = SalesDecider.invoiceID(shipment: e.shipment)
      var found = false
      try s.update(OrderState.self, e.order) { o in
        found = true
        for line in e.lines {
          if let first = o.lines.firstIndex(where: { $0.sku == line.sku && $0.reserved > 0 }) {
            o.lines[first].shippedCOGS = o.lines[first].shippedCOGS + (line.cogs ?? .zero)
          }
          SalesDecider.shipReserved(line.qty, sku: line.sku, in: &o)
          for i in o.lines.indices where o.lines[i].sku == line.sku { o.lines[i].invoice = invoice }
        }
      }
      if found { s.put(e.shipment, ShipmentState(owner: e.order)) }

    case .returnReceived(let e):
      try s.update(OrderState.self, e.order) { o in
        if let first = o.lines.firstIndex(where: { $0.sku == e.sku && $0.shipped > $0.returned }) {
          o.lines[first].returnedCOGS = o.lines[first].returnedCOGS + (e.cogs ?? .zero)
        }
        SalesDecider.returnAllocation(e.qty, sku: e.sku, in: &o)
      }

    case .creditNoteIssued(let e):
      try s.update(OrderState.self, e.order) { $0.creditNotes += 1 }

    default: break
    }
  }

  static func confirm(_ e: OrderConfirmed, _ event: SalesEvent, _ s: SalesState) throws -> [SalesEvent] {
    guard try !s.exists(OrderState.self, e.order) else { throw DomainError.duplicate("order", id: e.order) }
    try s.requireExists(CustomerState.self, e.customer, "customer")
    try s.requireExists(RepState.self, e.rep, "rep")
    if let q = e.quote { try s.requireExists(QuoteState.self, q, "quote") }
    var lead: LeadState?
    if let l = e.lead {
      let ls = try s.require(LeadState.self, l, "lead")
      if ls.stage == .lost { throw DomainError.leadClosed(lead: l, stage: .lost) }
      lead = ls
    }
    try SalesDecider.checkLines(e.lines, s)
    var out = SalesDecider.decided(event, more: e.lines.count + 1)
    try SalesDecider.forEachSKU(e.lines, sku: { $0.sku }, qty: { $0.qty }) { sku, qty in
      let stock = try SalesDecider.stockLevel(sku, s)
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
    var out = SalesDecider.decided(event, more: order.lines.count)
    SalesDecider.forEachSKU(order.lines, sku: { $0.sku }, qty: { $0.reserved }) { sku, qty in
      guard qty > 0 else { return }
      out.append(.reservationReleased(ReservationReleased(order: e.order, sku: sku, qty: qty)))
    }
    return out
  }

  static func ship(_ e: Shipped, _ ctx: DecideContext, _ s: SalesState) throws -> [SalesEvent] {
    let order = try s.require(OrderState.self, e.order, "order")
    guard try !s.exists(ShipmentState.self, e.shipment) else {
      throw DomainError.duplicate("shipment", id: e.shipment)
    }
    if order.cancelled { throw DomainError.orderClosed(order: e.order, state: "cancelled") }
    if order.fullyShipped { throw DomainError.orderClosed(order: e.order, state: "fully shipped") }
    try SalesDecider.forEachSKU(e.lines, sku: { $0.sku }, qty: { $0.qty }) { sku, qty in
      guard order.lines.contains(where: { $0.sku == sku }) else {
        throw DomainError.notOnOrder(order: e.order, sku: sku)
      }
      var reserved: Int64 = 0
      for l in order.lines where l.sku == sku { reserved += l.reserved }
      guard qty <= reserved else {
        throw DomainError.overShipment(order: e.order, sku: sku, requested: qty, open: reserved)
      }
    }
    // COGS at the moving-average cost, line by line (SPEC 7), and the invoice for what shipped.
    // A shipment's few SKUs are found by a scan (a dictionary hashed each with SipHash).
    var stocks: [(sku: String, level: SalesDecider.StockLevel)] = []
    stocks.reserveCapacity(e.lines.count)
    var stored = e
    // The invoiced amount, each line's quantity taken from the order's reservations as `evolve`
    // will take it (`shipReserved`), counted in `taken` per order line: the order is not changed
    // here, so its lines are not copied.
    let amount = try withUnsafeTemporaryAllocation(of: Int64.self, capacity: order.lines.count) { taken in
      taken.initialize(repeating: 0)
      var amount = Money.zero
      for i in stored.lines.indices {
        let line = stored.lines[i]
        let at = stocks.firstIndex { $0.sku == line.sku }
        var st = try at.map { stocks[$0].level } ?? SalesDecider.stockLevel(line.sku, s)
        let cogs = Money(minorUnits: LineMath.mulDiv(line.qty, st.value.minorUnits, st.onHand))
        stored.lines[i].cogs = cogs
        st.onHand -= line.qty
        st.value = st.value - cogs
        if let at { stocks[at].level = st } else { stocks.append((line.sku, st)) }
        amount = amount + SalesDecider.reservedAmount(line.qty, sku: line.sku, in: order.lines, taken: taken)
      }
      return amount
    }
    let invoice = SalesDecider.invoiceID(shipment: e.shipment)
    // (Room for the invoice and a few payments of credit matched to it.)
    var out = SalesDecider.decided(.shipped(stored), more: 3)
    out.append(.invoiceIssued(InvoiceIssued(
      invoice: invoice, order: e.order, customer: order.customer, amount: amount,
      due: ctx.date.adding(days: Int(order.termsDays)))))
    // Customer credit (unapplied payments, oldest first) goes to the new invoice at once.
    var open = amount
    if let credit = try s.read(CustomerState.self, order.customer, { $0.unappliedPayments }) {
      for p in credit where open > .zero {
        guard let unapplied = try s.read(PaymentState.self, p, \.unapplied) else { continue }
        let m = min(open, unapplied)
        guard m > .zero else { continue }
        out.append(.paymentMatched(PaymentMatched(payment: p, invoice: invoice, amount: m)))
        open = open - m
      }
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
    let credit = SalesDecider.returnAllocation(e.qty, sku: e.sku, in: &order)
    let invoice = order.lines.last(where: { $0.sku == e.sku && $0.invoice != nil })?.invoice
    return [
      .returnReceived(stored),
      .creditNoteIssued(CreditNoteIssued(
        creditNote: "CN-\(e.order)-\(order.creditNotes + 1)", invoice: invoice, order: e.order,
        customer: order.customer, amount: credit)),
    ]
  }
}

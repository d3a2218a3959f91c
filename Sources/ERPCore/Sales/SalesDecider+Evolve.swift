extension SalesDecider {
  /// Applies one stored event to the state. It trusts the event (it was decided, or comes from a
  /// checked log), so it never refuses; it reads the record it changes and writes it back.
  public static func evolve(_ s: SalesState, _ event: SalesEvent, defaultTermsDays: Int64) throws {
    switch event {
    case .customerRegistered(let e):
      var c = try s.get(CustomerState.self, e.customer) ?? CustomerState(region: e.region, channel: e.channel, tier: e.tier)
      (c.region, c.channel, c.tier) = (e.region, e.channel, e.tier)
      s.put(e.customer, c)

    case .productDefined(let e):
      s.put(e.sku, ProductState(line: e.line, listPrice: e.listPrice, unitCost: e.unitCost))

    case .repRegistered(let e):
      s.put(e.rep, RepState(team: e.team, region: e.region))

    case .targetSet, .campaignCostRecorded, .activityLogged, .orderCostRecorded:
      break

    case .leadCreated(let e):
      s.put(e.lead, LeadState(stage: .new))

    case .leadStageChanged(let e):
      try s.update(LeadState.self, e.lead) { $0.stage = e.stage }

    case .quoteIssued(let e):
      s.put(e.quote, QuoteState(owner: e.customer))

    case .orderConfirmed(let e):
      let lines = e.lines.map { OrderState.Line(sku: $0.sku, qty: $0.qty, unitPrice: $0.unitPrice, discount: $0.discount) }
      s.put(e.order, OrderState(
        customer: e.customer, rep: e.rep, termsDays: e.paymentTermsDays ?? defaultTermsDays, lines: lines))
      // Everything starts unreserved; the StockReserved events that follow take it off the queue.
      for (sku, qty) in bySKU(e.lines.map { ($0.sku, $0.qty) }) {
        var st = try s.get(StockState.self, sku) ?? StockState()
        st.backorders.append(.init(order: e.order, qty: qty))
        s.put(sku, st)
      }
      if let l = e.lead { try s.update(LeadState.self, l) { if $0.order == nil { $0.order = e.order } } }

    case .stockReserved(let e):
      var st = try s.get(StockState.self, e.sku) ?? StockState()
      st.reserved += e.qty
      if let i = st.backorders.firstIndex(where: { $0.order == e.order }) {
        st.backorders[i].qty -= e.qty
        if st.backorders[i].qty <= 0 { st.backorders.remove(at: i) }
      }
      s.put(e.sku, st)
      try s.update(OrderState.self, e.order) { o in
        var left = e.qty
        for i in o.lines.indices where o.lines[i].sku == e.sku && left > 0 {
          let t = min(o.lines[i].backordered, left)
          o.lines[i].reserved += t
          left -= t
        }
      }

    case .orderCancelled(let e):
      guard var o = try s.get(OrderState.self, e.order) else { return }
      o.cancelled = true
      s.put(e.order, o)
      for sku in Set(o.lines.map(\.sku)).sorted() {
        try s.update(StockState.self, sku) { $0.backorders.removeAll { $0.order == e.order } }
      }

    case .reservationReleased(let e):
      try s.update(StockState.self, e.sku) { $0.reserved -= e.qty }
      try s.update(OrderState.self, e.order) { o in
        var left = e.qty
        for i in o.lines.indices where o.lines[i].sku == e.sku && left > 0 {
          let t = min(o.lines[i].reserved, left)
          o.lines[i].reserved -= t
          left -= t
        }
      }

    case .shipped(let e):
      guard var o = try s.get(OrderState.self, e.order) else { return }
      s.put(e.shipment, ShipmentState(owner: e.order))
      let invoice = invoiceID(shipment: e.shipment)
      for line in e.lines {
        let cogs = line.cogs ?? .zero
        try s.update(StockState.self, line.sku) { st in
          st.onHand -= line.qty
          st.reserved -= line.qty
          st.value = st.value - cogs
        }
        if let first = o.lines.firstIndex(where: { $0.sku == line.sku && $0.reserved > 0 }) {
          o.lines[first].shippedCOGS = o.lines[first].shippedCOGS + cogs
        }
        allocate(line.qty, sku: line.sku, in: &o, field: \.reserved, to: \.shipped)
        for i in o.lines.indices where o.lines[i].sku == line.sku { o.lines[i].invoice = invoice }
      }
      s.put(e.order, o)

    case .stockReceived(let e):
      var st = try s.get(StockState.self, e.sku) ?? StockState()
      st.onHand += e.qty
      st.value = st.value + Money(minorUnits: e.qty * e.unitCost.minorUnits)
      s.put(e.sku, st)
      if let po = e.po { try s.update(PurchaseOrderState.self, po) { $0.received += e.qty } }

    case .stockAdjusted(let e):
      var st = try s.get(StockState.self, e.sku) ?? StockState()
      if e.qty < 0 {
        st.value = st.value - Money(minorUnits: LineMath.mulDiv(-e.qty, st.value.minorUnits, st.onHand))
      } else if let c = e.unitCost {
        st.value = st.value + Money(minorUnits: e.qty * c.minorUnits)
      } else if st.onHand > 0 {
        st.value = st.value + Money(minorUnits: LineMath.mulDiv(e.qty, st.value.minorUnits, st.onHand))
      }
      st.onHand += e.qty
      s.put(e.sku, st)

    case .purchaseOrderPlaced(let e):
      s.put(e.po, PurchaseOrderState(sku: e.sku, qty: e.qty))

    case .returnReceived(let e):
      let cogs = e.cogs ?? .zero
      try s.update(StockState.self, e.sku) { st in
        st.onHand += e.qty
        st.value = st.value + cogs
      }
      try s.update(OrderState.self, e.order) { o in
        if let first = o.lines.firstIndex(where: { $0.sku == e.sku && $0.shipped > $0.returned }) {
          o.lines[first].returnedCOGS = o.lines[first].returnedCOGS + cogs
        }
        returnAllocation(e.qty, sku: e.sku, in: &o)
      }

    case .invoiceIssued(let e):
      s.put(e.invoice, InvoiceState(order: e.order, customer: e.customer, amount: e.amount, open: e.amount))
      if e.amount > .zero { try s.update(CustomerState.self, e.customer) { $0.openInvoices.append(e.invoice) } }

    case .paymentReceived(let e):
      s.put(e.payment, PaymentState(customer: e.customer, amount: e.amount, unapplied: e.amount))
      if e.amount > .zero { try s.update(CustomerState.self, e.customer) { $0.unappliedPayments.append(e.payment) } }

    case .paymentMatched(let e):
      guard var inv = try s.get(InvoiceState.self, e.invoice), var pay = try s.get(PaymentState.self, e.payment)
      else { return }
      inv.open = inv.open - e.amount
      pay.unapplied = pay.unapplied - e.amount
      s.put(e.invoice, inv)
      s.put(e.payment, pay)
      try s.update(CustomerState.self, inv.customer) { c in
        if inv.open <= .zero { c.openInvoices.removeAll { $0 == e.invoice } }
        if pay.unapplied <= .zero { c.unappliedPayments.removeAll { $0 == e.payment } }
      }

    case .creditNoteIssued(let e):
      try s.update(OrderState.self, e.order) { $0.creditNotes += 1 }
      var excess = e.amount
      if let id = e.invoice, var inv = try s.get(InvoiceState.self, id) {
        let applied = min(inv.open, e.amount)
        inv.open = inv.open - applied
        excess = e.amount - applied
        s.put(id, inv)
        if inv.open <= .zero { try s.update(CustomerState.self, e.customer) { $0.openInvoices.removeAll { $0 == id } } }
      }
      if excess > .zero { try s.update(CustomerState.self, e.customer) { $0.noteCredit = $0.noteCredit + excess } }

    case .serviceCaseOpened(let e):
      s.put(e.caseID, ServiceCaseState(customer: e.customer))

    case .serviceCaseClosed(let e):
      try s.update(ServiceCaseState.self, e.caseID) { $0.closed = true }
    }
  }
}

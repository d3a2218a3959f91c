/// After the order: shipments (whatever is reserved; sometimes deliberately split; backorders
/// as stock arrives, cancelled when they wait too long), invoices paid according to each
/// customer's habits, returns, service cases and extra order costs.
extension Simulation {
  // MARK: Shipping

  /// Ships what is reserved for the order and plans the rest; the store invoices it.
  func ship(_ o: Int) {
    let id = orderID(o)
    guard let st = record(OrderState.self, id), !st.cancelled, !st.fullyShipped else { return }
    var lines = st.lines.filter { $0.reserved > 0 }.map { ShippedLine(sku: $0.sku, qty: $0.reserved) }
    let waiting = st.lines.reduce(Int64(0)) { $0 + $1.backordered }
    guard !lines.isEmpty else {
      // Nothing in stock yet: wait for the purchase orders, or give up after ten weeks.
      if today - Int(orders[o].day) > 70 {
        gate.submit(.orderCancelled(OrderCancelled(order: id, reason: "backorder not filled in time")))
        settle(o)
      } else {
        plan(.ship(Int32(o)), after: rng.int(4...8), businessDay: true)
      }
      return
    }
    // Now and then the warehouse ships part first (another truck, a second pick).
    var split = false
    if orders[o].shipments == 0 && waiting == 0 && rng.chance(0.08) {
      if lines.count > 1 {
        lines.removeLast(lines.count / 2)
        split = true
      } else if lines[0].qty > 1 {
        lines[0].qty = (lines[0].qty + 1) / 2
        split = true
      }
    }
    let value = lines.reduce(Int64(0)) { total, l in
      total + (st.lines.first { $0.sku == l.sku }?.orderLine.amount(qty: l.qty).minorUnits ?? 0)
    }
    let shipped = shipment(order: id, lines: lines, value: value)
    guard let decided = gate.submit(.shipped(shipped)) else { return }
    forget(ShipmentState.self, shipped.shipment)
    orders[o].shipments += 1
    for case .invoiceIssued(let invoice) in decided {
      planPayments(customer: Int(orders[o].customer), amount: invoice.amount.minorUnits, terms: Int(st.termsDays))
    }
    if split || waiting > 0 {
      plan(.ship(Int32(o)), after: split ? rng.int(2...6) : rng.int(4...9), businessDay: true)
    }
    if orders[o].shipments == 1 { planAfterSales(o) }
    settle(o)
  }

  private func shipment(order: String, lines: [ShippedLine], value: Int64) -> Shipped {
    let n = shipments
    shipments += 1
    var s = Shipped(order: order, shipment: "SH-" + pad(n + 1, 6), lines: lines)
    if rng.chance(0.92) {
      let carrier = rng.weighted([0.35, 0.25, 0.15, 0.10, 0.15])
      s.carrier = Vocabulary.carriers[carrier]
      if carrier < 4 {
        s.tracking = ["SF", "JD", "ZT", "DP"][carrier] + pad(Int(rng.next() % 1_000_000_000_000), 12)
      }
    }
    // Freight charged by the carrier on a third of the shipments: 0.8–2.5 % of the value.
    if rng.chance(0.35) {
      let perMille = Int64(rng.int(8...25))
      let freight = min(max(value * perMille / 1000, 1500), 300_000)
      s.freightCost = Money(minorUnits: freight)
    }
    return s
  }

  /// Returns, service cases on the first shipment of some orders.
  private func planAfterSales(_ o: Int) {
    if rng.chance(0.035) { planForOrder(.returnGoods(Int32(o)), o, after: rng.int(3...25)) }
    if rng.chance(0.05) { planForOrder(.openCase(Int32(o)), o, after: rng.int(2...30)) }
  }

  // MARK: Returns and service cases

  /// Part of one shipped line comes back (restocked; the store issues the credit note); half
  /// of the returns come with a complaint.
  func returnGoods(_ o: Int) {
    defer { donePending(o) }
    let id = orderID(o)
    guard let st = record(OrderState.self, id) else { return }
    let open = st.lines.filter { $0.shipped > $0.returned }
    guard !open.isEmpty else { return }
    let line = open[rng.below(open.count)]
    let returnable = line.shipped - line.returned
    let qty = Int64(1 + rng.below(Int(max(1, (returnable + 2) / 3))))
    let reason = rng.pick(Vocabulary.returnReasons)
    let back = ReturnReceived(order: id, sku: line.sku, qty: min(qty, returnable), reason: reason)
    guard let decided = gate.submit(.returnReceived(back)) else { return }
    for case .creditNoteIssued(let note) in decided { forgetIfPaid(note.invoice) }
    if rng.chance(0.5) { openCase(order: o, kind: 0) }
  }

  /// A service case about order `o`: scheduled (no kind given; it was pending) or opened with a
  /// return (a complaint).
  func openCase(order o: Int, kind given: Int? = nil) {
    let scheduled = given == nil
    defer { if scheduled { donePending(o) } }
    let kind = given ?? rng.weighted(Vocabulary.caseKindMix)
    let c = cases
    cases += 1
    let text = rng.chance(0.7) ? rng.pick(Vocabulary.caseTexts[kind]) : nil
    let opened = gate.submit(.serviceCaseOpened(ServiceCaseOpened(
      caseID: caseID(c), customer: customerIDs[Int(orders[o].customer)], order: orderID(o),
      kind: Vocabulary.caseKinds[kind], text: text)))
    guard opened != nil, rng.chance(0.95) else { return }
    let days = [2...20, 3...25, 1...5, 1...7][kind]
    plan(.closeCase(Int32(c), kind: UInt8(kind)), after: rng.int(days))
  }

  /// Closed with a resolution and, mostly, the customer's satisfaction (complaints score low).
  func closeCase(_ c: Int, kind: Int) {
    let weights = [
      [0.20, 0.30, 0.30, 0.15, 0.05], [0.05, 0.15, 0.30, 0.30, 0.20],
      [0.02, 0.05, 0.20, 0.40, 0.33], [0.00, 0.02, 0.10, 0.38, 0.50],
    ][kind]
    let satisfaction = rng.chance(0.88) ? Int64(1 + rng.weighted(weights)) : nil
    gate.submit(.serviceCaseClosed(ServiceCaseClosed(
      caseID: caseID(c), resolution: rng.pick(Vocabulary.resolutions[kind]), satisfaction: satisfaction)))
    forget(ServiceCaseState.self, caseID(c))
  }

  /// A cost of the order beyond the goods: custom work, freight billed later, a special
  /// commission, installation.
  func recordCost(_ o: Int) {
    defer { donePending(o) }
    let id = orderID(o)
    guard let st = record(OrderState.self, id) else { return }
    let booked = st.lines.reduce(Int64(0)) { $0 + $1.orderLine.amount.minorUnits }
    let kind = rng.weighted([0.35, 0.25, 0.15, 0.25])
    let perMille = [rng.int(40...150), rng.int(5...20), rng.int(10...30), rng.int(10...50)][kind]
    let amount = max(booked * Int64(perMille) / 1000, 100)
    gate.submit(.orderCostRecorded(OrderCostRecorded(
      order: id, kind: Vocabulary.costKinds[kind], amount: Money(minorUnits: amount))))
  }

  // MARK: Payments

  /// Plans the payment of an invoice by the customer's habit: about on time, weeks late, in
  /// two instalments, or very late; a few invoices are never paid (disputes, bad debts).
  private func planPayments(customer c: Int, amount: Int64, terms: Int) {
    guard amount > 0, !rng.chance(0.015) else { return }
    let pay = { (after: Int, amount: Int64) in
      _ = self.plan(.pay(customer: Int32(c), amount: amount), after: after, businessDay: true)
    }
    switch customers[c].payStyle {
    case .prompt: pay(terms + rng.int(-8...4), amount)
    case .late: pay(terms + rng.int(5...50), amount)
    case .instalments:
      let first = amount * Int64(rng.int(40...70)) / 100
      pay(terms + rng.int(0...15), first)
      pay(terms + rng.int(25...70), amount - first)
    case .poor:
      if rng.chance(0.75) { pay(terms + rng.int(20...150), amount) }
    }
  }

  /// A payment of what was planned, never more than the customer owes (so no credit is left
  /// over); the store matches it to the oldest open invoices.
  func pay(customer c: Int, planned: Int64) {
    let amount = min(planned, openBalance(c))
    guard amount > 0 else { return }
    let n = payments
    payments += 1
    let id = "PAY-" + pad(n + 1, 6)
    let decided = gate.submit(.paymentReceived(PaymentReceived(
      payment: id, customer: customerIDs[c], amount: Money(minorUnits: amount),
      method: Vocabulary.paymentMethods[rng.weighted(Vocabulary.paymentMethodMix)])))
    for case .paymentMatched(let m) in decided ?? [] { forgetIfPaid(m.invoice) }
    if record(PaymentState.self, id)?.unapplied == .zero { forget(PaymentState.self, id) }
  }

  /// A settled invoice is named by nothing the simulation does (payments go to open invoices;
  /// a credit note against it would leave its whole amount as credit, found or not).
  private func forgetIfPaid(_ invoice: String?) {
    guard let invoice, record(InvoiceState.self, invoice)?.open == .zero else { return }
    forget(InvoiceState.self, invoice)
  }

  /// What the customer owes: the open balances of its invoices, as the rules hold them.
  func openBalance(_ c: Int) -> Int64 {
    guard let cs = record(CustomerState.self, customerIDs[c]) else { return 0 }
    return cs.openInvoices.reduce(Int64(0)) { $0 + (record(InvoiceState.self, $1)?.open.minorUnits ?? 0) }
  }
}

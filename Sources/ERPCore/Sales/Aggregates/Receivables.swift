/// Receivables: invoices, payments, matching (oldest open invoice first) and customer credit.
/// Its `decide` takes the primary events it owns; its `evolve` folds what changes its records.
public enum ReceivablesDecider: SalesAggregate {
  public static func decide(_ event: borrowing SalesEvent, _ ctx: DecideContext, _ s: SalesState) throws -> [SalesEvent]? {
    switch event {
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
      return [copy event]

    default: return nil
    }
  }

  public static func evolve(_ s: SalesState, _ event: SalesEvent, defaultTermsDays: Int64) throws {
    switch event {
    case .invoiceIssued(let e):
      s.put(e.invoice, InvoiceState(order: e.order, customer: e.customer, amount: e.amount, open: e.amount))
      if e.amount > .zero { try s.update(CustomerState.self, e.customer) { $0.openInvoices.append(e.invoice) } }

    case .paymentReceived(let e):
      s.put(e.payment, PaymentState(customer: e.customer, amount: e.amount, unapplied: e.amount))
      if e.amount > .zero { try s.update(CustomerState.self, e.customer) { $0.unappliedPayments.append(e.payment) } }

    case .paymentMatched(let e):
      guard try s.exists(InvoiceState.self, e.invoice), try s.exists(PaymentState.self, e.payment) else { return }
      var (customer, open, unapplied) = ("", Money.zero, Money.zero)
      try s.update(InvoiceState.self, e.invoice) { inv in
        inv.open = inv.open - e.amount
        (customer, open) = (inv.customer, inv.open)
      }
      try s.update(PaymentState.self, e.payment) { pay in
        pay.unapplied = pay.unapplied - e.amount
        unapplied = pay.unapplied
      }
      try s.update(CustomerState.self, customer) { c in
        if open <= .zero { c.openInvoices.removeAll { $0 == e.invoice } }
        if unapplied <= .zero { c.unappliedPayments.removeAll { $0 == e.payment } }
      }

    case .creditNoteIssued(let e):
      var excess = e.amount
      if let id = e.invoice, var inv = try s.get(InvoiceState.self, id) {
        let applied = min(inv.open, e.amount)
        inv.open = inv.open - applied
        excess = e.amount - applied
        s.put(id, inv)
        if inv.open <= .zero { try s.update(CustomerState.self, e.customer) { $0.openInvoices.removeAll { $0 == id } } }
      }
      if excess > .zero { try s.update(CustomerState.self, e.customer) { $0.noteCredit = $0.noteCredit + excess } }

    default: break
    }
  }

  static func receivePayment(_ e: PaymentReceived, _ event: SalesEvent, _ s: SalesState) throws -> [SalesEvent] {
    guard try !s.exists(PaymentState.self, e.payment) else { throw DomainError.duplicate("payment", id: e.payment) }
    guard let openInvoices = try s.read(CustomerState.self, e.customer, { $0.openInvoices }) else {
      throw DomainError.unknown("customer", id: e.customer)
    }
    var out = SalesDecider.decided(event, more: min(openInvoices.count, 4))
    var left = e.amount
    for inv in openInvoices where left > .zero {
      guard let invoiceOpen = try s.read(InvoiceState.self, inv, \.open) else { continue }
      let m = min(left, invoiceOpen)
      guard m > .zero else { continue }
      out.append(.paymentMatched(PaymentMatched(payment: e.payment, invoice: inv, amount: m)))
      left = left - m
    }
    return out
  }
}

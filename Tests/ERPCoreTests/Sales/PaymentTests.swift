import ERPCore
import Testing

@Suite("Payments: automatic matching, credit, explicit matches")
struct PaymentTests {
  func base() throws -> Scenario {
    try Scenario().given(
      F.customer("C-1"), F.customer("C-2"), F.rep(), F.product(), F.receive(100, cost: "4.00"))
  }

  /// Ships `qty` × 10.00 on a new order `SO-n` (shipment `SH-n`, invoice `INV-SH-n`).
  func invoice(_ s: Scenario, _ n: Int, _ qty: Int64, customer: String = "C-1") throws {
    try s.deciding(F.order("SO-\(n)", customer: customer, F.line(qty, "10.00")), F.ship("SO-\(n)", "SH-\(n)", ("A1", qty)))
  }

  @Test func aPaymentNeedsAKnownCustomerAndAFreshId() throws {
    let s = try base()
    #expect(s.refusal(F.pay("P-1", customer: "C-9", "10.00")) == .unknown("customer", id: "C-9"))
    try s.deciding(F.pay("P-1", "10.00"))
    let e = s.refusal(F.pay("P-1", "20.00"))
    #expect(e == .duplicate("payment", id: "P-1"))
    #expect(e?.description == "payment 'P-1' already exists")
    #expect(try s.payment("P-1")?.amount == F.m("10.00"))
  }

  @Test func paymentsMatchOldestOpenInvoiceFirstAndNeverOverApply() throws {
    let s = try base()
    try invoice(s, 1, 2)  // 20.00
    try invoice(s, 2, 3)  // 30.00
    try invoice(s, 3, 1)  // 10.00
    // 25.00: INV-SH-1 takes 20.00, INV-SH-2 the 5.00 left.
    #expect(try s.when(F.pay("P-1", "25.00"))
      == [F.pay("P-1", "25.00"), F.matched("P-1", "INV-SH-1", "20.00"), F.matched("P-1", "INV-SH-2", "5.00")])
    #expect(try s.customer("C-1")?.openInvoices == ["INV-SH-2", "INV-SH-3"])
    // 40.00: INV-SH-2's open 30.00 − 5.00 = 25.00, then INV-SH-3's 10.00; 5.00 is left as credit.
    #expect(try s.when(F.pay("P-2", "40.00"))
      == [F.pay("P-2", "40.00"), F.matched("P-2", "INV-SH-2", "25.00"), F.matched("P-2", "INV-SH-3", "10.00")])
    #expect(try s.payment("P-2") == PaymentState(customer: "C-1", amount: F.m("40.00"), unapplied: F.m("5.00")))
    #expect(try s.customer("C-1")?.openInvoices == [])
    #expect(try s.customer("C-1")?.unappliedPayments == ["P-2"])
    for id in ["INV-SH-1", "INV-SH-2", "INV-SH-3"] { #expect(try s.invoice(id)?.open == .zero) }
  }

  @Test func aPaymentOnlyMatchesItsOwnCustomersInvoices() throws {
    let s = try base()
    try invoice(s, 1, 2, customer: "C-2")  // C-2 owes 20.00
    #expect(try s.when(F.pay("P-1", customer: "C-1", "15.00")) == [F.pay("P-1", customer: "C-1", "15.00")])
    #expect(try s.invoice("INV-SH-1")?.open == F.m("20.00"))
  }

  @Test func aFullyPaidInvoiceDropsOutOfMatching() throws {
    let s = try base()
    try invoice(s, 1, 3)  // 30.00
    try s.deciding(F.pay("P-1", "30.00"))  // pays it exactly
    #expect(try s.customer("C-1")?.openInvoices == [])
    #expect(try s.customer("C-1")?.unappliedPayments == [])
    try invoice(s, 2, 2)  // 20.00
    #expect(try s.when(F.pay("P-2", "50.00")) == [F.pay("P-2", "50.00"), F.matched("P-2", "INV-SH-2", "20.00")])
    #expect(try s.payment("P-2")?.unapplied == F.m("30.00"))
  }

  @Test func creditGoesToTheNextInvoiceOnItsDate() throws {
    let s = try base()
    try s.deciding(F.pay("P-1", "15.00"), F.pay("P-2", "20.00"))  // no invoices: all credit
    #expect(try s.customer("C-1")?.unappliedPayments == ["P-1", "P-2"])
    try s.deciding(F.order("SO-1", F.line(3, "10.00")))
    // The shipment's decision (dated like the shipment, hence like the invoice) applies the credit,
    // oldest payment first, after the InvoiceIssued: 30.00 = 15.00 from P-1 + 15.00 from P-2.
    let out = try s.on("2026-11-20").when(F.ship(("A1", 3)))
    #expect(out == [
      F.shipped("SO-1", "SH-1", [("A1", 3, "12.00")]),  // round(3 × 40000 / 100) = 1200
      F.invoice("INV-SH-1", "30.00", due: "2026-12-20"),
      F.matched("P-1", "INV-SH-1", "15.00"),
      F.matched("P-2", "INV-SH-1", "15.00"),
    ])
    #expect(try s.invoice("INV-SH-1")?.open == .zero)
    #expect(try s.payment("P-2")?.unapplied == F.m("5.00"))
    #expect(try s.customer("C-1")?.unappliedPayments == ["P-2"])
    #expect(try s.customer("C-1")?.openInvoices == [])
  }

  @Test func creditSmallerThanTheInvoiceLeavesItOpen() throws {
    let s = try base()
    try s.deciding(F.pay("P-1", "7.50"), F.order("SO-1", F.line(2, "10.00")))
    let out = try s.when(F.ship(("A1", 2)))
    #expect(out.last == F.matched("P-1", "INV-SH-1", "7.50"))
    #expect(try s.invoice("INV-SH-1")?.open == F.m("12.50"))  // 20.00 − 7.50
    #expect(try s.customer("C-1")?.unappliedPayments == [])
    #expect(try s.customer("C-1")?.openInvoices == ["INV-SH-1"])
  }

  // MARK: explicit matches

  /// A log where P-1 (50.00) was left unapplied while INV-1 (30.00) is open — e.g. the matching was
  /// to be done by hand. Built from stored events, as a restored log would be.
  func handMatching() throws -> Scenario {
    try base().given(
      F.invoice("INV-1", "30.00", due: "2026-12-03"), F.pay("P-1", "50.00"),
      F.invoice("INV-2", customer: "C-2", "8.00", due: "2026-12-03"))
  }

  @Test func anExplicitMatchIsAcceptedWithinBothBalances() throws {
    let s = try handMatching()
    #expect(try s.when(F.matched("P-1", "INV-1", "12.00")) == [F.matched("P-1", "INV-1", "12.00")])
    #expect(try s.invoice("INV-1")?.open == F.m("18.00"))  // 30.00 − 12.00
    #expect(try s.payment("P-1")?.unapplied == F.m("38.00"))  // 50.00 − 12.00
    // Matching the rest closes the invoice; the payment keeps 38.00 − 18.00 = 20.00.
    try s.deciding(F.matched("P-1", "INV-1", "18.00"))
    #expect(try s.customer("C-1")?.openInvoices == [])
    #expect(try s.customer("C-1")?.unappliedPayments == ["P-1"])
    #expect(try s.payment("P-1")?.unapplied == F.m("20.00"))
  }

  @Test func anExplicitMatchBeyondTheInvoicesOpenBalanceIsRefused() throws {
    let s = try handMatching()
    let e = s.refusal(F.matched("P-1", "INV-1", "30.01"))
    #expect(e == .overMatchInvoice(invoice: "INV-1", amount: F.m("30.01"), open: F.m("30.00")))
    #expect(e?.description == "cannot match 30.01 to invoice 'INV-1': its open balance is 30.00")
    #expect(try s.invoice("INV-1")?.open == F.m("30.00"))
  }

  @Test func anExplicitMatchToAPaidInvoiceIsRefused() throws {
    let s = try base()
    try invoice(s, 1, 2)
    try s.deciding(F.pay("P-1", "25.00"))  // 20.00 matched, 5.00 left
    #expect(s.refusal(F.matched("P-1", "INV-SH-1", "1.00"))
      == .overMatchInvoice(invoice: "INV-SH-1", amount: F.m("1.00"), open: .zero))
  }

  @Test func anExplicitMatchBeyondThePaymentsUnappliedAmountIsRefused() throws {
    let s = try handMatching()
    try s.given(F.invoice("INV-3", "40.00", due: "2026-12-03"))
    try s.deciding(F.matched("P-1", "INV-3", "25.00"))  // P-1 has 50.00 − 25.00 = 25.00 left
    let e = s.refusal(F.matched("P-1", "INV-1", "25.01"))
    #expect(e == .overMatchPayment(payment: "P-1", amount: F.m("25.01"), unapplied: F.m("25.00")))
    #expect(e?.description == "cannot match 25.01 from payment 'P-1': only 25.00 is unapplied")
  }

  @Test func anExplicitMatchFromASpentPaymentIsRefused() throws {
    let s = try base()
    try invoice(s, 1, 2)
    try s.deciding(F.pay("P-1", "5.00"))  // all of it went to INV-SH-1, which has 15.00 open
    #expect(s.refusal(F.matched("P-1", "INV-SH-1", "1.00"))
      == .overMatchPayment(payment: "P-1", amount: F.m("1.00"), unapplied: .zero))
  }

  @Test func aZeroMatchIsRefused() throws {
    let s = try handMatching()
    let e = s.refusal(F.matched("P-1", "INV-1", "0.00"))
    #expect(e == .invalid(field: "data.amount", "must be positive"))
    #expect(e?.description == "field 'data.amount': must be positive")
  }

  @Test func aMatchAcrossCustomersIsRefused() throws {
    let s = try handMatching()
    let e = s.refusal(F.matched("P-1", "INV-2", "1.00"))
    #expect(e == .customerMismatch(payment: "P-1", invoice: "INV-2"))
    #expect(e?.description == "payment 'P-1' and invoice 'INV-2' belong to different customers")
  }

  @Test func aMatchNeedsAKnownPaymentAndInvoice() throws {
    let s = try handMatching()
    #expect(s.refusal(F.matched("P-9", "INV-1", "1.00")) == .unknown("payment", id: "P-9"))
    #expect(s.refusal(F.matched("P-1", "INV-9", "1.00")) == .unknown("invoice", id: "INV-9"))
  }
}

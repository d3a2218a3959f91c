import ERPCore
import Testing

@Suite("Orders: confirm, reserve, ship, invoice")
struct OrderFlowTests {
  func stocked(_ qty: Int64 = 10) throws -> Scenario {
    try Scenario().given(F.customer(), F.rep(), F.product(), F.receive(qty, cost: "4.00"))
  }

  @Test func confirmingReservesStock() throws {
    let s = try stocked()
    let out = try s.when(F.order(F.line(3, "10.00")))
    #expect(out == [F.order(F.line(3, "10.00")), F.reserved(3)])
  }

  @Test func confirmingMoreThanAvailableIsRefused() throws {
    let s = try stocked(5)
    #expect(s.refusal(F.order(F.line(8, "10.00"))) == .insufficientStock(sku: "A1", requested: 8, available: 5))
  }

  @Test func availableIsOnHandLessReserved() throws {
    let s = try stocked(10)
    _ = try s.when(F.order("SO-1", F.line(7, "10.00")))
    #expect(s.refusal(F.order("SO-2", F.line(4, "10.00"))) == .insufficientStock(sku: "A1", requested: 4, available: 3))
  }

  @Test func backorderReservesWhatExistsAndReceiptFillsOldestFirst() throws {
    let s = try stocked(5)
    #expect(try s.when(F.order("SO-1", backorder: true, F.line(8, "10.00"))).last == F.reserved("SO-1", "A1", 5))
    #expect(try s.when(F.order("SO-2", backorder: true, F.line(4, "10.00"))).count == 1)  // nothing left
    let out = try s.when(F.receive(5, cost: "4.00"))
    #expect(out == [F.receive(5, cost: "4.00"), F.reserved("SO-1", "A1", 3), F.reserved("SO-2", "A1", 2)])
  }

  @Test func shipmentFixesCOGSAtMovingAverageAndIssuesTheInvoice() throws {
    // 10 @ 4.00 then 5 @ 7.00: value 75.00 over 15 units; shipping 4 takes round(4 × 7500 / 15) = 2000.
    let s = try stocked(10)
    _ = try s.given(F.receive(5, cost: "7.00"))
    _ = try s.when(F.order(F.line(4, "10.00", discount: "0.125")))
    let out = try s.on("2026-11-05").when(F.ship(("A1", 4)))
    #expect(out.count == 2)
    guard case .shipped(let shipped) = out[0], case .invoiceIssued(let inv) = out[1] else {
      Issue.record("unexpected \(out)")
      return
    }
    #expect(shipped.lines == [ShippedLine(sku: "A1", qty: 4, cogs: F.m("20.00"))])
    // 4 × 10.00 × (1 − 0.125) = 35.00, due 30 days after 2026-11-05.
    #expect(inv == InvoiceIssued(invoice: "INV-SH-1", order: "SO-1", customer: "C-1", amount: F.m("35.00"),
      due: CivilDate.parse("2026-12-05")!))
  }

  @Test func shipmentNeverExceedsTheOpenReservation() throws {
    let s = try stocked(10)
    _ = try s.when(F.order(F.line(3, "10.00")))
    #expect(s.refusal(F.ship(("A1", 4))) == .overShipment(order: "SO-1", sku: "A1", requested: 4, open: 3))
  }

  @Test func paymentMatchesOldestOpenInvoiceFirstAndKeepsTheRestAsCredit() throws {
    let s = try stocked(10)
    _ = try s.when(F.order("SO-1", F.line(2, "10.00")))
    _ = try s.when(F.ship("SO-1", "SH-1", ("A1", 2)))
    _ = try s.when(F.order("SO-2", F.line(3, "10.00")))
    _ = try s.when(F.ship("SO-2", "SH-2", ("A1", 3)))
    let out = try s.when(F.pay("P-1", "60.00"))
    #expect(out == [F.pay("P-1", "60.00"), F.matched("P-1", "INV-SH-1", "20.00"), F.matched("P-1", "INV-SH-2", "30.00")])
    // The 10.00 left is applied to the next invoice issued.
    _ = try s.when(F.order("SO-3", F.line(5, "10.00")))
    let next = try s.when(F.ship("SO-3", "SH-3", ("A1", 5)))
    #expect(next.last == F.matched("P-1", "INV-SH-3", "10.00"))
  }
}

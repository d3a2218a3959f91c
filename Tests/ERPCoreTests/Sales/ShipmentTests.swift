import ERPCore
import Testing

@Suite("Shipments: limits, invoices per shipment, due dates")
struct ShipmentTests {
  func stocked() throws -> Scenario {
    try Scenario().given(
      F.customer(), F.rep(), F.product("A1"), F.product("B2"),
      F.receive(10, cost: "4.00"), F.receive(10, sku: "B2", cost: "2.00"))
  }

  @Test func aShipmentNeedsAKnownOrder() throws {
    let e = try stocked().refusal(F.ship("SO-9", "SH-1", ("A1", 1)))
    #expect(e == .unknown("order", id: "SO-9"))
    #expect(e?.description == "unknown order 'SO-9'")
  }

  @Test func aShipmentIdIsUnique() throws {
    let s = try stocked()
    try s.deciding(F.order("SO-1", F.line(2, "10.00")), F.order("SO-2", F.line(2, "10.00")))
    try s.deciding(F.ship("SO-1", "SH-1", ("A1", 1)))
    let e = s.refusal(F.ship("SO-2", "SH-1", ("A1", 1)))
    #expect(e == .duplicate("shipment", id: "SH-1"))
    #expect(e?.description == "shipment 'SH-1' already exists")
    #expect(try s.order("SO-2")?.lines.first?.shipped == 0)
  }

  @Test func aShipmentCannotExceedTheReservationEvenSplitOverLines() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(3, "10.00")))
    // 2 + 2 = 4 of A1 in one shipment against 3 reserved.
    let e = s.refusal(F.ship(("A1", 2), ("A1", 2)))
    #expect(e == .overShipment(order: "SO-1", sku: "A1", requested: 4, open: 3))
    #expect(e?.description == "cannot ship 4 of 'A1' on order 'SO-1': only 3 reserved and unshipped")
    #expect(try s.stock("A1").onHand == 10)
  }

  @Test func aBackorderedQuantityCannotShipUntilReserved() throws {
    let s = try stocked()
    try s.deciding(F.order("SO-1", backorder: true, F.line(12, "10.00")))
    // 10 reserved, 2 waiting: shipping 11 is refused.
    #expect(s.refusal(F.ship(("A1", 11))) == .overShipment(order: "SO-1", sku: "A1", requested: 11, open: 10))
    try s.deciding(F.ship("SO-1", "SH-1", ("A1", 10)))
    #expect(s.refusal(F.ship("SO-1", "SH-2", ("A1", 1))) == .overShipment(order: "SO-1", sku: "A1", requested: 1, open: 0))
    try s.deciding(F.receive(2, cost: "4.00"))
    #expect(try s.when(F.ship("SO-1", "SH-2", ("A1", 2))).count == 2)
    #expect(try s.order("SO-1")?.fullyShipped == true)
  }

  /// The invoice's id is `INV-` and the shipment's, whatever the id: short (a small string),
  /// longer than a small string holds, not ASCII, empty after the prefix.
  @Test(arguments: ["SH-1", "SH-2026-11-28-000123", "发货-7", "SH-\u{301}e", "S"])
  func theInvoiceIsNamedAfterTheShipment(_ shipment: String) throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(3, "10.00")))
    let decided = try s.when(F.ship("SO-1", shipment, ("A1", 1)))
    guard case .invoiceIssued(let inv) = decided.dropFirst().first else {
      Issue.record("no invoice after the shipment: \(decided)")
      return
    }
    #expect(Array(inv.invoice.utf8) == Array("INV-".utf8) + Array(shipment.utf8))
    #expect(inv.invoice == "INV-" + shipment)
    #expect(try s.invoice(inv.invoice)?.amount == F.m("10.00"))
    #expect(try s.order("SO-1")?.lines.first?.invoice == inv.invoice)
  }

  @Test func aSKUNotOnTheOrderCannotShip() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(3, "10.00")))
    let e = s.refusal(F.ship(("A1", 1), ("B2", 1)))
    #expect(e == .notOnOrder(order: "SO-1", sku: "B2"))
    #expect(e?.description == "order 'SO-1' has no line for 'B2'")
    #expect(try s.stock("A1").onHand == 10)
    #expect(try s.stock("B2").onHand == 10)
  }

  @Test func aCancelledOrderCannotShip() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(3, "10.00")), F.cancel())
    let e = s.refusal(F.ship(("A1", 1)))
    #expect(e == .orderClosed(order: "SO-1", state: "cancelled"))
    #expect(e?.description == "order 'SO-1' is cancelled")
  }

  @Test func aFullyShippedOrderCannotShip() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(3, "10.00")), F.ship("SO-1", "SH-1", ("A1", 3)), F.receive(5, cost: "4.00"))
    #expect(s.refusal(F.ship("SO-1", "SH-2", ("A1", 1))) == .orderClosed(order: "SO-1", state: "fully shipped"))
  }

  @Test func shippingMovesReservedToShippedAndTakesStock() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(3, "10.00")))
    try s.deciding(F.ship(("A1", 2)))
    let st = try s.stock("A1")
    // on hand 10 − 2 = 8, reserved 3 − 2 = 1.
    #expect(st.onHand == 8)
    #expect(st.reserved == 1)
    let line = try #require(try s.order("SO-1")?.lines.first)
    #expect(line.shipped == 2)
    #expect(line.reserved == 1)
    #expect(line.invoice == "INV-SH-1")
    #expect(try s.state.get(ShipmentState.self, "SH-1") == ShipmentState(owner: "SO-1"))
  }

  @Test func eachPartialShipmentIssuesItsOwnInvoiceWithTheOrdersTerms() throws {
    let s = try stocked()
    try s.deciding(F.order("SO-1", terms: 45, F.line(5, "19.99", discount: "0.1")))
    // Booked would be round(5 × 1999 × 0.9) = round(8995.5) = 8996; each invoice rounds its own line.
    // Shipment 1: round(2 × 1999 × 0.9) = round(3598.2) = 3598 = 35.98, due 2026-11-05 + 45 = 2026-12-20.
    // COGS: 10 @ 4.00 → round(2 × 4000 / 10) = 800.
    let first = try s.on("2026-11-05").when(F.ship("SO-1", "SH-1", ("A1", 2)))
    #expect(first == [
      F.shipped("SO-1", "SH-1", [("A1", 2, "8.00")]),
      F.invoice("INV-SH-1", "35.98", due: "2026-12-20"),
    ])
    // Shipment 2: round(3 × 1999 × 0.9) = round(5397.3) = 5397 = 53.97, due 2026-12-20 + 45 = 2027-02-03
    // (11 days to Dec 31, 31 in January, 3 in February). COGS round(3 × 3200 / 8) = 1200.
    let second = try s.on("2026-12-20").when(F.ship("SO-1", "SH-2", ("A1", 3)))
    #expect(second == [
      F.shipped("SO-1", "SH-2", [("A1", 3, "12.00")]),
      F.invoice("INV-SH-2", "53.97", due: "2027-02-03"),
    ])
    #expect(try s.invoice("INV-SH-1")
      == InvoiceState(order: "SO-1", customer: "C-1", amount: F.m("35.98"), open: F.m("35.98")))
    #expect(try s.customer("C-1")?.openInvoices == ["INV-SH-1", "INV-SH-2"])
  }

  @Test func withoutTermsTheDefaultThirtyDaysApply() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(1, "10.00")))
    #expect(try s.order("SO-1")?.termsDays == 30)
    // 2026-12-15 + 30 = 2027-01-14 (16 days to Dec 31, then 14).
    let out = try s.on("2026-12-15").when(F.ship(("A1", 1)))
    #expect(out.last == F.invoice("INV-SH-1", "10.00", due: "2027-01-14"))
  }

  @Test func twoLinesOfTheSameSKUAtDifferentPricesAreInvoicedInLineOrder() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(2, "10.00"), F.line(3, "8.50", discount: "0.05")))
    // Shipping 3: line 1 gives 2 × 10.00 = 2000; line 2 gives round(1 × 850 × 0.95) = round(807.5) = 808.
    // Invoice 2000 + 808 = 2808 = 28.08.
    let first = try s.when(F.ship("SO-1", "SH-1", ("A1", 3)))
    #expect(first.last == F.invoice("INV-SH-1", "28.08", due: "2026-12-03"))
    #expect(try s.order("SO-1")?.lines.map(\.shipped) == [2, 1])
    // Shipping 2 more: line 2 gives round(2 × 850 × 0.95) = round(1615.0) = 1615 = 16.15.
    let second = try s.when(F.ship("SO-1", "SH-2", ("A1", 2)))
    #expect(second.last == F.invoice("INV-SH-2", "16.15", due: "2026-12-03"))
    #expect(try s.order("SO-1")?.lines.map(\.shipped) == [2, 3])
    #expect(try s.order("SO-1")?.fullyShipped == true)
  }

  @Test func aShipmentOfSeveralSKUsIsOneInvoice() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(4, "12.50"), F.line(3, "7.33", sku: "B2", discount: "0.125")))
    // A1: 4 × 1250 = 5000. B2: round(3 × 733 × 0.875) = round(1924.125) = 1924. Invoice 6924 = 69.24.
    // COGS A1 round(4 × 4000 / 10) = 1600; B2 round(3 × 2000 / 10) = 600.
    let out = try s.when(F.ship(("A1", 4), ("B2", 3)))
    #expect(out == [
      F.shipped("SO-1", "SH-1", [("A1", 4, "16.00"), ("B2", 3, "6.00")]),
      F.invoice("INV-SH-1", "69.24", due: "2026-12-03"),
    ])
  }

  @Test func aZeroPricedShipmentIssuesAZeroInvoiceThatIsNeverOpen() throws {
    let s = try stocked()
    try s.deciding(F.pay("P-1", "5.00"), F.order(F.line(2, "0.00")))
    let out = try s.when(F.ship(("A1", 2)))
    // 2 × 0.00 = 0.00: no credit is applied to it and it is not an open invoice.
    #expect(out.last == F.invoice("INV-SH-1", "0.00", due: "2026-12-03"))
    #expect(try s.customer("C-1")?.openInvoices == [])
    #expect(try s.payment("P-1")?.unapplied == F.m("5.00"))
  }
}

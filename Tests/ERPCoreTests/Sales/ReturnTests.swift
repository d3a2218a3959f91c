import ERPCore
import Testing

@Suite("Returns: limits, restocking, credit notes")
struct ReturnTests {
  func stocked() throws -> Scenario {
    try Scenario().given(
      F.customer(), F.rep(), F.product("A1"), F.product("B2"),
      F.receive(10, cost: "4.00"), F.receive(10, sku: "B2", cost: "2.00"))
  }

  /// SO-1: 3 × A1 @ 10.00 and 2 × B2 @ 5.00; SH-1 ships 2 A1 (20.00), SH-2 1 B2 (5.00), SH-3 1 A1 (10.00).
  func shippedInThree() throws -> Scenario {
    let s = try stocked()
    try s.deciding(
      F.order(F.line(3, "10.00"), F.line(2, "5.00", sku: "B2")),
      F.ship("SO-1", "SH-1", ("A1", 2)), F.ship("SO-1", "SH-2", ("B2", 1)), F.ship("SO-1", "SH-3", ("A1", 1)))
    return s
  }

  @Test func aReturnNeedsAKnownOrder() throws {
    #expect(try stocked().refusal(F.returned("SO-9", "A1", 1)) == .unknown("order", id: "SO-9"))
  }

  @Test func aReturnedSKUMustBeOnTheOrder() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(3, "10.00")), F.ship(("A1", 3)))
    let e = s.refusal(F.returned("SO-1", "B2", 1))
    #expect(e == .notOnOrder(order: "SO-1", sku: "B2"))
    #expect(try s.stock("B2").onHand == 10)
  }

  @Test func nothingUnshippedCanComeBack() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(3, "10.00")))  // reserved, not shipped
    #expect(s.refusal(F.returned("SO-1", "A1", 1)) == .overReturn(order: "SO-1", sku: "A1", requested: 1, returnable: 0))
  }

  @Test func noMoreThanShippedLessReturnedComesBack() throws {
    let s = try shippedInThree()
    // A1: 2 + 1 = 3 shipped.
    let e = s.refusal(F.returned("SO-1", "A1", 4))
    #expect(e == .overReturn(order: "SO-1", sku: "A1", requested: 4, returnable: 3))
    #expect(e?.description == "cannot return 4 of 'A1' on order 'SO-1': only 3 shipped and not yet returned")
    try s.deciding(F.returned("SO-1", "A1", 2))
    // 3 − 2 = 1 left to return.
    #expect(s.refusal(F.returned("SO-1", "A1", 2)) == .overReturn(order: "SO-1", sku: "A1", requested: 2, returnable: 1))
    try s.deciding(F.returned("SO-1", "A1", 1))
    #expect(s.refusal(F.returned("SO-1", "A1", 1)) == .overReturn(order: "SO-1", sku: "A1", requested: 1, returnable: 0))
    #expect(try s.order("SO-1")?.lines.first?.returned == 3)
  }

  @Test func aReturnRestocksAndIssuesANumberedCreditNoteOnTheLatestInvoiceOfTheSKU() throws {
    let s = try shippedInThree()
    // A1 was last covered by SH-3; 1 × 10.00 = 10.00. COGS back: round(1 × 1200 / 3) = 400
    // (SO-1's A1 shipments: 2 → round(2 × 4000 / 10) = 800 and 1 → round(1 × 3200 / 8) = 400; C = 1200, Q = 3).
    #expect(try s.when(F.returned("SO-1", "A1", 1)) == [
      F.returned("SO-1", "A1", 1, cogs: "4.00"),
      F.creditNote("CN-SO-1-1", invoice: "INV-SH-3", "10.00"),
    ])
    // B2 was covered by SH-2 only: 1 × 5.00 = 5.00; COGS round(1 × 200 / 1) = 200.
    #expect(try s.when(F.returned("SO-1", "B2", 1)) == [
      F.returned("SO-1", "B2", 1, cogs: "2.00"),
      F.creditNote("CN-SO-1-2", invoice: "INV-SH-2", "5.00"),
    ])
    // A1 on hand 10 − 3 + 1 = 8; B2 10 − 1 + 1 = 10.
    #expect(try s.stock("A1").onHand == 8)
    #expect(try s.stock("B2").onHand == 10)
    #expect(try s.order("SO-1")?.creditNotes == 2)
  }

  @Test func theCreditNoteReducesItsInvoiceFirstAndTheExcessBecomesCredit() throws {
    let s = try shippedInThree()
    // P-1 26.00 pays SH-1 20.00, SH-2 5.00 and 1.00 of SH-3: SH-3 has 9.00 open.
    try s.deciding(F.pay("P-1", "26.00"))
    #expect(try s.invoice("INV-SH-3")?.open == F.m("9.00"))
    // Returning 2 A1: 2 × 10.00 = 20.00 against INV-SH-3: 9.00 closes it, 11.00 is customer credit.
    let out = try s.when(F.returned("SO-1", "A1", 2))
    #expect(out.last == F.creditNote("CN-SO-1-1", invoice: "INV-SH-3", "20.00"))
    #expect(try s.invoice("INV-SH-3")?.open == .zero)
    let c = try #require(try s.customer("C-1"))
    #expect(c.noteCredit == F.m("11.00"))
    #expect(c.openInvoices == [])
  }

  @Test func theCreditNoteTouchesOnlyTheInvoiceItNames() throws {
    let s = try shippedInThree()  // nothing paid: 20.00, 5.00, 10.00 open
    try s.deciding(F.returned("SO-1", "A1", 1))  // 10.00 closes INV-SH-3
    #expect(try s.invoice("INV-SH-3")?.open == .zero)
    #expect(try s.customer("C-1")?.openInvoices == ["INV-SH-1", "INV-SH-2"])
    // The next A1 return again names INV-SH-3 (the latest covering A1): all 10.00 is credit,
    // INV-SH-1 stays at 20.00.
    #expect(try s.when(F.returned("SO-1", "A1", 1)).last == F.creditNote("CN-SO-1-2", invoice: "INV-SH-3", "10.00"))
    #expect(try s.invoice("INV-SH-1")?.open == F.m("20.00"))
    #expect(try s.customer("C-1")?.noteCredit == F.m("10.00"))
  }

  @Test func creditIsAtTheNetPriceOfTheEarliestLinesFirst() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(2, "10.00"), F.line(3, "8.50", discount: "0.05")), F.ship(("A1", 5)))
    // Return 3: line 1 gives 2 × 10.00 = 2000; line 2 gives round(1 × 850 × 0.95) = round(807.5) = 808 → 28.08.
    #expect(try s.when(F.returned("SO-1", "A1", 3)).last == F.creditNote("CN-SO-1-1", invoice: "INV-SH-1", "28.08"))
    #expect(try s.order("SO-1")?.lines.map(\.returned) == [2, 1])
    // Return 2: line 2 gives round(2 × 850 × 0.95) = 1615 → 16.15.
    #expect(try s.when(F.returned("SO-1", "A1", 2)).last == F.creditNote("CN-SO-1-2", invoice: "INV-SH-1", "16.15"))
    // The invoice was 2000 + round(3 × 850 × 0.95) = 2000 + round(2422.5) = 2000 + 2423 = 4423;
    // credits 2808 + 1615 = 4423 leave it at zero.
    #expect(try s.invoice("INV-SH-1")?.open == .zero)
    #expect(try s.customer("C-1")?.noteCredit == .zero)
  }

  @Test func aCancelledOrdersShippedPartCanComeBack() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(5, "10.00")), F.ship(("A1", 2)), F.cancel())
    #expect(try s.when(F.returned("SO-1", "A1", 2)).last == F.creditNote("CN-SO-1-1", invoice: "INV-SH-1", "20.00"))
    #expect(s.refusal(F.returned("SO-1", "A1", 1)) == .overReturn(order: "SO-1", sku: "A1", requested: 1, returnable: 0))
  }
}

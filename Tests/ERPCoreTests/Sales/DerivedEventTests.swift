import ERPCore
import Testing

@Suite("Derived events are not input; amounts are bounded")
struct DerivedEventTests {
  func base() throws -> Scenario {
    try Scenario().given(F.customer(), F.rep(), F.product(), F.receive(10, cost: "4.00"))
      .deciding(F.order(F.line(2, "10.00")))
  }

  /// No stock at all: orders with allow_backorder reserve nothing.
  func empty() throws -> Scenario { try Scenario().given(F.customer(), F.rep(), F.product()) }

  @Test func derivedEventsAreRefusedAsInput() throws {
    let s = try base()
    let derived: [(SalesEvent, String)] = [
      (F.reserved("SO-1", "A1", 1), "StockReserved"),
      (F.released("SO-1", "A1", 1), "ReservationReleased"),
      (F.invoice("INV-X", "10.00", due: "2026-12-03"), "InvoiceIssued"),
      (F.creditNote("CN-X", invoice: nil, "1.00"), "CreditNoteIssued"),
    ]
    for (event, type) in derived {
      #expect(s.refusal(event) == .derived(type: type))
    }
    #expect(s.refusal(F.reserved("SO-1", "A1", 1))?.description
      == "StockReserved is derived by the store from a primary event and cannot be appended; to load a whole export use 'erpctl restore'")
    // Nothing changed: still nothing reserved beyond the order's 2, no invoice.
    #expect(try s.stock("A1").reserved == 2)
    #expect(try s.invoice("INV-X") == nil)
  }

  @Test func stageChangesAndMatchesAreAlsoPrimary() throws {
    let s = try base()
    try s.deciding(F.lead("L-1"))
    #expect(try s.when(F.stage("L-1", .contacted)) == [F.stage("L-1", .contacted)])
    try s.deciding(F.ship(("A1", 1)))  // INV-SH-1: 10.00
    try s.given(F.pay("P-1", "4.00"))  // left unapplied in the log
    #expect(try s.when(F.matched("P-1", "INV-SH-1", "4.00")) == [F.matched("P-1", "INV-SH-1", "4.00")])
  }

  // MARK: amounts too large

  @Test func orderLinesBeyondTheMoneyLimitAreRefused() throws {
    let s = try empty()
    // 1_000_000_000 × 10_000_000.00 = 10^9 × 10^9 minor units = 10^18 > 10^15.
    let e = s.refusal(F.order("SO-2", backorder: true, F.line(1_000_000_000, "10000000.00")))
    #expect(e == .amountTooLarge("the amount of these lines"))
    #expect(e?.description == "the amount of these lines is too large")
    #expect(try s.order("SO-2") == nil)
  }

  @Test func theMoneyLimitIsOnTheSumOfTheLines() throws {
    let s = try empty()
    // 1_000_000 × 10_000_000.00 = 10^6 × 10^9 = 10^15 minor units: exactly the limit, accepted.
    #expect(try s.when(F.order("SO-2", backorder: true, F.line(1_000_000, "10000000.00"))).count == 1)
    // 500_000 × 10^9 + 500_000 × 10^9 + 1 × 1 = 10^15 + 1: refused.
    #expect(s.refusal(F.order("SO-3", backorder: true,
      F.line(500_000, "10000000.00"), F.line(500_000, "10000000.00"), F.line(1, "0.01")))
      == .amountTooLarge("the amount of these lines"))
    #expect(s.refusal(F.quote("Q-1", F.line(1_000_000_000, "10000000.00"))) == .amountTooLarge("the amount of these lines"))
  }

  @Test func stockValueBeyondTheMoneyLimitIsRefused() throws {
    let s = try Scenario().given(F.product())
    // 1 × 9_999_999_999_999.99 = 10^15 − 1 minor units: accepted.
    try s.deciding(F.receive(1, cost: "9999999999999.99"))
    // + 1 × 0.02 = 10^15 + 1: refused, by receipt and by costed adjustment alike.
    #expect(s.refusal(F.receive(1, cost: "0.02")) == .amountTooLarge("stock value of 'A1'"))
    #expect(s.refusal(F.adjust(1, cost: "0.02")) == .amountTooLarge("stock value of 'A1'"))
    #expect(s.refusal(F.receive(1, cost: "0.02"))?.description == "stock value of 'A1' is too large")
    // + 1 × 0.01 = 10^15: accepted.
    #expect(try s.when(F.receive(1, cost: "0.01")).count == 1)
  }

  @Test func anUncostedAdjustmentBeyondTheMoneyLimitIsRefused() throws {
    let s = try Scenario().given(F.product())
    // 2 units worth 5 × 10^14 minor units (2 × 2_500_000_000_000.00).
    try s.deciding(F.receive(2, cost: "2500000000000.00"))
    // +2 at the average adds round(2 × 5·10^14 / 2) = 5·10^14 → 10^15: accepted.
    try s.deciding(F.adjust(2))
    #expect(try s.stock("A1").value.minorUnits == 1_000_000_000_000_000)
    // +1 more would add round(1 × 10^15 / 4) = 2.5·10^14 → 1.25·10^15: refused.
    #expect(s.refusal(F.adjust(1)) == .amountTooLarge("stock value of 'A1'"))
    // +10^9 would be 10^9 × 10^15 / 4 = 2.5·10^23 minor units, past any 64-bit integer: refused, not a crash.
    #expect(s.refusal(F.adjust(1_000_000_000)) == .amountTooLarge("stock value of 'A1'"))
    #expect(try s.stock("A1").onHand == 4)
  }
}

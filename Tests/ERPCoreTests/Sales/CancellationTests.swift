import ERPCore
import Testing

@Suite("Cancellation: releases the unshipped remainder's reservations")
struct CancellationTests {
  func stocked() throws -> Scenario {
    try Scenario().given(
      F.customer(), F.rep(), F.product("A1"), F.product("B2"),
      F.receive(10, cost: "4.00"), F.receive(10, sku: "B2", cost: "2.00"))
  }

  @Test func cancellingReleasesEachSKUsReservationOnce() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(3, "10.00"), F.line(2, "5.00", sku: "B2"), F.line(1, "9.00")))
    // A1: 3 + 1 = 4 reserved, B2: 2.
    let out = try s.when(F.cancel())
    #expect(out == [F.cancel(), F.released("SO-1", "A1", 4), F.released("SO-1", "B2", 2)])
    #expect(try s.stock("A1").reserved == 0)
    #expect(try s.stock("B2").reserved == 0)
    #expect(try s.stock("A1").available == 10)
    let o = try #require(try s.order("SO-1"))
    #expect(o.cancelled)
    #expect(o.lines.map(\.reserved) == [0, 0, 0])
  }

  @Test func releasedStockCanBeReservedAgain() throws {
    let s = try stocked()
    try s.deciding(F.order("SO-1", F.line(10, "10.00")))
    #expect(s.refusal(F.order("SO-2", F.line(1, "10.00"))) == .insufficientStock(sku: "A1", requested: 1, available: 0))
    try s.deciding(F.cancel("SO-1"))
    #expect(try s.when(F.order("SO-2", F.line(10, "10.00"))).last == F.reserved("SO-2", "A1", 10))
  }

  @Test func aPartiallyShippedOrderReleasesOnlyWhatIsLeft() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(5, "10.00"), F.line(2, "5.00", sku: "B2")), F.ship(("A1", 2), ("B2", 2)))
    // A1: 5 − 2 shipped = 3 still reserved; B2 fully shipped, nothing to release.
    #expect(try s.when(F.cancel()) == [F.cancel(), F.released("SO-1", "A1", 3)])
    let st = try s.stock("A1")
    #expect(st.onHand == 8)  // 10 − 2 shipped
    #expect(st.reserved == 0)
    #expect(try s.order("SO-1")?.lines.map(\.shipped) == [2, 2])
    // The shipped part keeps its invoice: 2 × 10.00 + 2 × 5.00 = 30.00.
    #expect(try s.invoice("INV-SH-1")?.open == F.m("30.00"))
  }

  @Test func aBackorderedOrderReleasesWhatWasReservedAndLeavesTheQueue() throws {
    let s = try stocked()
    try s.deciding(F.order("SO-1", backorder: true, F.line(15, "10.00")))  // 10 reserved, 5 waiting
    #expect(try s.queue("A1") == ["SO-1:5"])
    #expect(try s.when(F.cancel("SO-1")) == [F.cancel("SO-1"), F.released("SO-1", "A1", 10)])
    #expect(try s.queue("A1").isEmpty)
    #expect(try s.when(F.receive(5, cost: "4.00")) == [F.receive(5, cost: "4.00")])
    #expect(try s.stock("A1").available == 15)
  }

  @Test func cancellingTwiceIsRefused() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(3, "10.00")), F.cancel())
    let e = s.refusal(F.cancel())
    #expect(e == .orderClosed(order: "SO-1", state: "already cancelled"))
    #expect(e?.description == "order 'SO-1' is already cancelled")
    #expect(try s.stock("A1").reserved == 0)
  }

  @Test func aFullyShippedOrderCannotBeCancelled() throws {
    let s = try stocked()
    try s.deciding(F.order(F.line(3, "10.00")), F.ship(("A1", 3)))
    let e = s.refusal(F.cancel())
    #expect(e == .orderClosed(order: "SO-1", state: "fully shipped"))
    #expect(e?.description == "order 'SO-1' is fully shipped")
    #expect(try s.order("SO-1")?.cancelled == false)
  }

  @Test func cancellingAnUnknownOrderIsRefused() throws {
    #expect(try stocked().refusal(F.cancel("SO-9")) == .unknown("order", id: "SO-9"))
  }
}

import ERPCore
import Testing

@Suite("Stock: availability, backorders, receipts, purchase orders, adjustments")
struct StockTests {
  func base() throws -> Scenario {
    try Scenario().given(F.customer(), F.rep(), F.product("A1"), F.product("B2"))
  }

  // MARK: available = on hand − reserved

  @Test func confirmingWithNoStockAtAllIsRefused() throws {
    let e = try base().refusal(F.order(F.line(1, "10.00")))
    #expect(e == .insufficientStock(sku: "A1", requested: 1, available: 0))
  }

  @Test func shortageIsCheckedOverAllLinesOfTheSameSKU() throws {
    let s = try base()
    try s.deciding(F.receive(5, cost: "4.00"))
    // 3 + 3 = 6 of A1 wanted, 5 on hand.
    let e = s.refusal(F.order(F.line(3, "10.00"), F.line(3, "9.00")))
    #expect(e == .insufficientStock(sku: "A1", requested: 6, available: 5))
    #expect(e?.description
      == "cannot reserve 6 of 'A1': only 5 available (confirm with allow_backorder to backorder the rest)")
  }

  @Test func oneShortSKURefusesTheWholeOrder() throws {
    let s = try base()
    try s.deciding(F.receive(5, cost: "4.00"), F.receive(1, sku: "B2", cost: "2.00"))
    #expect(s.refusal(F.order(F.line(2, "10.00"), F.line(2, "5.00", sku: "B2")))
      == .insufficientStock(sku: "B2", requested: 2, available: 1))
    #expect(try s.order("SO-1") == nil)
    #expect(try s.stock("A1").reserved == 0)
    #expect(try s.queue("A1").isEmpty)
  }

  @Test func linesOfTheSameSKUAreReservedAsOneAndSpreadOverTheLines() throws {
    let s = try base()
    try s.deciding(F.receive(10, cost: "4.00"))
    let order = F.order(F.line(3, "10.00"), F.line(2, "5.00", sku: "B2"), F.line(4, "9.00"))
    try s.deciding(F.receive(2, sku: "B2", cost: "1.00"))
    // A1: 3 + 4 = 7 in one StockReserved, listed in order of first appearance.
    #expect(try s.when(order) == [order, F.reserved("SO-1", "A1", 7), F.reserved("SO-1", "B2", 2)])
    let o = try #require(try s.order("SO-1"))
    #expect(o.lines.map(\.reserved) == [3, 2, 4])
    #expect(try s.stock("A1").reserved == 7)
    #expect(try s.stock("A1").available == 3)  // 10 − 7
    #expect(try s.queue("A1").isEmpty)
  }

  @Test func reservedStockIsNotAvailableToTheNextOrder() throws {
    let s = try base()
    try s.deciding(F.receive(10, cost: "4.00"), F.order("SO-1", F.line(6, "10.00")))
    // 10 on hand − 6 reserved = 4 available.
    #expect(s.refusal(F.order("SO-2", F.line(5, "10.00"))) == .insufficientStock(sku: "A1", requested: 5, available: 4))
    #expect(try s.when(F.order("SO-2", F.line(4, "10.00"))).last == F.reserved("SO-2", "A1", 4))
    #expect(s.refusal(F.order("SO-3", F.line(1, "10.00"))) == .insufficientStock(sku: "A1", requested: 1, available: 0))
  }

  // MARK: backorders

  @Test func backordersAreFilledOldestFirstWithPartialFills() throws {
    let s = try base()
    try s.deciding(F.receive(2, cost: "4.00"))
    // SO-1 wants 5: 2 reserved, 3 waiting. SO-2 wants 4 and SO-3 wants 2: all waiting.
    #expect(try s.when(F.order("SO-1", backorder: true, F.line(5, "10.00"))).last == F.reserved("SO-1", "A1", 2))
    #expect(try s.when(F.order("SO-2", backorder: true, F.line(4, "10.00"))).count == 1)
    #expect(try s.when(F.order("SO-3", backorder: true, F.line(2, "10.00"))).count == 1)
    #expect(try s.queue("A1") == ["SO-1:3", "SO-2:4", "SO-3:2"])

    // 5 arrive: SO-1 takes its 3, SO-2 the 2 left; SO-3 gets nothing.
    #expect(try s.when(F.receive(5, cost: "4.00"))
      == [F.receive(5, cost: "4.00"), F.reserved("SO-1", "A1", 3), F.reserved("SO-2", "A1", 2)])
    #expect(try s.queue("A1") == ["SO-2:2", "SO-3:2"])
    // 3 arrive: SO-2 takes 2, SO-3 takes 1 and still waits for 1.
    #expect(try s.when(F.receive(3, cost: "4.00"))
      == [F.receive(3, cost: "4.00"), F.reserved("SO-2", "A1", 2), F.reserved("SO-3", "A1", 1)])
    let st = try s.stock("A1")
    #expect(try s.queue("A1") == ["SO-3:1"])
    // on hand 2 + 5 + 3 = 10, reserved 5 + 4 + 1 = 10.
    #expect(st.onHand == 10)
    #expect(st.reserved == 10)
    #expect(try s.order("SO-1")?.lines.first?.reserved == 5)
    #expect(try s.order("SO-2")?.lines.first?.reserved == 4)
    #expect(try s.order("SO-3")?.lines.first?.backordered == 1)
  }

  @Test func aReceiptWithNoBackordersReservesNothing() throws {
    let s = try base()
    #expect(try s.when(F.receive(5, cost: "4.00")) == [F.receive(5, cost: "4.00")])
    #expect(try s.stock("A1").reserved == 0)
  }

  @Test func backorderedLinesOfTheSameSKUFillInLineOrder() throws {
    let s = try base()
    try s.deciding(F.receive(3, cost: "4.00"))
    try s.deciding(F.order("SO-1", backorder: true, F.line(2, "10.00"), F.line(3, "9.00")))
    // 3 of 5 reserved: line 1 takes 2, line 2 takes 1.
    #expect(try s.order("SO-1")?.lines.map(\.reserved) == [2, 1])
    try s.deciding(F.receive(2, cost: "4.00"))
    #expect(try s.order("SO-1")?.lines.map(\.reserved) == [2, 3])
    #expect(try s.queue("A1").isEmpty)
  }

  @Test func aCancelledOrdersBackorderIsDropped() throws {
    let s = try base()
    try s.deciding(
      F.order("SO-1", backorder: true, F.line(5, "10.00")), F.order("SO-2", backorder: true, F.line(3, "10.00")))
    // Nothing was reserved, so cancelling releases nothing.
    #expect(try s.when(F.cancel("SO-1")) == [F.cancel("SO-1")])
    #expect(try s.queue("A1") == ["SO-2:3"])
    // 4 arrive: SO-2 takes 3, SO-1 nothing; 1 stays available.
    #expect(try s.when(F.receive(4, cost: "4.00")) == [F.receive(4, cost: "4.00"), F.reserved("SO-2", "A1", 3)])
    #expect(try s.stock("A1").available == 1)
  }

  @Test func withoutAllowBackorderNothingWaits() throws {
    let s = try base()
    try s.deciding(F.receive(2, cost: "4.00"))
    #expect(s.refusal(F.order("SO-1", F.line(3, "10.00"))) == .insufficientStock(sku: "A1", requested: 3, available: 2))
    #expect(try s.queue("A1").isEmpty)
  }

  // MARK: purchase orders

  @Test func aPurchaseOrderIdIsUniqueAndNeedsAProduct() throws {
    let s = try base()
    #expect(try s.when(F.po("PO-1")) == [F.po("PO-1")])
    let e = s.refusal(F.po("PO-1", sku: "B2"))
    #expect(e == .duplicate("purchase order", id: "PO-1"))
    #expect(e?.description == "purchase order 'PO-1' already exists")
    #expect(s.refusal(F.po("PO-2", sku: "Z9")) == .unknown("product", id: "Z9"))
  }

  @Test func aReceiptAgainstAPurchaseOrderCountsAsReceived() throws {
    let s = try base()
    try s.deciding(F.po("PO-1", qty: 10))
    try s.deciding(F.receive(4, cost: "4.00", po: "PO-1"), F.receive(3, cost: "4.00", po: "PO-1"))
    #expect(try s.state.get(PurchaseOrderState.self, "PO-1")?.received == 7)
    #expect(try s.stock("A1").onHand == 7)
  }

  @Test func aReceiptNamingAnUnknownPurchaseOrderIsRefused() throws {
    let s = try base()
    let e = s.refusal(F.receive(4, cost: "4.00", po: "PO-9"))
    #expect(e == .unknown("purchase order", id: "PO-9"))
    #expect(e?.description == "unknown purchase order 'PO-9'")
    #expect(try s.stock("A1").onHand == 0)
  }

  @Test func aReceiptAgainstAnotherSKUsPurchaseOrderIsRefused() throws {
    let s = try base()
    try s.deciding(F.po("PO-1", sku: "A1"))
    let e = s.refusal(F.receive(4, sku: "B2", cost: "4.00", po: "PO-1"))
    #expect(e == .purchaseOrderSKU(po: "PO-1", sku: "B2", expected: "A1"))
    #expect(e?.description == "purchase order 'PO-1' is for 'A1', not 'B2'")
    #expect(try s.stock("B2").onHand == 0)
  }

  // MARK: adjustments

  @Test func aNegativeAdjustmentCannotTakeReservedStock() throws {
    let s = try base()
    try s.deciding(F.receive(10, cost: "4.00"), F.order(F.line(7, "10.00")))
    // 10 on hand − 7 reserved = 3 may go.
    let e = s.refusal(F.adjust(-4))
    #expect(e == .adjustmentBelowAvailable(sku: "A1", requested: 4, available: 3))
    #expect(e?.description == "cannot remove 4 of 'A1': only 3 on hand and not reserved")
    #expect(try s.when(F.adjust(-3)) == [F.adjust(-3)])
    #expect(try s.stock("A1").onHand == 7)
    #expect(try s.stock("A1").available == 0)
  }

  @Test func aNegativeAdjustmentOfEmptyStockIsRefused() throws {
    #expect(try base().refusal(F.adjust(-1)) == .adjustmentBelowAvailable(sku: "A1", requested: 1, available: 0))
  }

  @Test func addingToEmptyStockNeedsAUnitCost() throws {
    let s = try base()
    let e = s.refusal(F.adjust(5))
    #expect(e == .unitCostRequired(sku: "A1"))
    #expect(e?.description == "adding stock of 'A1' with none on hand needs a unit_cost")
    // With a cost it is accepted: 5 × 3.50 = 17.50.
    #expect(try s.when(F.adjust(5, cost: "3.50")) == [F.adjust(5, cost: "3.50")])
    #expect(try s.stock("A1").onHand == 5)
    #expect(try s.stock("A1").value == F.m("17.50"))
  }

  @Test func addingToStockThatWasEmptiedAgainNeedsAUnitCost() throws {
    let s = try base()
    try s.deciding(F.receive(2, cost: "4.00"), F.adjust(-2))
    #expect(s.refusal(F.adjust(1)) == .unitCostRequired(sku: "A1"))
  }

  @Test func adjustmentsKeepTheMovingAverageValue() throws {
    let s = try base()
    // 3 @ 10.00 → on hand 3, value 3000.
    // 4 @ 10.01 → on hand 7, value 3000 + 4004 = 7004.
    try s.deciding(F.receive(3, cost: "10.00"), F.receive(4, cost: "10.01"))
    #expect(try s.stock("A1").value == F.m("70.04"))
    // −2 takes round(2 × 7004 / 7) = round(2001.142…) = 2001 → on hand 5, value 5003.
    try s.deciding(F.adjust(-2))
    #expect(try s.stock("A1").onHand == 5)
    #expect(try s.stock("A1").value == F.m("50.03"))
    // +3 without a cost adds round(3 × 5003 / 5) = round(3001.8) = 3002 → on hand 8, value 8005.
    try s.deciding(F.adjust(3))
    #expect(try s.stock("A1").onHand == 8)
    #expect(try s.stock("A1").value == F.m("80.05"))
    // +2 at 9.99 adds 2 × 999 = 1998 → on hand 10, value 10003.
    try s.deciding(F.adjust(2, cost: "9.99"))
    #expect(try s.stock("A1").onHand == 10)
    #expect(try s.stock("A1").value == F.m("100.03"))
    // −10 takes round(10 × 10003 / 10) = 10003: nothing left, no value left.
    try s.deciding(F.adjust(-10))
    #expect(try s.stock("A1").onHand == 0)
    #expect(try s.stock("A1").value == .zero)
  }

  @Test func aNegativeAdjustmentRoundsHalfAwayFromZero() throws {
    let s = try base()
    // 1 @ 10.00 + 1 @ 0.01 → on hand 2, value 1001.
    try s.deciding(F.receive(1, cost: "10.00"), F.receive(1, cost: "0.01"))
    // −1 takes round(1 × 1001 / 2) = round(500.5) = 501 (half away from zero, not to even 500).
    try s.deciding(F.adjust(-1))
    #expect(try s.stock("A1").value == F.m("5.00"))  // 1001 − 501 = 500
  }

  @Test func aPositiveAdjustmentRoundsHalfAwayFromZero() throws {
    let s = try base()
    // 2 units worth 1001 → +1 adds round(1 × 1001 / 2) = round(500.5) = 501 → 1502.
    try s.deciding(F.receive(1, cost: "10.00"), F.receive(1, cost: "0.01"), F.adjust(1))
    #expect(try s.stock("A1").onHand == 3)
    #expect(try s.stock("A1").value == F.m("15.02"))
  }

  @Test func aReceiptAddsQtyTimesUnitCost() throws {
    let s = try base()
    // 7 × 3.33 = 23.31; then 2 × 0.00 = 0.
    try s.deciding(F.receive(7, cost: "3.33"), F.receive(2, cost: "0.00"))
    #expect(try s.stock("A1").onHand == 9)
    #expect(try s.stock("A1").value == F.m("23.31"))
  }
}

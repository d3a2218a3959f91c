import ERPCore
import Testing

/// SPEC 7 moving-average cost: an exact inventory value per SKU; issues take round(q × value /
/// on_hand) half away from zero; returns come back at round(q × C / Q) of their order's shipments.
@Suite("Moving-average cost through receipts, shipments and returns")
struct CostTests {
  @Test func cogsFollowsTheMovingAverageAcrossReceiptsAndShipments() throws {
    let s = try Scenario().given(F.customer(), F.rep(), F.product())
    // 2 @ 10.00 + 1 @ 10.01 → on hand 3, value 2000 + 1001 = 3001.
    try s.deciding(F.receive(2, cost: "10.00"), F.receive(1, cost: "10.01"))
    try s.deciding(F.order("SO-1", F.line(3, "20.00")))

    // SH-1 ships 1: round(1 × 3001 / 3) = round(1000.33…) = 1000 → on hand 2, value 2001.
    #expect(try s.when(F.ship("SO-1", "SH-1", ("A1", 1))).first == F.shipped("SO-1", "SH-1", [("A1", 1, "10.00")]))
    // SH-2 ships 1: round(1 × 2001 / 2) = round(1000.5) = 1001 (half away from zero) → on hand 1, value 1000.
    #expect(try s.when(F.ship("SO-1", "SH-2", ("A1", 1))).first == F.shipped("SO-1", "SH-2", [("A1", 1, "10.01")]))
    #expect(try s.stock("A1").value == F.m("10.00"))

    // 3 @ 12.01 → on hand 4, value 1000 + 3603 = 4603.
    try s.deciding(F.receive(3, cost: "12.01"))
    try s.deciding(F.order("SO-2", F.line(3, "20.00")))  // 4 on hand − 1 reserved = 3 available
    // SH-3 ships 2 on SO-2: round(2 × 4603 / 4) = round(2301.5) = 2302 → on hand 2, value 2301.
    #expect(try s.when(F.ship("SO-2", "SH-3", ("A1", 2))).first == F.shipped("SO-2", "SH-3", [("A1", 2, "23.02")]))
    // SH-4 ships 1 on SO-1: round(1 × 2301 / 2) = round(1150.5) = 1151 → on hand 1, value 1150.
    #expect(try s.when(F.ship("SO-1", "SH-4", ("A1", 1))).first == F.shipped("SO-1", "SH-4", [("A1", 1, "11.51")]))
    // SH-5 ships the last 1 on SO-2: round(1 × 1150 / 1) = 1150 → on hand 0, value 0.
    #expect(try s.when(F.ship("SO-2", "SH-5", ("A1", 1))).first == F.shipped("SO-2", "SH-5", [("A1", 1, "11.50")]))
    #expect(try s.stock("A1").onHand == 0)
    #expect(try s.stock("A1").value == .zero)
    // Everything received left as COGS: 3001 + 3603 = 6604 = 1000 + 1001 + 2302 + 1151 + 1150.
    let o1 = try #require(try s.order("SO-1"))
    let o2 = try #require(try s.order("SO-2"))
    #expect(o1.lines.reduce(Money.zero) { $0 + $1.shippedCOGS } == F.m("31.52"))  // 1000 + 1001 + 1151
    #expect(o2.lines.reduce(Money.zero) { $0 + $1.shippedCOGS } == F.m("34.52"))  // 2302 + 1150
  }

  @Test func linesOfOneShipmentTakeCostOneAfterTheOther() throws {
    let s = try Scenario().given(F.customer(), F.rep(), F.product())
    // 1 @ 10.00 + 2 @ 10.01 → on hand 3, value 1000 + 2002 = 3002.
    try s.deciding(F.receive(1, cost: "10.00"), F.receive(2, cost: "10.01"), F.order(F.line(3, "20.00")))
    // Line 1 (1 unit): round(3002 / 3) = round(1000.67) = 1001 → on hand 2, value 2001.
    // Line 2 (2 units): round(2 × 2001 / 2) = 2001.
    let out = try s.when(F.ship(("A1", 1), ("A1", 2)))
    #expect(out.first == F.shipped("SO-1", "SH-1", [("A1", 1, "10.01"), ("A1", 2, "20.01")]))
    #expect(try s.stock("A1").value == .zero)
  }

  @Test func returnsComeBackAtTheCostTheyLeftWith() throws {
    let s = try Scenario().given(F.customer(), F.rep(), F.product())
    // Same history as above for SO-1: shipments at 1000, 1001 and 1151 (C = 3152, Q = 3).
    try s.deciding(F.receive(2, cost: "10.00"), F.receive(1, cost: "10.01"), F.order("SO-1", F.line(3, "20.00")))
    try s.deciding(F.ship("SO-1", "SH-1", ("A1", 1)), F.ship("SO-1", "SH-2", ("A1", 1)))
    try s.deciding(F.receive(3, cost: "12.01"), F.order("SO-2", F.line(3, "20.00")))
    try s.deciding(F.ship("SO-2", "SH-3", ("A1", 2)), F.ship("SO-1", "SH-4", ("A1", 1)))
    // Stock now: on hand 1, value 1150.
    #expect(try s.stock("A1").value == F.m("11.50"))

    // Returning 2 of SO-1: round(2 × 3152 / 3) = round(2101.33…) = 2101.
    let first = try s.when(F.returned("SO-1", "A1", 2))
    #expect(first.first == F.returned("SO-1", "A1", 2, cogs: "21.01"))
    // on hand 1 + 2 = 3, value 1150 + 2101 = 3251.
    #expect(try s.stock("A1").onHand == 3)
    #expect(try s.stock("A1").value == F.m("32.51"))
    // Returning the last 1: round(1 × 3152 / 3) = round(1050.67) = 1051 → value 3251 + 1051 = 4302.
    let second = try s.when(F.returned("SO-1", "A1", 1))
    #expect(second.first == F.returned("SO-1", "A1", 1, cogs: "10.51"))
    #expect(try s.stock("A1").value == F.m("43.02"))
    // 2101 + 1051 = 3152 = all SO-1's COGS came back.
    let o1 = try #require(try s.order("SO-1"))
    #expect(o1.lines.reduce(Money.zero) { $0 + $1.returnedCOGS } == F.m("31.52"))

    // The next shipment costs from the restocked value: SO-2's last unit, round(1 × 4302 / 4) = round(1075.5) = 1076.
    #expect(try s.when(F.ship("SO-2", "SH-5", ("A1", 1))).first == F.shipped("SO-2", "SH-5", [("A1", 1, "10.76")]))
  }

  @Test func aReturnRoundsHalfAwayFromZeroEachTimeOnItsOwn() throws {
    let s = try Scenario().given(F.customer(), F.rep(), F.product())
    // 1 @ 0.02 + 1 @ 0.03 → value 5; both shipped together: COGS round(2 × 5 / 2) = 5. C = 5, Q = 2.
    try s.deciding(F.receive(1, cost: "0.02"), F.receive(1, cost: "0.03"), F.order(F.line(2, "1.00")), F.ship(("A1", 2)))
    // Return 1: round(1 × 5 / 2) = round(2.5) = 3 (half away from zero; half to even would give 2).
    #expect(try s.when(F.returned("SO-1", "A1", 1)).first == F.returned("SO-1", "A1", 1, cogs: "0.03"))
    // The second unit is again round(1 × 5 / 2) = 3: each return is computed from C and Q alone.
    #expect(try s.when(F.returned("SO-1", "A1", 1)).first == F.returned("SO-1", "A1", 1, cogs: "0.03"))
    #expect(try s.stock("A1").value == F.m("0.06"))  // 0 + 3 + 3
  }
}

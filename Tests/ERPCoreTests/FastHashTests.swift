import Testing

@testable import ERPCore

/// `StateID`, `DimTuple` and `ItemKey` hash by `FastHash` and compare by bytes: equal values
/// hash alike, whatever the length or script, and canonically equivalent but different bytes
/// are different keys (as LMDB keys and the command side's state are).
@Suite("fast hash")
struct FastHashTests {
  @Test func equalKeysHashAlikeAndByteDifferentOnesDiffer() {
    let texts = [
      "", "a", "SO-000001", "exactly-15-byte", "sixteen-bytes-id", String(repeating: "长", count: 70),
      "客户-华东-001", "caf\u{E9}", "cafe\u{301}", "K", "\u{212A}",
    ]
    for t in texts {
      // The same text built another way (a substring copied out, a concatenation).
      let again = String(("<" + t + ">").dropFirst().dropLast())
      #expect(StateID(t) == StateID(again))
      #expect(StateID(t)._rawHashValue(seed: 42) == StateID(again)._rawHashValue(seed: 42))
      #expect(StateID(t).hashValue == StateID(again).hashValue)
    }
    // Canonically equivalent (String == says so), different bytes: different ids.
    #expect(StateID("caf\u{E9}") != StateID("cafe\u{301}"))
    #expect(StateID("K") != StateID("\u{212A}"))
    var table: [StateID: Int] = [:]
    for (i, t) in texts.enumerated() { table[StateID(t)] = i }
    #expect(table.count == texts.count)
    for (i, t) in texts.enumerated() { #expect(table[StateID(String(decoding: Array(t.utf8), as: UTF8.self))] == i) }
  }

  @Test func tuplesAndItemsAsKeys() {
    func tuple(_ customer: String, promotion: String = "") -> DimTuple {
      DimTuple(rep: "R1", team: "华东", region: "east", channel: "web", customer: customer, tier: "A",
        promotion: promotion, source: "")
    }
    var index: [DimTuple: Int] = [:]
    let customers = ["C1", "C2", "caf\u{E9}", "cafe\u{301}", String(repeating: "x", count: 200)]
    for (i, c) in customers.enumerated() { index[tuple(c)] = i }
    #expect(index.count == customers.count)
    for (i, c) in customers.enumerated() { #expect(index[tuple(String(c.unicodeScalars))] == i) }
    #expect(index[tuple("C1", promotion: "P")] == nil)
    var items: [ItemKey: Int] = [ItemKey(sku: "", line: ""): 0]
    items[ItemKey(sku: "SKU-1", line: "线-A")] = 1
    items[ItemKey(sku: "SKU-1", line: "")] = 2
    #expect(items[ItemKey(sku: "SKU-" + "1", line: "线-" + "A")] == 1)
    #expect(items[ItemKey(sku: "SKU-1", line: "")] == 2)
    #expect(items.count == 3)
  }

  /// The sales fold keys its master data by bytes too: a customer or rep registered under one
  /// spelling is not found under a canonically equivalent one (the order keeps its own region
  /// and channel, and no team), and two product lines that differ only so count an order twice.
  @Test func theSalesFoldTellsMasterDataApartByBytes() {
    let p = SalesProjection()
    let day = CivilDate(year: 2026, month: 3, day: 2)!
    func apply(_ seq: UInt64, _ e: SalesEvent) { p.apply(seq: seq, day: day, e) }
    apply(1, .customerRegistered(CustomerRegistered(customer: "caf\u{E9}", name: "n", region: "north", channel: "web")))
    apply(2, .repRegistered(RepRegistered(rep: "R\u{E9}", name: "r", team: "T1", region: "north")))
    apply(3, .productDefined(ProductDefined(sku: "S1", name: "a", line: "caf\u{E9}", listPrice: Money(minorUnits: 100))))
    apply(4, .productDefined(ProductDefined(sku: "S2", name: "b", line: "cafe\u{301}", listPrice: Money(minorUnits: 100))))
    let lines = [OrderLine(sku: "S1", qty: 1, unitPrice: Money(minorUnits: 100)), OrderLine(sku: "S2", qty: 1, unitPrice: Money(minorUnits: 100))]
    apply(5, .orderConfirmed(OrderConfirmed(order: "O1", customer: "caf\u{E9}", rep: "R\u{E9}", lines: lines)))
    apply(6, .orderConfirmed(OrderConfirmed(order: "O2", customer: "cafe\u{301}", rep: "Re\u{301}", lines: lines)))
    #expect(p.tuples.count == 2)
    #expect((p.tuples[0].region, p.tuples[0].channel, p.tuples[0].team) == ("north", "web", "T1"))
    #expect((p.tuples[1].region, p.tuples[1].channel, p.tuples[1].team) == ("", "", ""))
    #expect(p.currentCustomer("caf\u{E9}")?.region == "north")
    #expect(p.currentCustomer("cafe\u{301}") == nil)
    #expect(p.currentRep("Re\u{301}") == nil)
    // Two lines per order: each order counted once in each of the two product lines.
    let byLine = p.facts.filter { $0.measure == .ordersLine && $0.seq == 5 }
    #expect(byLine.count == 2)
    #expect(Set(byLine.map { p.items[Int($0.item)].line.unicodeScalars.count }) == [4, 5])
  }
}

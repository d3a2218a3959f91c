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
}

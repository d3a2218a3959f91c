@testable import ERPCore
import ERPTestSupport
import Testing

/// The state's cache: one table per kind, ids compared by their bytes, changes in key order.
struct SalesStateTests {
  @Test func changesComeBackInKeyOrderOnceEach() throws {
    let s = SalesState()
    s.put("SO-2", ShipmentState(owner: "x"))
    s.put("C-2", CustomerState(region: "r", channel: "c", tier: nil))
    s.put("C-10", CustomerState(region: "r", channel: "c", tier: nil))
    s.put("P-1", Exists<QuoteTag>(owner: "q"))
    try s.update(CustomerState.self, "C-2") { $0.openInvoices.append("INV-1") }
    let keys = s.takeChanges().map(\.0)
    #expect(keys == [
      StateKey(.customer, "C-10"), StateKey(.customer, "C-2"), StateKey(.quote, "P-1"),
      StateKey(.shipment, "SO-2"),
    ])
    #expect(keys == keys.sorted())
    #expect(s.takeChanges().isEmpty)
    try s.update(CustomerState.self, "C-2") { $0.noteCredit = Money(minorUnits: 5) }
    let again = s.takeChanges()
    #expect(again.map(\.0) == [StateKey(.customer, "C-2")])
    #expect(again.first?.1["open_invoices"] == .array(["INV-1"]))
    #expect(again.first?.1["note_credit"] == .int(5))
  }

  @Test func upsertMakesAMissingRecordAndChangesAnExistingOneInPlace() throws {
    // One record in the store behind the state (read through the loader), one nowhere.
    var stored = StockState()
    stored.onHand = 7
    let s = SalesState { k in k.id == "SKU-1" ? stored.json : nil }
    try s.upsert(StockState.self, "SKU-1", StockState.init) { $0.reserved += 2 }
    try s.upsert(StockState.self, "SKU-2", { var st = StockState(); st.onHand = 1; return st }) { $0.reserved += 3 }
    try s.upsert(StockState.self, "SKU-2", StockState.init) { $0.reserved += 1 }
    #expect(try s.get(StockState.self, "SKU-1").map { [$0.onHand, $0.reserved] } == [7, 2])
    #expect(try s.get(StockState.self, "SKU-2").map { [$0.onHand, $0.reserved] } == [1, 4])
    #expect(s.takeChanges().map(\.0) == [StateKey(.stock, "SKU-1"), StateKey(.stock, "SKU-2")])
    stored.onHand = 0  // (the loader is not asked again)
    #expect(try s.get(StockState.self, "SKU-1")?.onHand == 7)
  }

  @Test func idsThatDifferInBytesAreDifferentRecords() throws {
    // "é" precomposed and decomposed: equal as Swift strings, different LMDB keys.
    let composed = "C-\u{E9}"
    let decomposed = "C-e\u{301}"
    let s = SalesState()
    s.put(composed, CustomerState(region: "a", channel: "c", tier: nil))
    #expect(try s.get(CustomerState.self, decomposed) == nil)
    s.put(decomposed, CustomerState(region: "b", channel: "c", tier: nil))
    #expect(try s.get(CustomerState.self, composed)?.region == "a")
    #expect(try s.get(CustomerState.self, decomposed)?.region == "b")
    #expect(s.takeChanges().count == 2)
  }

  @Test func updateLeavesTheCopiesReadBeforeUnchanged() throws {
    let s = SalesState()
    s.put("C-1", CustomerState(region: "r", channel: "c", tier: nil))
    let before = try s.require(CustomerState.self, "C-1", "customer")
    try s.update(CustomerState.self, "C-1") { $0.openInvoices.append("INV-1") }
    try s.update(CustomerState.self, "C-404") { $0.openInvoices.append("INV-2") }
    #expect(before.openInvoices.isEmpty)
    #expect(try s.get(CustomerState.self, "C-1")?.openInvoices == ["INV-1"])
    #expect(try s.get(CustomerState.self, "C-404") == nil)
    #expect(s.takeChanges().map(\.0) == [StateKey(.customer, "C-1")])
  }

  @Test func theLoaderIsAskedOnceAndEvictionForgets() throws {
    var asked: [StateKey] = []
    let s = SalesState { k in
      asked.append(k)
      return k.id == "C-1" ? CustomerState(region: "r", channel: "c", tier: nil).json : nil
    }
    #expect(try s.get(CustomerState.self, "C-1")?.region == "r")
    #expect(try s.get(CustomerState.self, "C-1")?.region == "r")
    #expect(try s.get(CustomerState.self, "C-9") == nil)
    #expect(try s.get(CustomerState.self, "C-9") == nil)
    #expect(asked == [StateKey(.customer, "C-1"), StateKey(.customer, "C-9")])
    #expect(s.cachedCount == 2)
    s.forget(CustomerState.self, "C-9")
    #expect(s.cachedCount == 1)
    s.evict()
    #expect(s.cachedCount == 0)
    _ = try s.get(CustomerState.self, "C-1")
    #expect(asked.count == 3)
    let c1 = CustomerState(region: "r", channel: "c", tier: nil)
    #expect(s.snapshot == [StateKey(.customer, "C-1"): c1.json])
  }

  @Test func aRecordForgottenAndPutAgainIsWrittenBackOnceWithItsLastValue() throws {
    let s = SalesState()
    s.put("C-1", CustomerState(region: "a", channel: "c", tier: nil))
    s.forget(CustomerState.self, "C-1")
    s.put("C-1", CustomerState(region: "b", channel: "c", tier: nil))
    try s.update(CustomerState.self, "C-1") { $0.tier = "gold" }
    let changes = s.takeChanges()
    #expect(changes.map(\.0) == [StateKey(.customer, "C-1")])
    #expect(changes.first?.1["region"] == .string("b"))
    #expect(changes.first?.1["tier"] == .string("gold"))
    s.forget(CustomerState.self, "C-1")
    #expect(s.takeChanges().isEmpty)
  }

  @Test func forgettingRenumbersThePendingChangeOfTheEntryMovedIntoItsPlace() throws {
    let s = SalesState()
    for id in ["C-1", "C-2", "C-3"] { s.put(id, CustomerState(region: id, channel: "c", tier: nil)) }
    // C-3, the last entry, moves into C-1's place; its pending change must follow it.
    s.forget(CustomerState.self, "C-1")
    #expect(s.takeChanges().map { $0.0.id } == ["C-2", "C-3"])
    // Only the moved entry has a pending change.
    s.put("C-4", CustomerState(region: "C-4", channel: "c", tier: nil))
    _ = s.takeChanges()
    try s.update(CustomerState.self, "C-4") { $0.tier = "gold" }
    s.forget(CustomerState.self, "C-2")
    let changes = s.takeChanges()
    #expect(changes.map { $0.0.id } == ["C-4"])
    #expect(changes.first?.1["tier"] == .string("gold"))
  }

  /// Random puts, updates, forgets and write-backs against a model of what is pending.
  @Test(arguments: [1, 2, 3, 4])
  func writeBackMatchesAModelOfPendingChanges(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let s = SalesState()
    var records: [String: String] = [:]  // id -> region, what the state holds
    var pending: Set<String> = []
    for step in 0..<4_000 {
      let id = "C-\(rng.next() % 60)"
      switch rng.next() % 10 {
      case 0...3:
        let region = "r\(step)"
        s.put(id, CustomerState(region: region, channel: "c", tier: nil))
        records[id] = region
        pending.insert(id)
      case 4...5:
        let region = "u\(step)"
        try s.update(CustomerState.self, id) { $0.region = region }
        if records[id] != nil {
          records[id] = region
          pending.insert(id)
        }
      case 6...7:
        s.forget(CustomerState.self, id)
        records[id] = nil
        pending.remove(id)
      default:
        let changes = s.takeChanges()
        #expect(changes.map { $0.0.id } == pending.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        for (k, json) in changes { #expect(json["region"] == .string(records[k.id] ?? "?"), "\(k.id) at \(step)") }
        pending = []
      }
    }
  }

  @Test func aStateThatTracksNoChangesHasNoneToTake() throws {
    let s = SalesState(tracksChanges: false)
    s.put("C-1", CustomerState(region: "a", channel: "c", tier: nil))
    try s.update(CustomerState.self, "C-1") { $0.tier = "gold" }
    #expect(try s.get(CustomerState.self, "C-1")?.tier == "gold")
    #expect(s.takeChanges().isEmpty)
  }

  /// Write-back order is LMDB's: bytes compared unsigned, a prefix first. Checked against the
  /// arrays' own lexicographic order on random ids (ASCII, multi-byte, and prefixes of each other).
  @Test func changesComeBackInByteOrder() throws {
    var rng = SystemRandomNumberGenerator()
    let alphabet: [String] = ["A", "B", "a", "0", "-", "\u{E9}", "\u{4E2D}", "\u{1F600}", "Z", "z"]
    var ids: Set<String> = []
    while ids.count < 400 {
      let n = Int.random(in: 0...6, using: &rng)
      ids.insert("C" + (0..<n).map { _ in alphabet.randomElement(using: &rng)! }.joined())
    }
    let s = SalesState()
    for id in ids { s.put(id, CustomerState(region: "r", channel: "c", tier: nil)) }
    let got = s.takeChanges().map(\.0.id)
    let expected = ids.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    #expect(got == expected)
  }

  @Test func readAppliesItsBodyToTheRecordWhereItIs() throws {
    var asked = 0
    let s = SalesState { k in
      asked += 1
      return k.id == "C-1" ? CustomerState(region: "r", channel: "c", tier: "gold").json : nil
    }
    #expect(try s.read(CustomerState.self, "C-1", { $0.tier }) == "gold")
    #expect(try s.read(CustomerState.self, "C-1", { $0.region }) == "r")
    #expect(try s.read(CustomerState.self, "C-9", { $0.region }) == nil)
    #expect(asked == 2)
    try s.update(CustomerState.self, "C-1") { $0.openInvoices.append("INV-1") }
    #expect(try s.read(CustomerState.self, "C-1", { $0.openInvoices }) == ["INV-1"])
    #expect(s.takeChanges().map(\.0) == [StateKey(.customer, "C-1")])
  }
}

/// What the import prefetches ahead of deciding an event (`StateLookups`,
/// `SalesState.lookupAddresses`).
struct StateLookupsTests {
  static let order = SalesEvent.orderConfirmed(OrderConfirmed(
    order: "SO-1", customer: "C-1", rep: "R-1",
    lines: [
      OrderLine(sku: "SKU-1", qty: 1, unitPrice: .zero), OrderLine(sku: "SKU-2", qty: 1, unitPrice: .zero),
      OrderLine(sku: "SKU-3", qty: 1, unitPrice: .zero),
    ]))

  /// An order names itself, its customer and rep, then each line's product and stock, up to
  /// the capacity.
  @Test func anOrderNamesItsRecordsUpToTheCapacity() {
    let l = StateLookups(of: Self.order)
    #expect(l.count == StateLookups.capacity)
    var named: [StateKind] = []
    var hashes: [UInt64] = []
    l.forEach { kind, h in
      named.append(kind)
      hashes.append(h)
    }
    let kinds: [StateKind] = [.order, .customer, .rep, .product, .stock, .product, .stock, .product]
    #expect(named == kinds)
    let ids = ["SO-1", "C-1", "R-1", "SKU-1", "SKU-1", "SKU-2", "SKU-2", "SKU-3"]
    #expect(hashes == ids.map { StateID.preHash($0) })
    #expect(StateLookups(of: .paymentMatched(PaymentMatched(payment: "P", invoice: "I", amount: .zero))).count == 0)
  }

  /// Step 0 names one index slot per lookup in a table that exists; step 1 the key and value of
  /// each record found (nothing for one that is not there).
  @Test func addressesOnlyOfTablesAndRecordsThatExist() {
    let s = SalesState()
    s.put("C-1", CustomerState(region: "r", channel: "c", tier: nil))
    s.put("SKU-1", ProductState(line: "l", listPrice: .zero, unitCost: nil))
    s.put("SKU-2", ProductState(line: "l", listPrice: .zero, unitCost: nil))
    let l = StateLookups(of: Self.order)
    var slots: [UInt] = []
    s.lookupAddresses(l, step: 0) { slots.append($0) }
    #expect(slots.count == 4)  // the customer and three products: no orders, reps or stock yet
    var entries: [UInt] = []
    s.lookupAddresses(l, step: 1) { entries.append($0) }
    #expect(entries.count == 6)  // C-1, SKU-1, SKU-2: key and value each
    #expect(Set(entries).count == 6)
  }
}

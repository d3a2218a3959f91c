import Testing

@testable import ERPCore
import ERPTestSupport

/// `IDTable` (the sales fold's order and invoice tables) against `Dictionary` under random
/// operations: the same values for every key, entries in the order first set, and ids that
/// differ only in their bytes (Unicode normalisation) kept apart.
@Suite("id table")
struct IDTableTests {
  @Test(arguments: [UInt64(1), 2, 3])
  func agreesWithADictionary(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var table = IDTable<Int>()
    var reference: [String: Int] = [:]
    var order: [String] = []
    // Few distinct ids at first (many updates), then many (the table grows several times).
    for step in 0..<20_000 {
      let range = step < 2_000 ? 50 : 15_000
      let id = "SO-\(Int.random(in: 0..<range, using: &rng))"
      switch Int.random(in: 0..<3, using: &rng) {
      case 0:
        let v = Int.random(in: 0..<1_000_000, using: &rng)
        if reference[id] == nil { order.append(id) }
        reference[id] = v
        table.set(StateID(id), v)
      case 1:
        #expect(table[StateID(id)] == reference[id])
      default:
        if let e = table.entry(StateID(id)) {
          table[entry: e] += 1
          reference[id]! += 1
        } else {
          #expect(reference[id] == nil)
        }
      }
    }
    #expect(table.count == reference.count)
    #expect(table.keys.map(\.id) == order)
    #expect(table.values == order.map { reference[$0]! })
  }

  /// With removals (the command-side state's `forget`): every key still finds its value after
  /// entries moved and index slots shifted, removed keys find nothing, and a table emptied
  /// works as a new one.
  @Test(arguments: [UInt64(4), 5, 6])
  func removesAsADictionaryDoes(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var table = IDTable<Int>()
    var reference: [String: Int] = [:]
    for step in 0..<30_000 {
      // A small key space at first (long probe runs to shift), then a larger one.
      let range = step < 5_000 ? 40 : 3_000
      let id = "SO-\(Int.random(in: 0..<range, using: &rng))"
      switch Int.random(in: 0..<4, using: &rng) {
      case 0, 1:
        let v = Int.random(in: 0..<1_000_000, using: &rng)
        reference[id] = v
        table.set(StateID(id), v)
      case 2:
        reference[id] = nil
        table.remove(StateID(id))
      default:
        #expect(table[StateID(id)] == reference[id])
      }
      if step % 5_000 == 4_999 {
        #expect(table.count == reference.count)
        for (k, v) in reference { #expect(table[StateID(k)] == v) }
      }
    }
    #expect(Set(table.keys.map(\.id)) == Set(reference.keys))
    table.removeAll()
    #expect(table.count == 0 && table[StateID("SO-1")] == nil)
    table.set(StateID("SO-1"), 7)
    #expect(table[StateID("SO-1")] == 7)
  }

  /// `reserveCapacity` shows its advice the fresh keys, values and index (nothing written to
  /// them yet), each as large as the reservation asks; the table then works as any other.
  @Test func reservingShowsTheFreshTablesToTheAdvice() {
    var table = IDTable<Int64>()
    var shown: [Int] = []
    table.reserveCapacity(1_000) { buffer in
      #expect(buffer.baseAddress != nil)
      shown.append(buffer.count)
    }
    #expect(shown == [1_000 * MemoryLayout<StateID>.stride, 1_000 * MemoryLayout<Int64>.stride, 2_048 * 8])
    for i in 0..<3_000 { table.set(StateID("P-" + String(i)), Int64(i)) }
    #expect((0..<3_000).allSatisfy { table[StateID("P-" + String($0))] == Int64($0) })
  }

  @Test func keysDifferingOnlyInNormalisationAreDifferentKeys() {
    var table = IDTable<String>()
    let composed = "caf\u{E9}"
    let decomposed = "cafe\u{301}"
    table.set(StateID(composed), "one")
    table.set(StateID(decomposed), "two")
    #expect(table.count == 2)
    #expect(table[StateID(composed)] == "one")
    #expect(table[StateID(decomposed)] == "two")
    #expect(table[StateID("cafe")] == nil)
  }

  @Test func reservedTablesAndEmptyOnesAnswerLookups() {
    var table = IDTable<Int>()
    #expect(table[StateID("x")] == nil)
    #expect(table.entry(StateID("x")) == nil)
    table.reserveCapacity(1_000)
    #expect(table[StateID("x")] == nil)
    let ids = (0..<1_000).map { StateID("I-" + String($0)) }
    for (i, id) in ids.enumerated() { table.set(id, i) }
    #expect(ids.enumerated().allSatisfy { i, id in table[id] == Optional(i) })
    #expect(table.isEmpty == false)
  }

  /// A probe (made for another thread to prefetch) gives the slot where the table starts looking
  /// a key up: for a key alone in its table, the slot holding it (entry 0, fingerprint of its
  /// hash); for every key of a fuller one, an occupied slot (its own, or one it probes past).
  @Test func probesGiveTheSlotsTheTableLooksAt() {
    var one = IDTable<Int>()
    one.reserveCapacity(100)
    one.set(StateID("SO-1"), 7)
    let slot = try! #require(one.probe.slot(preHash: StateID.preHash("SO-1")))
    let value = UnsafePointer<UInt64>(bitPattern: slot)!.pointee
    #expect(value & 0xFFFF_FFFF == 1)
    #expect(value >> 32 == UInt64(bitPattern: Int64(StateID("SO-1")._rawHashValue(seed: one.probe.seed))) >> 32)

    var table = IDTable<Int>()
    table.reserveCapacity(5_000)
    for i in 0..<5_000 { table.set(StateID("INV-" + String(i)), i) }
    let probe = table.probe
    #expect((0..<5_000).allSatisfy { i in
      probe.slot(preHash: StateID.preHash("INV-" + String(i))).map { UnsafePointer<UInt64>(bitPattern: $0)!.pointee != 0 } == true
    })
    #expect(IDTable<Int>().probe.slot(preHash: StateID.preHash("SO-1")) == nil)
  }

  /// The sales fold's lookahead names the order and invoice slots `apply` will look up: one per
  /// order or invoice an event names, none for an event that names neither; and the entries
  /// it will read once they exist (both the key's and the value's address).
  @Test func theFoldsLookaheadNamesTheOrdersAndInvoicesAnEventLooksUp() {
    let p = SalesProjection()
    p.reserve(events: 1_000)
    let lookahead = p.lookahead
    let money = Money(minorUnits: 100)
    let due = CivilDate(year: 2026, month: 1, day: 31)!
    let cases: [(SalesEvent, Int)] = [
      (.orderCancelled(OrderCancelled(order: "SO-1", reason: "x")), 1),
      (.invoiceIssued(InvoiceIssued(invoice: "I-1", order: "SO-1", customer: "C-1", amount: money, due: due)), 2),
      (.paymentMatched(PaymentMatched(payment: "P-1", invoice: "I-1", amount: money)), 1),
      (.creditNoteIssued(CreditNoteIssued(creditNote: "CN-1", invoice: nil, order: "SO-1", customer: "C-1", amount: money)), 1),
      (.creditNoteIssued(CreditNoteIssued(creditNote: "CN-1", invoice: "I-1", order: "SO-1", customer: "C-1", amount: money)), 2),
      (.stockReserved(StockReserved(order: "SO-1", sku: "A", qty: 1)), 0),
    ]
    for (event, expected) in cases {
      var n = 0
      let keys = withUnsafePointer(to: event) { SalesProjection.foldKeys(of: $0) }
      lookahead.slots(of: keys) { _ in n += 1 }
      // The entries are looked for once they exist: none yet.
      p.entryAddresses(of: keys) { _ in n += 100 }
      #expect(n == expected, "\(event)")
    }
    let order = SalesEvent.orderConfirmed(OrderConfirmed(
      order: "SO-1", customer: "C-1", rep: "R-1", channel: nil, region: nil, lead: nil, quote: nil, promotion: nil,
      paymentTermsDays: nil, allowBackorder: false, lines: []))
    p.apply(seq: 1, day: due, order)
    var addresses: [UInt] = []
    let keys = withUnsafePointer(to: SalesEvent.orderCancelled(OrderCancelled(order: "SO-1", reason: "x"))) {
      SalesProjection.foldKeys(of: $0)
    }
    p.entryAddresses(of: keys) { addresses.append($0) }
    #expect(addresses.count == 2)
  }
}

@testable import ERPCore
import ERPTestSupport
import Testing

@testable import ERPStore

/// The write-back writes each state record straight into the stored value format
/// (`StoredRecordSink`). Those bytes must be the ones `EventCodec` makes of the record's JSON,
/// which is what every earlier store holds and what reading a record decodes.
@Suite("state write-back")
struct StateWriteBackTests {
  /// Every record type, with every optional member absent and present, non-ASCII text, money
  /// below zero and integers needing several varint bytes.
  static let records: [any StateRecord] = {
    var customer = CustomerState(region: "华东", channel: "direct", tier: "A")
    customer.openInvoices = ["INV-1", "INV-2"]
    customer.unappliedPayments = ["PAY-9"]
    customer.noteCredit = Money(minorUnits: 12_345)
    var line = OrderState.Line(
      sku: "SKU-1", qty: 3, unitPrice: Money(minorUnits: 99_999), discount: Rate("0.125"))
    (line.reserved, line.shipped, line.returned) = (1, 2, 1)
    (line.shippedCOGS, line.returnedCOGS, line.invoice) = (Money(minorUnits: 4_000), Money(minorUnits: 2_000), "INV-7")
    var order = OrderState(
      customer: "C-1", rep: "R-1", termsDays: 30,
      lines: [line, OrderState.Line(sku: "SKU-2", qty: 1_000_000, unitPrice: .zero, discount: nil)])
    (order.cancelled, order.creditNotes) = (true, 2)
    var stock = StockState()
    (stock.onHand, stock.reserved, stock.value) = (-5, 300, Money(minorUnits: -1))
    stock.backorders = [.init(order: "O-1", qty: 4), .init(order: "O-2", qty: 9_007_199_254_740_991)]
    var closed = ServiceCaseState(customer: "C-2")
    closed.closed = true
    var po = PurchaseOrderState(sku: "SKU-3", qty: 40)
    po.received = 12
    return [
      CustomerState(region: "north", channel: "web", tier: nil), customer,
      ProductState(line: "tools", listPrice: Money(minorUnits: 1_999), unitCost: nil),
      ProductState(line: "tools", listPrice: Money(minorUnits: 1_999), unitCost: Money(minorUnits: 1_000)),
      RepState(team: "east", region: "华东"),
      LeadState(stage: .qualified), LeadState(stage: .won, order: "O-1"),
      QuoteState(owner: "L-1"), ShipmentState(owner: "O-1"),
      OrderState(customer: "C-1", rep: "R-1", termsDays: 0, lines: []), order,
      StockState(), stock,
      InvoiceState(order: "O-1", customer: "C-1", amount: Money(minorUnits: 500), open: .zero),
      PaymentState(customer: "C-1", amount: Money(minorUnits: 500), unapplied: Money(minorUnits: 20)),
      ServiceCaseState(customer: "C-2"), closed,
      PurchaseOrderState(sku: "SKU-3", qty: 40), po,
    ]
  }()

  @Test func writesTheBytesTheCodecMakesOfTheRecordsJSON() throws {
    var sink = StoredRecordSink()
    for record in Self.records {
      record.write(to: &sink)
      let direct = sink.finish()
      sink.reset()
      #expect(direct == StateTable.encode(record.json), "\(record)")
      // And the record reads back from them as it was.
      #expect(try Self.decode(direct, as: record) == true, "\(record)")
    }
    // Nothing written: an empty object (and `reset` emptied the sink after each record).
    #expect(sink.finish() == StateTable.encode(JSONObject()))
  }

  private static func decode<R: StateRecord>(_ bytes: [UInt8], as record: R) throws -> Bool {
    let json = try bytes.withUnsafeBytes { try StateTable.decode($0) }
    return try R(json: json) == record
  }

  /// Each record's JSON names the members its decoding reads (a misspelt name would write a
  /// member nothing reads back): the members of the fullest records, by name.
  @Test func theJSONHasTheMembersEarlierStoresHold() {
    let names = Self.records.map { $0.json.members.map(\.key) }
    #expect(names[1] == ["channel", "note_credit", "open_invoices", "region", "tier", "unapplied_payments"])
    #expect(names[10] == ["cancelled", "credit_notes", "customer", "lines", "rep", "terms_days"])
    let line = Self.records[10].json["lines"]?.arrayValue?.first?.objectValue
    #expect(line?.members.map(\.key) == [
      "discount", "invoice", "qty", "reserved", "returned", "returned_cogs", "shipped", "shipped_cogs", "sku",
      "unit_price",
    ])
    #expect(names[12] == ["backorders", "on_hand", "reserved", "value"])
    #expect(names[8] == ["owner"])
  }
}

/// A lookup of an id after the greatest id of its kind in the state table skips the search
/// (`StateReader.isBeyondLast`); it must never skip a record that is there.
@Suite("state lookups beyond the last id")
struct StateLastIDTests {
  @Test func aMissIsKnownOnlyAfterTheGreatestIDOfItsKind() throws {
    let dir = try TemporaryDirectory("erpctl-lastid")
    defer { dir.remove() }
    let s = try makeStore(dir)
    try s.env.write { txn in
      let reader = StateReader(txn)
      // Nothing of any kind yet: every id is beyond.
      #expect(try reader.isBeyondLast(.customer, "C-1", txn, s.state))
      let state = StateTable.state(reader, s.state)
      for id in ["C-1", "C-5", "C-50"] { state.put(id, CustomerState(region: "r", channel: "c", tier: nil)) }
      state.put("SKU-9", ProductState(line: "l", listPrice: .zero, unitCost: nil))
      try StateTable.flush(state, reader, s.state)
      // Byte order: "C-6" > "C-50" > "C-5" > "C-10" > "C-1".
      #expect(try reader.isBeyondLast(.customer, "C-6", txn, s.state))
      #expect(try reader.isBeyondLast(.customer, "C-50 ", txn, s.state))
      for id in ["C-50", "C-5", "C-10", "C-1", ""] {
        #expect(try !reader.isBeyondLast(.customer, id, txn, s.state), "\(id)")
      }
      // Other kinds have their own bound; a kind with no record has none.
      #expect(try !reader.isBeyondLast(.product, "SKU-1", txn, s.state))
      #expect(try reader.isBeyondLast(.order, "", txn, s.state))
      // A record written after the bound was looked up is found: the write-back moves it.
      state.evict()
      state.put("C-7", CustomerState(region: "r2", channel: "c", tier: nil))
      try StateTable.flush(state, reader, s.state)
      state.evict()
      #expect(try state.get(CustomerState.self, "C-7")?.region == "r2")
      #expect(try state.get(CustomerState.self, "C-8") == nil)
    }
  }
}

/// The events the store derives are written from their payloads (`DerivedPieces`); the bytes
/// must be the ones written from their data as a `JSONObject` (`JSONPieces`), which is what the
/// hash chain and every earlier store hold.
@Suite("derived events written from their payloads")
struct DerivedPiecesTests {
  /// The four pieces, with a separator between them, so that a byte moved from one piece to the
  /// next shows too.
  static func pieces<P: StoredPieces>(_ p: P) -> [UInt8] {
    var out: [UInt8] = []
    ByteWriter.append(to: &out) { w in
      p.writeCanonicalHead(&w)
      w.byte(0xFF)
      p.writeCanonicalTail(&w)
      w.byte(0xFF)
      p.writeBinaryAt(&w)
      w.byte(0xFF)
      p.writeBinaryRest(&w)
    }
    return out
  }

  static func same<P: SortedDataPayload>(_ payload: P, at: BusinessTime, digits: Int) -> Bool {
    let typed = pieces(DerivedPieces(at: at, payload: payload, digits: digits))
    let json = pieces(JSONPieces(type: P.type, at: at, key: nil, v: 1, data: payload.data(digits: digits)))
    // The same with `at`'s text lent by the caller (the encoder lends the primary's).
    let atDataName = ByteWriter.bytes { CanonicalPieces.atDataName(at, &$0) }
    let lent = atDataName.withUnsafeBufferPointer {
      pieces(DerivedPieces(at: at, payload: payload, digits: digits, atDataName: $0))
    }
    return typed == json && lent == json
  }

  @Test(arguments: [0, 2, 3])
  func writeTheBytesOfTheirJSONData(digits: Int) throws {
    let times = [
      try #require(BusinessTime.parse("2026-11-28")), try #require(BusinessTime.parse("2026-11-28T09:15:00.5+08:00")),
    ]
    let odd = "O-\"1\"\\\n\u{1}中é"
    let due = try #require(CivilDate.parse("2027-02-28"))
    for at in times {
      #expect(Self.same(StockReserved(order: "SO-1", sku: "SKU-1", qty: 3), at: at, digits: digits))
      #expect(Self.same(StockReserved(order: odd, sku: "", qty: 9_007_199_254_740_991), at: at, digits: digits))
      #expect(Self.same(ReservationReleased(order: "SO-2", sku: odd, qty: -4), at: at, digits: digits))
      #expect(Self.same(
        InvoiceIssued(invoice: "INV-SH-1", order: "SO-1", customer: odd, amount: Money(minorUnits: 123_456), due: due),
        at: at, digits: digits))
      #expect(Self.same(
        PaymentMatched(payment: "PAY-1", invoice: odd, amount: Money(minorUnits: -5)), at: at, digits: digits))
      // Money and dates are written from their digits, not a String: the extremes, and years
      // outside 0...9999 (which `description` pads differently).
      for amount in [Int64.max, Int64.min, 0, 9, -10, 1_000_000] {
        #expect(Self.same(
          PaymentMatched(payment: "P", invoice: "I", amount: Money(minorUnits: amount)), at: at, digits: digits))
      }
      for days: Int32 in [-800_000, -719_528, -719_529, 0, 2_932_896, 2_932_897, 3_000_000, .max, .min] {
        #expect(Self.same(
          InvoiceIssued(invoice: "I", order: "O", customer: "C", amount: Money(minorUnits: 1),
            due: CivilDate(daysSinceEpoch: days)), at: at, digits: digits))
      }
      #expect(Self.same(
        CreditNoteIssued(creditNote: "CN-SO-1-1", invoice: nil, order: "SO-1", customer: "C-1", amount: .zero),
        at: at, digits: digits))
      #expect(Self.same(
        CreditNoteIssued(creditNote: "CN-SO-1-2", invoice: odd, order: odd, customer: "C-1", amount: Money(minorUnits: 1)),
        at: at, digits: digits))
    }
  }
}

/// A shipment is prepared with an empty `cogs` in each line (`PreparedEvent.CogsSlots`), which
/// the appender fills with the costs it decided; the bytes must be those of the general path
/// (`withStoreWritten`, then `JSONPieces`), and where that path writes something the slots cannot
/// hold, there must be no slots.
@Suite("shipments prepared with cost slots")
struct CogsPiecesTests {
  static let at = BusinessTime.date(CivilDate(year: 2026, month: 11, day: 28)!)

  static func shipment(lines: [JSONValue], tracking: String = "SF1") -> NewEvent {
    let data: JSONValue = [
      "order": "SO-1", "shipment": "SH-1", "carrier": "顺丰", "tracking": .string(tracking), "lines": .array(lines),
    ]
    return NewEvent(type: "Shipped", at: at, key: "k-1", data: data.objectValue!)
  }

  static func decided(_ costs: [Money?]) -> Shipped {
    Shipped(order: "SO-1", shipment: "SH-1",
      lines: costs.enumerated().map { ShippedLine(sku: "SKU-\($0.offset)", qty: 1, cogs: $0.element) })
  }

  @Test func theSlotsHoldTheCostsTheGeneralPathWrites() throws {
    let shapes: [(lines: [JSONValue], tracking: String)] = [
      ([["qty": 2, "sku": "SKU-0"]], "SF1"),
      // A member before `cogs` in the order of names, non-ASCII text, three lines.
      ([["batch": "B-1", "qty": 1, "sku": "螺丝-0"], ["qty": 5, "sku": "SKU-1"], ["a": .null, "qty": 9, "sku": "S"]], "x"),
      // Text that looks like an empty cost inside a string (escaped in JSON; other bytes in binary).
      ([["qty": 1, "sku": "\"cogs\":\"\""]], "\u{4}cogs\u{4}"),
    ]
    let costs: [Money] = [
      Money(minorUnits: 123_456), .zero, Money(minorUnits: -7), Money(minorUnits: .max), Money(minorUnits: .min),
    ]
    // Every cost in every line position, with one and with three lines.
    let rotated = shapes + costs.indices.dropFirst().map { _ in shapes[1] }
    for (n, (lines, tracking)) in rotated.enumerated() {
      let e = Self.shipment(lines: lines, tracking: tracking)
      let prepared = PreparedEvent(e, digits: 2)
      #expect(prepared.cogs != nil)
      let s = Self.decided(lines.indices.map { costs[($0 + n) % costs.count] })
      let filled = try #require(EventEncoder.cogsPieces(s, prepared, digits: 2))
      let written = try #require(EventEncoder.withStoreWritten(.shipped(s), into: e.data, digits: 2))
      let general = JSONPieces(type: e.type, at: e.at, key: e.key, v: e.v, data: written)
      #expect(DerivedPiecesTests.pieces(filled) == DerivedPiecesTests.pieces(general), "\(lines)")
    }
  }

  @Test func noSlotsWhereTheGeneralPathWritesOtherwise() {
    // A line that has a cost already: the store replaces it.
    #expect(PreparedEvent(Self.shipment(lines: [["cogs": "1.00", "qty": 1, "sku": "S"]]), digits: 2).cogs == nil)
    // A line that is not an object.
    #expect(PreparedEvent(Self.shipment(lines: [["qty": 1, "sku": "S"], 3]), digits: 2).cogs == nil)
    // A line the store decides no cost for: nothing is written into it, so no pieces are used.
    let prepared = PreparedEvent(Self.shipment(lines: [["qty": 1, "sku": "S"], ["qty": 1, "sku": "T"]]), digits: 2)
    #expect(EventEncoder.cogsPieces(Self.decided([Money(minorUnits: 1), nil]), prepared, digits: 2) == nil)
    // A line count that differs from the slots'.
    #expect(EventEncoder.cogsPieces(Self.decided([Money(minorUnits: 1)]), prepared, digits: 2) == nil)
    // Digits so many that a cost's text might not fit its slot's one length byte.
    let two = Self.decided([Money(minorUnits: 1), Money(minorUnits: 2)])
    #expect(EventEncoder.cogsPieces(two, prepared, digits: 100) != nil)
    #expect(EventEncoder.cogsPieces(two, prepared, digits: 101) == nil)
  }
}

/// A large write-back sorts and encodes on a second thread while the calling one puts
/// (`StateEncoder`); it must write exactly what writing back on one thread writes, and a put
/// that fails must stop that thread before the error comes out.
@Suite("state write-back on a second thread")
struct StateEncoderTests {
  /// A state with `n` changed records of five kinds, ids not in key order (C-1 < C-10 < C-2),
  /// some with arrays, one kind changed twice (written once).
  static func state(_ n: Int) -> SalesState {
    let s = SalesState()
    for i in stride(from: n - 1, through: 0, by: -1) {
      switch i % 5 {
      case 0:
        var c = CustomerState(region: "华东-\(i % 3)", channel: "web", tier: i % 2 == 0 ? "A" : nil)
        c.openInvoices = (0..<(i % 4)).map { "INV-\(i)-\($0)" }
        s.put("C-\(i)", c)
      case 1:
        let lines = (0..<(1 + i % 3)).map {
          OrderState.Line(sku: "SKU-\($0)", qty: Int64(i), unitPrice: Money(minorUnits: Int64(i * 7)), discount: nil)
        }
        s.put("O-\(i)", OrderState(customer: "C-\(i - 1)", rep: "R-1", termsDays: 30, lines: lines))
      case 2:
        var st = StockState()
        (st.onHand, st.value) = (Int64(i), Money(minorUnits: Int64(-i)))
        st.backorders = [.init(order: "O-\(i)", qty: 2)]
        s.put("SKU-\(i)", st)
        st.reserved = 1
        s.put("SKU-\(i)", st)
      case 3:
        s.put("INV-\(i)", InvoiceState(order: "O-\(i)", customer: "C-1", amount: Money(minorUnits: 100), open: .zero))
      default:
        s.put("P-\(i)", PaymentState(customer: "C-1", amount: Money(minorUnits: 5), unapplied: Money(minorUnits: 5)))
      }
    }
    return s
  }

  /// Every key and value of the state table, in key order.
  static func table(_ s: EventStore, _ txn: WriteTransaction) throws -> [([UInt8], [UInt8])] {
    var out: [([UInt8], [UInt8])] = []
    try txn.scan(s.state, from: nil) { k, v in
      out.append((Array(k), Array(v)))
      return true
    }
    return out
  }

  @Test(arguments: [(chunkLength: 7, chunksAhead: 2), (chunkLength: 1024, chunksAhead: 16), (chunkLength: 1, chunksAhead: 1)])
  func writesWhatOneThreadWrites(chunkLength: Int, chunksAhead: Int) throws {
    let dir = try TemporaryDirectory("erpctl-stateenc")
    defer { dir.remove() }
    let n = 2_003
    var written: [[([UInt8], [UInt8])]] = []
    for (name, from) in [("one", Int.max), ("two", 0)] {
      let s = try makeStore(dir, name: name)
      try s.env.write { txn in
        let reader = StateReader(txn)
        let state = Self.state(n)
        try StateTable.flush(state, reader, s.state, secondThreadFrom: from, chunkLength: chunkLength, chunksAhead: chunksAhead)
        #expect(state.takeChangeList().count == 0, "the marks are cleared")
        written.append(try Self.table(s, txn))
      }
    }
    #expect(written[0].count == n)
    #expect(written[0].map(\.0) == written[1].map(\.0))
    #expect(written[0].map(\.1) == written[1].map(\.1))
    // And both are each record's JSON as the codec stores it, under its key.
    let state = Self.state(n)
    let expected = state.takeChanges().map { (StateTable.key($0.0), StateTable.encode($0.1)) }
    #expect(written[1].map(\.0) == expected.map(\.0))
    #expect(written[1].map(\.1) == expected.map(\.1))
  }

  struct PutFailed: Error {}

  @Test func aFailedPutStopsTheThreadAndComesOut() throws {
    let state = Self.state(500)
    let encoder = StateEncoder(state, state.takeChangeList(), chunkLength: 10, chunksAhead: 2)
    var puts = 0
    #expect(throws: PutFailed.self) {
      try encoder.encodeOnSecondThread { _ in
        puts += 1
        if puts == 3 { throw PutFailed() }
      }
    }
    #expect(puts == 3)
  }

  @Test func nothingChangedWritesNothing() throws {
    let state = SalesState()
    var chunks = 0
    try StateEncoder(state, state.takeChangeList()).encodeOnSecondThread { _ in chunks += 1 }
    try StateEncoder(state, state.takeChangeList()).encodeAll { _ in chunks += 1 }
    #expect(chunks == 0)
  }
}

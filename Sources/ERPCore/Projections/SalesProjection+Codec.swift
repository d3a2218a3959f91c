/// The stored form of the sales projection (ERPStore keeps the records under its own prefix):
/// one record per order, invoice, open invoice, customer, product, lead and dimension tuple, so a
/// catch-up reads and writes only what its events touch; the items and the master data a report
/// reads (reps and targets) in one record each, rewritten only when they change; and the facts
/// in fixed-width records (appended, never rewritten). Every record's bytes are a function of the
/// fold, so `verify` compares a stored projection with a replay record by record.
extension SalesProjection {
  public struct CodecError: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "unreadable sales projection" }
  }

  /// The records kept one per id: the key is the kind's letter, a 0 byte and the id.
  public enum RecordKind: String, Sendable, CaseIterable {
    case order = "o", invoice = "i", customer = "c", product = "p", lead = "l"
    /// The invoices with an open balance (the same bytes as their invoice record), for
    /// receivables: a report reads these without the others.
    case openInvoice = "O"
    /// A tuple by its number (4 bytes, big-endian).
    case tuple = "t"
    /// The numbers (4 bytes each, big-endian, ascending) of the tuples whose fields hash to the
    /// id (`tupleHash`), to find a tuple's number without reading them all.
    case tupleIndex = "T"

    public func key(_ id: [UInt8]) -> [UInt8] { Array(rawValue.utf8) + [0] + id }
  }

  /// The keys of the two records that are not one per id.
  public static let itemsKey = Array("items".utf8)
  public static let masterKey = Array("master".utf8)

  /// Bytes per fact record.
  public static let factWidth = 32

  // MARK: Records

  static func encodeTuple(_ t: DimTuple) -> [UInt8] {
    var w = BinaryWriter()
    for f in t.fields { w.string(f) }
    return w.bytes
  }

  public static func decodeTuple(_ bytes: [UInt8]) throws(CodecError) -> DimTuple {
    var r = BinaryReader(bytes)
    var f: [String] = []
    for _ in 0..<8 { f.append(try r.string()) }
    guard r.atEnd else { throw CodecError() }
    return DimTuple(fields: f)
  }

  public static func tupleKey(_ i: UInt32) -> [UInt8] {
    [UInt8(truncatingIfNeeded: i >> 24), UInt8(truncatingIfNeeded: i >> 16), UInt8(truncatingIfNeeded: i >> 8),
      UInt8(truncatingIfNeeded: i)]
  }

  /// FNV-1a (64 bits, big-endian) of a tuple's encoded fields: the id of its `tupleIndex`
  /// record. Fields can be longer than an LMDB key; tuples that share a hash share the record.
  static func tupleHash(_ fields: [UInt8]) -> [UInt8] {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in fields { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return (0..<8).map { UInt8(truncatingIfNeeded: h >> (56 - 8 * $0)) }
  }

  static func encodeCustomer(_ c: CustomerDims) -> [UInt8] {
    var w = BinaryWriter()
    w.string(c.region); w.string(c.channel); w.string(c.tier)
    return w.bytes
  }

  static func decodeCustomer(_ bytes: [UInt8]) throws(CodecError) -> CustomerDims {
    var r = BinaryReader(bytes)
    let c = CustomerDims(region: try r.string(), channel: try r.string(), tier: try r.string())
    guard r.atEnd else { throw CodecError() }
    return c
  }

  /// A product's line or a lead's source: the text's bytes.
  static func decodeText(_ bytes: [UInt8]) throws(CodecError) -> String {
    guard let s = String(validating: bytes, as: UTF8.self) else { throw CodecError() }
    return s
  }

  func encodeItems() -> [UInt8] {
    var w = BinaryWriter()
    w.u32(UInt32(items.count))
    for i in items { w.string(i.sku); w.string(i.line) }
    return w.bytes
  }

  /// Reads the items, indexed for folding.
  public func decodeItems(_ bytes: [UInt8]) throws(CodecError) {
    var r = BinaryReader(bytes)
    var list: [ItemKey] = []
    for _ in 0..<(try r.u32()) { list.append(ItemKey(sku: try r.string(), line: try r.string())) }
    guard r.atEnd, list.first == ItemKey(sku: "", line: "") else { throw CodecError() }
    items = list
    lineItems = []
    itemIndex = Dictionary(list.enumerated().map { ($0.element, UInt32($0.offset)) }, uniquingKeysWith: { a, _ in a })
    changes.itemsStored = list.count
  }

  func encodeMaster() -> [UInt8] {
    var w = BinaryWriter()
    w.u32(UInt32(reps.count))
    for (k, r) in reps.map({ ($0.key.id, $0.value) }).sorted(by: { StateID.bytesPrecede($0.0, $1.0) }) {
      w.string(k); w.string(r.team); w.string(r.region)
    }
    w.u32(UInt32(targets.count))
    for t in targets {
      w.string(t.scope); w.string(t.id); w.string(t.metric); w.string(t.period); w.string(t.value); w.u64(t.seq)
    }
    return w.bytes
  }

  /// Reads the reps and the targets.
  public func decodeMaster(_ bytes: [UInt8]) throws(CodecError) {
    var r = BinaryReader(bytes)
    reps = [:]
    for _ in 0..<(try r.u32()) { reps[StateID(try r.string())] = RepDims(team: try r.string(), region: try r.string()) }
    targets = []
    targetIndex = [:]
    for _ in 0..<(try r.u32()) {
      targets.append(TargetInfo(
        scope: try r.string(), id: try r.string(), metric: try r.string(), period: try r.string(),
        value: try r.string(), seq: try r.u64()))
    }
    guard r.atEnd else { throw CodecError() }
  }

  /// Takes the reps and targets of another projection (the same as decoding its `master`).
  public func setMaster(from other: SalesProjection) {
    reps = other.reps
    targets = other.targets
    targetIndex = other.targetIndex
  }

  // MARK: Loading for a report

  /// Prepares a projection loaded from the store for reading: folded to `checkpoint`, its
  /// tuples given from number 0.
  public func setLoaded(checkpoint: UInt64, maxDay: Int32, tuples: [DimTuple]) {
    self.checkpoint = checkpoint
    self.maxDay = maxDay
    self.tuples = tuples
    tupleBase = 0
  }

  /// Adds stored records of a kind a report reads: customers and open invoices.
  public func loadRecord(_ kind: RecordKind, id: [UInt8], _ bytes: [UInt8]) throws(CodecError) {
    let name = String(decoding: id, as: UTF8.self)
    switch kind {
    case .customer: customers[StateID(name)] = try Self.decodeCustomer(bytes)
    case .openInvoice, .invoice: invoices.set(StateID(name), try Self.decodeInvoice(bytes))
    default: throw CodecError()
    }
  }

  /// Prepares a fresh projection to catch up a stored one: folded to `checkpoint` with
  /// `tupleCount` tuples made, its other records read through `loader`.
  public func resume(checkpoint: UInt64, maxDay: Int32, tupleCount: UInt32) {
    self.checkpoint = checkpoint
    self.maxDay = maxDay
    tupleBase = tupleCount
    tuples = []
  }

  // MARK: Writing back

  /// The records changed since the catch-up began (or the last call), key and bytes, a nil value
  /// for a record to delete; sorted by key. Reads the tuple index records it extends through
  /// the loader.
  public func takeChangedRecords() -> [(key: [UInt8], value: [UInt8]?)] {
    func changed<T>(_ ids: Set<String>, _ value: (StateID) -> T?) -> [(String, T)] {
      ids.compactMap { id in value(StateID(id)).map { (id, $0) } }
    }
    let out = records(
      orders: changed(changes.orders) { orders[$0] }, invoices: changed(changes.invoices) { invoices[$0] },
      customers: changed(changes.customers) { customers[$0] }, products: changed(changes.products) { products[$0] },
      leads: changed(changes.leads) { leads[$0] }, items: items.count != changes.itemsStored, master: changes.master,
      bucket: { [loader] h in loader?(.tupleIndex, h) ?? [] })
    changes = Changes()
    changes.itemsStored = items.count
    tupleBase += UInt32(tuples.count)
    for (n, t) in tuples.enumerated() { olderTuples[tupleBase - UInt32(tuples.count) + UInt32(n)] = t }
    tuples = []
    return out
  }

  /// Every record a stored projection of this fold holds (all but its meta, facts and month
  /// sums), sorted by key: what `verify` compares with the store, and what a rebuild writes. The
  /// fold must hold every tuple (a replay in memory does).
  public func allRecords() -> [(key: [UInt8], value: [UInt8])] {
    records(
      orders: zip(orders.keys.lazy.map(\.id), orders.values), invoices: zip(invoices.keys.lazy.map(\.id), invoices.values),
      customers: customers.lazy.map { ($0.key.id, $0.value) }, products: products.lazy.map { ($0.key.id, $0.value) },
      leads: leads.lazy.map { ($0.key.id, $0.value) }, items: items.count > 1, master: !reps.isEmpty || !targets.isEmpty,
      bucket: { _ in [] }
    ).compactMap { r in r.value.map { (r.key, $0) } }
  }

  /// The records of these orders, invoices, customers, products and leads (id and value), of
  /// the tuples made since `tupleBase` (and of the tuple index records they extend, read by
  /// `bucket`), and of the items and master data when asked; sorted by key. A nil value deletes
  /// the record: the open-invoice record of an invoice now settled.
  private func records(
    orders o: some Sequence<(String, OrderInfo)>, invoices inv: some Sequence<(String, InvoiceInfo)>,
    customers c: some Sequence<(String, CustomerDims)>, products p: some Sequence<(String, String)>,
    leads l: some Sequence<(String, String)>, items withItems: Bool, master withMaster: Bool,
    bucket: ([UInt8]) -> [UInt8]
  ) -> [(key: [UInt8], value: [UInt8]?)] {
    var out: [(key: [UInt8], value: [UInt8]?)] = []
    for (id, x) in o { out.append((RecordKind.order.key(Array(id.utf8)), encodeOrder(x))) }
    for (id, x) in inv {
      let bytes = Self.encodeInvoice(id, x)
      out.append((RecordKind.invoice.key(Array(id.utf8)), bytes))
      out.append((RecordKind.openInvoice.key(Array(id.utf8)), Self.openInvoice(id, x).open > 0 ? bytes : nil))
    }
    for (id, x) in c { out.append((RecordKind.customer.key(Array(id.utf8)), Self.encodeCustomer(x))) }
    for (id, x) in p { out.append((RecordKind.product.key(Array(id.utf8)), Array(x.utf8))) }
    for (id, x) in l { out.append((RecordKind.lead.key(Array(id.utf8)), Array(x.utf8))) }
    var buckets: [[UInt8]: [UInt8]] = [:]
    for (n, t) in tuples.enumerated() {
      let i = tupleBase + UInt32(n)
      let fields = Self.encodeTuple(t)
      out.append((RecordKind.tuple.key(Self.tupleKey(i)), fields))
      let h = Self.tupleHash(fields)
      if buckets[h] == nil { buckets[h] = bucket(h) }
      buckets[h]! += Self.tupleKey(i)
    }
    for (h, v) in buckets { out.append((RecordKind.tupleIndex.key(h), v)) }
    if withItems { out.append((Self.itemsKey, encodeItems())) }
    if withMaster { out.append((Self.masterKey, encodeMaster())) }
    return out.sorted { bytesPrecede($0.key, $1.key) }
  }

  /// One order's record (each line with its SKU, its item's).
  func encodeOrder(_ o: OrderInfo) -> [UInt8] {
    var w = BinaryWriter()
    w.u32(o.tuple)
    w.u8((o.shippedAny ? 1 : 0) | (o.cancelled ? 2 : 0))
    w.u32(o.lastReturnItem)
    w.u32(UInt32(o.lines.count))
    for l in o.lines {
      w.string(sku(l))
      w.u32(l.item)
      w.i64(l.qty)
      w.i64(l.unitPrice)
      w.i64(l.discount)
      w.i64(l.shipped)
    }
    return w.bytes
  }

  static func decodeOrder(_ bytes: [UInt8]) throws(CodecError) -> OrderInfo {
    var r = BinaryReader(bytes)
    let tuple = try r.u32()
    let flags = try r.u8()
    let lastReturn = try r.u32()
    var lines: [LineInfo] = []
    for _ in 0..<(try r.u32()) {
      _ = try r.string()  // the SKU, which is the item's
      let item = try r.u32()
      let qty = try r.i64()
      let price = try r.i64()
      let discount = try r.i64()
      lines.append(LineInfo(item: item, qty: qty, unitPrice: price, discount: discount < 0 ? -1 : discount, shipped: try r.i64()))
    }
    return OrderInfo(
      tuple: tuple, lines: lines, shippedAny: flags & 1 != 0, cancelled: flags & 2 != 0, lastReturnItem: lastReturn)
  }

  /// One invoice's record.
  static func encodeInvoice(_ id: String, _ i: InvoiceInfo) -> [UInt8] {
    var w = BinaryWriter()
    writeInvoice(id, i, into: &w)
    return w.bytes
  }

  static func decodeInvoice(_ bytes: [UInt8]) throws(CodecError) -> InvoiceInfo {
    var r = BinaryReader(bytes)
    return try readInvoice(from: &r).1
  }

  public static func encodeFacts(_ facts: ArraySlice<SalesFact>) -> [UInt8] {
    var w = BinaryWriter()
    w.bytes.reserveCapacity(facts.count * factWidth)
    for f in facts {
      w.u64(f.seq)
      w.u32(UInt32(bitPattern: f.day))
      w.u8(f.measure.rawValue)
      w.u8(0); w.u8(0); w.u8(0)
      w.u32(f.tuple)
      w.u32(f.item)
      w.i64(f.amount)
    }
    return w.bytes
  }

  /// Replaces the facts (the store loads them from its chunks).
  public func setFacts(_ f: [SalesFact]) {
    facts = f
    factsAreMonthSums = false
  }

  /// Replaces the facts by the month sums of the pre-aggregate and the tuples by those the sums
  /// name (the store loads them).
  public func setMonthSums(_ f: [SalesFact], tuples: [DimTuple]) {
    facts = f
    factsAreMonthSums = true
    self.tuples = tuples
    tupleBase = 0
  }
}

/// Whether `a` sorts before `b` byte by byte (LMDB's key order).
func bytesPrecede(_ a: [UInt8], _ b: [UInt8]) -> Bool {
  a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.lexicographicallyPrecedes(y) } }
}

/// Little-endian fixed-width fields and length-prefixed strings.
struct BinaryWriter {
  var bytes: [UInt8] = []
  mutating func u8(_ v: UInt8) { bytes.append(v) }
  mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
  mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
  mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
  mutating func string(_ s: String) {
    u32(UInt32(s.utf8.count))
    bytes.append(contentsOf: s.utf8)
  }
}

struct BinaryReader {
  let bytes: [UInt8]
  var at = 0
  init(_ bytes: [UInt8]) { self.bytes = bytes }
  var atEnd: Bool { at >= bytes.count }

  mutating func take(_ n: Int) throws(SalesProjection.CodecError) -> ArraySlice<UInt8> {
    guard n >= 0, at + n <= bytes.count else { throw SalesProjection.CodecError() }
    defer { at += n }
    return bytes[at..<(at + n)]
  }
  mutating func u8() throws(SalesProjection.CodecError) -> UInt8 { try take(1).first! }
  mutating func u32() throws(SalesProjection.CodecError) -> UInt32 {
    try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
  }
  mutating func u64() throws(SalesProjection.CodecError) -> UInt64 {
    try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
  }
  mutating func i64() throws(SalesProjection.CodecError) -> Int64 { Int64(bitPattern: try u64()) }
  mutating func string() throws(SalesProjection.CodecError) -> String {
    let n = Int(try u32())
    return String(decoding: try take(n), as: UTF8.self)
  }
}

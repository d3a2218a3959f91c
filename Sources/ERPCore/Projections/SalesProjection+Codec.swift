/// The stored form of the sales projection (ERPStore keeps the parts under its own keys): the
/// dimensions and the open invoices (read by every report), the fold's working state (read only
/// to catch up), and the facts in fixed-width records (appended, never rewritten). Maps are
/// written in key order so the bytes are a function of the fold.
extension SalesProjection {
  public struct CodecError: Error, Sendable, CustomStringConvertible {
    public var description: String { "unreadable sales projection" }
  }

  /// Bytes per fact record.
  public static let factWidth = 32

  public func encodeDims() -> [UInt8] {
    var w = BinaryWriter()
    w.u32(UInt32(tuples.count))
    for t in tuples { for f in t.fields { w.string(f) } }
    w.u32(UInt32(items.count))
    for i in items { w.string(i.sku); w.string(i.line) }
    w.u32(UInt32(customers.count))
    for (k, c) in customers.sorted(by: { utf8Precedes($0.key, $1.key) }) {
      w.string(k); w.string(c.region); w.string(c.channel); w.string(c.tier)
    }
    w.u32(UInt32(reps.count))
    for (k, r) in reps.sorted(by: { utf8Precedes($0.key, $1.key) }) {
      w.string(k); w.string(r.team); w.string(r.region)
    }
    w.u32(UInt32(targets.count))
    for t in targets {
      w.string(t.scope); w.string(t.id); w.string(t.metric); w.string(t.period); w.string(t.value); w.u64(t.seq)
    }
    encodeOpenInvoices(into: &w)
    return w.bytes
  }

  /// - Parameter forFolding: also index the tuples and items (what folding more events needs;
  ///   a report only reads them by number).
  /// - Parameter openInvoices: also read the open invoices (receivables); a report that reads
  ///   none may skip them.
  public func decodeDims(_ bytes: [UInt8], forFolding: Bool = true, openInvoices: Bool = true) throws(CodecError) {
    var r = BinaryReader(bytes)
    tuples = []
    tupleIndex = [:]
    for _ in 0..<(try r.u32()) {
      var f: [String] = []
      for _ in 0..<8 { f.append(try r.string()) }
      tuples.append(DimTuple(fields: f))
    }
    items = []
    itemIndex = [:]
    for _ in 0..<(try r.u32()) { items.append(ItemKey(sku: try r.string(), line: try r.string())) }
    if forFolding {
      tupleIndex = Dictionary(tuples.enumerated().map { ($0.element, UInt32($0.offset)) }, uniquingKeysWith: { a, _ in a })
      itemIndex = Dictionary(items.enumerated().map { ($0.element, UInt32($0.offset)) }, uniquingKeysWith: { a, _ in a })
    }
    customers = [:]
    for _ in 0..<(try r.u32()) {
      customers[try r.string()] = CustomerDims(region: try r.string(), channel: try r.string(), tier: try r.string())
    }
    reps = [:]
    for _ in 0..<(try r.u32()) { reps[try r.string()] = RepDims(team: try r.string(), region: try r.string()) }
    targets = []
    for _ in 0..<(try r.u32()) {
      targets.append(TargetInfo(
        scope: try r.string(), id: try r.string(), metric: try r.string(), period: try r.string(),
        value: try r.string(), seq: try r.u64()))
    }
    if openInvoices { try decodeOpenInvoices(from: &r) }
  }

  public func encodeState() -> [UInt8] {
    var w = BinaryWriter()
    w.u64(checkpoint)
    w.u32(UInt32(bitPattern: maxDay))
    func sorted<V>(_ d: [String: V]) -> [(key: String, value: V)] {
      d.sorted { utf8Precedes($0.key, $1.key) }
    }
    w.u32(UInt32(products.count))
    for (k, v) in sorted(products) { w.string(k); w.string(v) }
    w.u32(UInt32(leads.count))
    for (k, v) in sorted(leads) { w.string(k); w.string(v) }
    return w.bytes
  }

  public func decodeState(_ bytes: [UInt8]) throws(CodecError) {
    var r = BinaryReader(bytes)
    checkpoint = try r.u64()
    maxDay = Int32(bitPattern: try r.u32())
    products = [:]
    for _ in 0..<(try r.u32()) { products[try r.string()] = try r.string() }
    leads = [:]
    for _ in 0..<(try r.u32()) { leads[try r.string()] = try r.string() }
  }

  /// One order's record.
  static func encodeOrder(_ o: OrderInfo) -> [UInt8] {
    var w = BinaryWriter()
    w.u32(o.tuple)
    w.u8((o.shippedAny ? 1 : 0) | (o.cancelled ? 2 : 0))
    w.u32(o.lastReturnItem)
    w.u32(UInt32(o.lines.count))
    for l in o.lines {
      w.string(l.sku)
      w.u32(l.item)
      w.i64(l.line.qty)
      w.i64(l.line.unitPrice.minorUnits)
      w.i64(l.line.discount.map { $0.millionths } ?? -1)
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
      let sku = try r.string()
      let item = try r.u32()
      let qty = try r.i64()
      let price = Money(minorUnits: try r.i64())
      let d = try r.i64()
      let shipped = try r.i64()
      let line = OrderLine(sku: sku, qty: qty, unitPrice: price, discount: d < 0 ? nil : Rate(millionths: d))
      lines.append(LineInfo(sku: sku, item: item, line: line, shipped: shipped))
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

  /// The records of the orders and invoices changed since the last call, to be written back.
  public func takeChangedRecords() -> (orders: [(String, [UInt8])], invoices: [(String, [UInt8])]) {
    defer {
      changedOrders.removeAll()
      changedInvoices.removeAll()
    }
    return (
      changedOrders.sorted { utf8Precedes($0, $1) }.compactMap { id in
        orders[id].map { (id, Self.encodeOrder($0)) }
      },
      changedInvoices.sorted { utf8Precedes($0, $1) }.compactMap { id in
        invoices[id].map { (id, Self.encodeInvoice(id, $0)) }
      }
    )
  }

  /// Adds stored records (for `verify`, which compares every record with a replay).
  public func loadRecord(order id: String, _ bytes: [UInt8]) throws(CodecError) { orders[id] = try Self.decodeOrder(bytes) }
  public func loadRecord(invoice id: String, _ bytes: [UInt8]) throws(CodecError) { invoices[id] = try Self.decodeInvoice(bytes) }

  /// Every order and invoice held, in their stored form and key order (to compare two folds).
  public func encodeRecords() -> [UInt8] {
    var out: [UInt8] = []
    for (k, o) in orders.sorted(by: { utf8Precedes($0.key, $1.key) }) {
      out += Array(k.utf8) + [0] + Self.encodeOrder(o)
    }
    for (k, i) in invoices.sorted(by: { utf8Precedes($0.key, $1.key) }) {
      out += Self.encodeInvoice(k, i)
    }
    return out
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



  /// The checkpoint of a projection loaded without its working state (for reading only).
  public func setCheckpoint(_ seq: UInt64, maxDay: Int32) {
    checkpoint = seq
    self.maxDay = maxDay
  }

  /// Replaces the facts (the store loads them from its chunks).
  public func setFacts(_ f: [SalesFact]) {
    facts = f
    factsAreMonthSums = false
  }

  /// Replaces the facts by the month sums of the pre-aggregate (the store loads them).
  public func setMonthSums(_ f: [SalesFact]) {
    facts = f
    factsAreMonthSums = true
  }
}

/// Whether `a`'s UTF-8 bytes sort before `b`'s (the order of the stored maps), comparing the
/// strings' contiguous storage when they have it.
func utf8Precedes(_ a: String, _ b: String) -> Bool {
  let fast: Bool?? = a.utf8.withContiguousStorageIfAvailable { x in
    b.utf8.withContiguousStorageIfAvailable { y in x.lexicographicallyPrecedes(y) }
  }
  if let fast = fast ?? nil { return fast }
  return a.utf8.lexicographicallyPrecedes(b.utf8)
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

import ERPCore

/// Typed events read straight from a stored record, without the `JSONObject` tree (issue 5: the
/// hot part of a replay). Only the types the projections fold most are read this way; for any
/// other type, and for a record this reader does not accept in full (damaged, out-of-order or
/// non-ASCII keys, a field of an unexpected kind, money that does not parse, an old version),
/// the caller decodes the envelope the general way, which gives the same event or the same
/// error. So a typed event returned here is always the one `SalesEvent(type:data:digits:)`
/// gives for the envelope's data.
struct TypedEventReader {
  /// The event types, by their index in `names`.
  let names: [String]
  private let byLength: [[(bytes: [UInt8], index: Int)]]
  /// What this reader reads of the type at that index (nil: the general decoding), and the
  /// least version it takes as current (an older one is upcast by the general decoding).
  private let kinds: [Kind?]
  private let minVersion: [UInt64]
  let digits: Int
  /// `InlineString.holds`, read once: short ASCII strings are then made from their bytes
  /// without the general validation.
  let inline = InlineString.holds

  private enum Kind {
    case orderConfirmed, stockReserved, reservationReleased, shipped, invoiceIssued, paymentMatched
    case orderCancelled, returnReceived, creditNoteIssued, customerRegistered, repRegistered
    case productDefined, leadCreated
  }

  init(digits: Int) {
    self.digits = digits
    names = EventCatalog.schemas.map(\.type)
    var table: [[(bytes: [UInt8], index: Int)]] = Array(repeating: [], count: 64)
    for (i, n) in names.enumerated() where n.utf8.count < table.count {
      table[n.utf8.count].append((Array(n.utf8), i))
    }
    byLength = table
    let known: [String: Kind] = [
      OrderConfirmed.type: .orderConfirmed, StockReserved.type: .stockReserved,
      ReservationReleased.type: .reservationReleased, Shipped.type: .shipped,
      InvoiceIssued.type: .invoiceIssued, PaymentMatched.type: .paymentMatched,
      OrderCancelled.type: .orderCancelled, ReturnReceived.type: .returnReceived,
      CreditNoteIssued.type: .creditNoteIssued, CustomerRegistered.type: .customerRegistered,
      RepRegistered.type: .repRegistered, ProductDefined.type: .productDefined, LeadCreated.type: .leadCreated,
    ]
    kinds = names.map { Upcaster.standard.steps[$0] == nil ? known[$0] : nil }
    minVersion = names.map { UInt64(Upcaster.standard.currentVersion(of: $0)) }
  }

  /// The index in `names` of a type name given as bytes; nil for an unknown type.
  @inline(__always)
  func index(of type: UnsafeRawBufferPointer) -> Int? {
    guard type.count < byLength.count else { return nil }
    for c in byLength[type.count] where c.bytes.withUnsafeBytes({ Self.compare($0, type) == 0 }) {
      return c.index
    }
    return nil
  }

  /// What comes before the key: the type (bytes inside `buf`), the business time, the version
  /// and where the key starts.
  struct Head {
    var type: UnsafeRawBufferPointer
    var at: BusinessTime
    var v: UInt64
    var key: Int
  }

  /// Reads the record's head up to its key, checking what `EventCodec.decodeTypeAndAt` checks.
  @inline(__always)
  static func head(_ buf: UnsafeRawBufferPointer) throws(CodecError) -> Head {
    var r = EventCodec.Reader(buf: buf)
    guard try r.byte() == EventCodec.format else { throw CodecError(reason: "unknown record format") }
    try r.skip(32)
    let at: BusinessTime
    switch try r.byte() {
    case 0: at = .date(CivilDate(daysSinceEpoch: Int32(bitPattern: try r.fixed32())))
    case 1:
      let s = Int64(bitPattern: try r.fixed64())
      let n = Int32(bitPattern: try r.fixed32())
      let off = Int32(bitPattern: try r.fixed32())
      at = .instant(Instant(seconds: s, nanoseconds: n), offsetSeconds: Int(off))
    default: throw CodecError(reason: "bad 'at' tag")
    }
    try r.skip(12)
    let v = try r.varint()
    let n = Int(truncatingIfNeeded: try r.varint())
    try r.need(n)
    let type = UnsafeRawBufferPointer(rebasing: buf[r.i..<(r.i + n)])
    r.i += n
    return Head(type: type, at: at, v: v, key: r.i)
  }

  /// Writes into `into` the typed event of a record of type `names[type]` whose head is `h`;
  /// false (nothing written) when the general decoding must decide. The event is built where
  /// it is wanted: returned, it was copied several times on its way (it is large).
  func event(_ buf: UnsafeRawBufferPointer, _ h: Head, type: Int, into: UnsafeMutablePointer<SalesEvent>) -> Bool {
    guard let kind = kinds[type], h.v >= minVersion[type] else { return false }
    var r = EventCodec.Reader(buf: buf, i: h.key)
    do throws(CodecError) {
      let keyLen = try r.varint()
      if keyLen > 0 { try r.skip(Int(truncatingIfNeeded: keyLen - 1)) }
      let made: Bool
      switch kind {
      case .orderConfirmed: made = try orderConfirmed(&r, into: into)
      case .stockReserved:
        made = try fields(&r, ["order", "qty", "sku"]) { f throws(Miss) in
          into.initialize(to: .stockReserved(StockReserved(order: try f.string(0), sku: try f.string(2), qty: try f.int(1))))
        } != nil
      case .reservationReleased:
        made = try fields(&r, ["order", "qty", "sku"]) { f throws(Miss) in
          into.initialize(to: .reservationReleased(ReservationReleased(order: try f.string(0), sku: try f.string(2), qty: try f.int(1))))
        } != nil
      case .shipped: made = try shipped(&r, into: into)
      case .invoiceIssued:
        made = try fields(&r, ["amount", "customer", "due", "invoice", "order"]) { f throws(Miss) in
          into.initialize(to: .invoiceIssued(InvoiceIssued(
            invoice: try f.string(3), order: try f.string(4), customer: try f.string(1),
            amount: try f.money(0), due: try f.date(2))))
        } != nil
      case .paymentMatched:
        made = try fields(&r, ["amount", "invoice", "payment"]) { f throws(Miss) in
          into.initialize(to: .paymentMatched(PaymentMatched(payment: try f.string(2), invoice: try f.string(1), amount: try f.money(0))))
        } != nil
      case .orderCancelled:
        made = try fields(&r, ["order", "reason"]) { f throws(Miss) in
          into.initialize(to: .orderCancelled(OrderCancelled(order: try f.string(0), reason: try f.string(1))))
        } != nil
      case .returnReceived:
        made = try fields(&r, ["cogs", "order", "qty", "reason", "sku"]) { f throws(Miss) in
          into.initialize(to: .returnReceived(ReturnReceived(
            order: try f.string(1), sku: try f.string(4), qty: try f.int(2), reason: try f.string(3),
            cogs: try f.optMoney(0))))
        } != nil
      case .creditNoteIssued:
        made = try fields(&r, ["amount", "credit_note", "customer", "invoice", "order"]) { f throws(Miss) in
          into.initialize(to: .creditNoteIssued(CreditNoteIssued(
            creditNote: try f.string(1), invoice: f.optString(3), order: try f.string(4),
            customer: try f.string(2), amount: try f.money(0))))
        } != nil
      case .customerRegistered:
        made = try fields(&r, ["acquisition_cost", "channel", "customer", "name", "region", "tier"]) { f throws(Miss) in
          into.initialize(to: .customerRegistered(CustomerRegistered(
            customer: try f.string(2), name: try f.string(3), region: try f.string(4),
            channel: try f.string(1), tier: f.optString(5), acquisitionCost: try f.optMoney(0))))
        } != nil
      case .repRegistered:
        made = try fields(&r, ["commission_rate", "name", "region", "rep", "team"]) { f throws(Miss) in
          into.initialize(to: .repRegistered(RepRegistered(
            rep: try f.string(3), name: try f.string(1), team: try f.string(4), region: try f.string(2),
            commissionRate: try f.optRate(0))))
        } != nil
      case .productDefined:
        made = try fields(&r, ["lead_time_days", "line", "list_price", "name", "pack_size", "sku", "unit_cost"]) {
          f throws(Miss) in
          into.initialize(to: .productDefined(ProductDefined(
            sku: try f.string(5), name: try f.string(3), line: try f.string(1), listPrice: try f.money(2),
            unitCost: try f.optMoney(6), leadTimeDays: f.optInt(0), packSize: f.optInt(4))))
        } != nil
      case .leadCreated:
        made = try fields(&r, ["company", "customer", "estimated_value", "lead", "region", "rep", "source"]) {
          f throws(Miss) in
          into.initialize(to: .leadCreated(LeadCreated(
            lead: try f.string(3), source: try f.string(6), rep: try f.string(5), region: f.optString(4),
            customer: f.optString(1), company: f.optString(0), estimatedValue: try f.optMoney(2))))
        } != nil
      }
      guard made else { return false }
      guard r.atEnd else {
        into.deinitialize(count: 1)
        return false
      }
      return true
    } catch {
      return false
    }
  }

  /// The typed event of a record of type `names[type]` whose head is `h`, or nil when the
  /// general decoding must decide.
  func event(_ buf: UnsafeRawBufferPointer, _ h: Head, type: Int) -> SalesEvent? {
    withUnsafeTemporaryAllocation(of: SalesEvent.self, capacity: 1) { p in
      event(buf, h, type: type, into: p.baseAddress!) ? p.baseAddress!.move() : nil
    }
  }

  /// `event`, written with its seq and day into `slot`, where a pipelined fold's other thread
  /// reads it (false, `slot` left uninitialized, when the general decoding must decide).
  @inline(__always)
  func event(
    _ buf: UnsafeRawBufferPointer, _ h: Head, type: Int, seq: UInt64, day: CivilDate,
    into slot: UnsafeMutablePointer<FoldedEvent>
  ) -> Bool {
    guard event(buf, h, type: type, into: slot.pointer(to: \.event)!) else { return false }
    slot.pointer(to: \.seq)!.initialize(to: seq)
    slot.pointer(to: \.day)!.initialize(to: day)
    slot.pointer(to: \.keys)!.initialize(to: SalesProjection.FoldKeys())
    return true
  }

  /// A field this reader does not accept (the general decoding decides).
  struct Miss: Error {}

  /// The offsets of the values of the fields an object has, among `names` (sorted by bytes).
  struct Fields {
    let buf: UnsafeRawBufferPointer
    let at: UnsafeMutableBufferPointer<Int>
    let digits: Int
    let inline: Bool

    @inline(__always)
    func tag(_ k: Int) -> UInt8? { at[k] < 0 ? nil : buf[at[k]] }

    /// The string after tag 4 at `o`.
    @inline(__always)
    func text(_ o: Int) -> UnsafeRawBufferPointer {
      var r = EventCodec.Reader(buf: buf, i: o + 1)
      // Walked once already: the bounds hold.
      let n = Int(truncatingIfNeeded: (try? r.varint()) ?? 0)
      return UnsafeRawBufferPointer(rebasing: buf[r.i..<(r.i + n)])
    }

    @inline(__always)
    func string(_ k: Int) throws(Miss) -> String {
      guard tag(k) == 4 else { throw Miss() }
      return make(text(at[k]))
    }

    @inline(__always)
    func optString(_ k: Int) -> String? {
      guard tag(k) == 4 else { return nil }
      return make(text(at[k]))
    }

    /// The string of stored bytes (UTF-8, as the store checked when it wrote them).
    @inline(__always)
    func make(_ bytes: UnsafeRawBufferPointer) -> String {
      InlineString.ascii(bytes, holds: inline) ?? String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    func int(_ k: Int) throws(Miss) -> Int64 {
      guard let i = optInt(k) else { throw Miss() }
      return i
    }

    @inline(__always)
    func optInt(_ k: Int) -> Int64? {
      guard tag(k) == 3 else { return nil }
      var r = EventCodec.Reader(buf: buf, i: at[k] + 1)
      guard let z = try? r.varint() else { return nil }
      return Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))
    }

    func bool(_ k: Int) -> Bool { tag(k) == 2 }

    /// `Money.parse` over the bytes; a miss where it would throw. (The same rules, run as two
    /// digit loops: the whole part, then after a point the fraction.)
    func money(_ k: Int) throws(Miss) -> Money {
      guard tag(k) == 4 else { throw Miss() }
      let bytes = text(at[k])
      let n = bytes.count
      var i = 0
      let negative = n > 0 && bytes[0] == UInt8(ascii: "-")
      if negative { i = 1 }
      var whole: Int64 = 0
      let wholeStart = i
      while i < n, case let d = bytes[i] &- 0x30, d < 10 {
        whole = whole &* 10 &+ Int64(d)
        i += 1
      }
      // At most 18 digits cannot overflow; more are left to `Money.parse` (out of range).
      guard i > wholeStart, i - wholeStart <= 18, whole <= Money.maxMinorUnits else { throw Miss() }
      var fraction: Int64 = 0
      var fractionDigits = 0
      if i < n {
        guard bytes[i] == UInt8(ascii: ".") else { throw Miss() }
        i += 1
        let fractionStart = i
        while i < n, case let d = bytes[i] &- 0x30, d < 10 {
          fraction = fraction &* 10 &+ Int64(d)
          i += 1
        }
        fractionDigits = i - fractionStart
        guard i == n, fractionDigits > 0, fractionDigits <= digits else { throw Miss() }
      }
      var scale: Int64 = 1
      for _ in 0..<digits { scale *= 10 }
      for _ in fractionDigits..<digits { fraction *= 10 }
      let (product, overflow) = whole.multipliedReportingOverflow(by: scale)
      let units = product &+ fraction
      if overflow || units > Money.maxMinorUnits || units < product { throw Miss() }
      return Money(minorUnits: negative ? -units : units)
    }

    func optMoney(_ k: Int) throws(Miss) -> Money? {
      guard at[k] >= 0 else { return nil }
      return try money(k)
    }

    func optRate(_ k: Int) throws(Miss) -> Rate? {
      guard let s = optString(k) else { return nil }
      guard let r = Rate(s) else { throw Miss() }
      return r
    }

    /// `CivilDate.parse` over the bytes (YYYY-MM-DD and nothing more), without a `String`.
    func date(_ k: Int) throws(Miss) -> CivilDate {
      guard tag(k) == 4 else { throw Miss() }
      let b = text(at[k])
      func number(_ from: Int, _ count: Int) throws(Miss) -> Int {
        var v = 0
        for i in from..<(from + count) {
          guard b[i] >= 0x30 && b[i] <= 0x39 else { throw Miss() }
          v = v * 10 + Int(b[i] - 0x30)
        }
        return v
      }
      guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
        let d = CivilDate(year: try number(0, 4), month: try number(5, 2), day: try number(8, 2))
      else { throw Miss() }
      return d
    }
  }

  /// Walks the object at `r` (checking it as `EventCodec.Reader.value` does), notes where the
  /// values of `names` are, and builds the result from them.
  @inline(__always)
  private func fields<T>(
    _ r: inout EventCodec.Reader, _ names: StaticArray, depth: Int = 0,
    _ make: (Fields) throws(Miss) -> T
  ) throws(CodecError) -> T? {
    try withUnsafeTemporaryAllocation(of: Int.self, capacity: names.count) { at throws(CodecError) -> T? in
      at.initialize(repeating: -1)
      guard try r.byte() == 6 else { return nil }
      guard try Self.members(&r, names, at, depth: depth) else { return nil }
      return try? make(Fields(buf: r.buf, at: at, digits: digits, inline: inline))
    }
  }

  typealias StaticArray = [StaticString]

  /// The members of an object whose tag was just read: each value walked, the offsets of those
  /// named in `names` (sorted) noted in `at`. The value of `names[field]`, when the object has
  /// it, is read by `read` instead (which must step over it as `skipValue` does, or return
  /// false): an array of objects is then walked once, not once here and again to read it. False
  /// when a key is not plain ASCII (the general decoding compares those), or `read` is.
  @inline(__always)
  private static func members(
    _ r: inout EventCodec.Reader, _ names: StaticArray, _ at: UnsafeMutableBufferPointer<Int>, depth: Int,
    field: Int = -1, read: (inout EventCodec.Reader) throws(CodecError) -> Bool = { _ throws(CodecError) in true }
  ) throws(CodecError) -> Bool {
    let n = Int(truncatingIfNeeded: try r.varint())
    guard n >= 0 else { throw CodecError(reason: "truncated record") }
    try r.need(n * 2)
    var previous = UnsafeRawBufferPointer(start: nil, count: 0)
    var previousNamed = false
    var next = 0
    for m in 0..<n {
      let len = Int(truncatingIfNeeded: try r.varint())
      try r.need(len)
      let key = UnsafeRawBufferPointer(rebasing: r.buf[r.i..<(r.i + len)])
      r.i += len
      // Keys come sorted, and so do `names`: one pass over both.
      var reading = false
      var named = false
      while next < names.count {
        let order = compare(UnsafeRawBufferPointer(start: names[next].utf8Start, count: names[next].utf8CodeUnitCount), key)
        if order < 0 {
          next += 1
        } else {
          if order == 0 {
            at[next] = r.i
            reading = next == field
            next += 1
            named = true
          }
          break
        }
      }
      // A key that is one of `names` is ASCII, and follows a previous one of `names` (sorted,
      // passed); any other is checked as the general decoding checks it.
      if !(named && previousNamed) {
        guard named || isASCII(key) else { return false }
        if m > 0, compare(previous, key) >= 0 {
          throw CodecError(reason: "object keys out of order")
        }
      }
      previous = key
      previousNamed = named
      if reading {
        guard try read(&r) else { return false }
      } else {
        try r.need(1)
        // Scalars are stepped over here (most values are); arrays and objects by `skipValue`.
        // These are `skipValue`'s first cases written again on purpose: as a shared function
        // the compiler called rather than inlined them, +2 % of a replay's instructions.
        switch r.buf[r.i] {
        case 0, 1, 2: r.i += 1
        case 3:
          r.i += 1
          _ = try r.varint()
        case 4:
          r.i += 1
          try r.skip(Int(truncatingIfNeeded: try r.varint()))
        default: guard try skipValue(&r, depth: depth + 1) else { return false }
        }
      }
    }
    return true
  }

  /// Whether every byte is below 0x80 (keys are a few bytes: eight at a time).
  @inline(__always)
  private static func isASCII(_ p: UnsafeRawBufferPointer) -> Bool {
    var bits: UInt64 = 0
    var i = 0
    while i + 8 <= p.count {
      bits |= p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      i += 8
    }
    while i < p.count {
      bits |= UInt64(p[i])
      i += 1
    }
    return bits & 0x8080_8080_8080_8080 == 0
  }

  /// The byte order of `a` and `b` (negative, zero, positive): keys are a few bytes, compared
  /// eight at a time as big-endian words, then byte by byte; several times faster than the
  /// generic `lexicographicallyPrecedes`.
  @inline(__always)
  private static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    var i = 0
    while i + 8 <= n {
      let x = UInt64(bigEndian: a.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      let y = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      if x != y { return x < y ? -1 : 1 }
      i += 8
    }
    while i < n {
      let (x, y) = (a[i], b[i])
      if x != y { return Int(x) - Int(y) }
      i += 1
    }
    return a.count - b.count
  }

  /// Steps over one value, checking it as `EventCodec.Reader.value` does.
  private static func skipValue(_ r: inout EventCodec.Reader, depth: Int) throws(CodecError) -> Bool {
    guard depth <= JSONParser.maxDepth else { throw CodecError(reason: "nesting too deep") }
    switch try r.byte() {
    case 0, 1, 2: return true
    case 3:
      _ = try r.varint()
      return true
    case 4:
      try r.skip(Int(truncatingIfNeeded: try r.varint()))
      return true
    case 5:
      let n = Int(truncatingIfNeeded: try r.varint())
      guard n >= 0 else { throw CodecError(reason: "truncated record") }
      try r.need(n)
      for _ in 0..<n { guard try skipValue(&r, depth: depth + 1) else { return false } }
      return true
    case 6:
      return try withUnsafeTemporaryAllocation(of: Int.self, capacity: 0) { none throws(CodecError) in
        try members(&r, [], none, depth: depth)
      }
    default: throw CodecError(reason: "bad value tag")
    }
  }

  /// The elements of the array at `r` (tag 5), each an object read with `names`, with `r` moved
  /// past it; nil when the value is not an array of objects this reader accepts.
  private func objects<T>(
    _ r: inout EventCodec.Reader, _ names: StaticArray, _ make: (Fields) throws(Miss) -> T
  ) throws(CodecError) -> [T]? {
    guard try r.byte() == 5 else { return nil }
    let n = Int(truncatingIfNeeded: try r.varint())
    guard n >= 0 else { return nil }
    try r.need(n)
    var out: [T] = []
    out.reserveCapacity(n)
    for _ in 0..<n {
      // At the depth `skipValue` walks an element of a top-level array at.
      guard let item = try fields(&r, names, depth: 2, make) else { return nil }
      out.append(item)
    }
    return out
  }

  private func orderConfirmed(_ r: inout EventCodec.Reader, into: UnsafeMutablePointer<SalesEvent>) throws(CodecError) -> Bool {
    let names: StaticArray = [
      "allow_backorder", "channel", "customer", "lead", "lines", "order", "payment_terms_days", "promotion",
      "quote", "region", "rep",
    ]
    let buf = r.buf
    return try withUnsafeTemporaryAllocation(of: Int.self, capacity: names.count) { at throws(CodecError) -> Bool in
      at.initialize(repeating: -1)
      var lines: [OrderLine]?
      guard try r.byte() == 6,
        try Self.members(&r, names, at, depth: 0, field: 4, read: { a throws(CodecError) in
          lines = try objects(&a, ["discount", "qty", "sku", "unit_price"]) { l throws(Miss) in
            OrderLine(sku: try l.string(2), qty: try l.int(1), unitPrice: try l.money(3), discount: try l.optRate(0))
          }
          return lines != nil
        }),
        let lines
      else { return false }
      let f = Fields(buf: buf, at: at, digits: digits, inline: inline)
      do throws(Miss) {
        into.initialize(to: .orderConfirmed(OrderConfirmed(
          order: try f.string(5), customer: try f.string(2), rep: try f.string(10), channel: f.optString(1),
          region: f.optString(9), lead: f.optString(3), quote: f.optString(8), promotion: f.optString(7),
          paymentTermsDays: f.optInt(6), allowBackorder: f.bool(0), lines: lines)))
        return true
      } catch {
        return false
      }
    }
  }

  private func shipped(_ r: inout EventCodec.Reader, into: UnsafeMutablePointer<SalesEvent>) throws(CodecError) -> Bool {
    let names: StaticArray = ["carrier", "freight_cost", "lines", "order", "shipment", "tracking"]
    let buf = r.buf
    return try withUnsafeTemporaryAllocation(of: Int.self, capacity: names.count) { at throws(CodecError) -> Bool in
      at.initialize(repeating: -1)
      var lines: [ShippedLine]?
      guard try r.byte() == 6,
        try Self.members(&r, names, at, depth: 0, field: 2, read: { a throws(CodecError) in
          lines = try objects(&a, ["cogs", "qty", "sku"]) { l throws(Miss) in
            ShippedLine(sku: try l.string(2), qty: try l.int(1), cogs: try l.optMoney(0))
          }
          return lines != nil
        }),
        let lines
      else { return false }
      let f = Fields(buf: buf, at: at, digits: digits, inline: inline)
      do throws(Miss) {
        into.initialize(to: .shipped(Shipped(
          order: try f.string(3), shipment: try f.string(4), lines: lines, carrier: f.optString(0),
          tracking: f.optString(5), freightCost: try f.optMoney(1))))
        return true
      } catch {
        return false
      }
    }
  }
}

extension EventStore {
  /// Compares the typed reader with the general decoding on every stored record (for tests):
  /// how many records it read itself, and the seqs where the two disagree.
  func checkTypedReader() throws -> (read: Int, differ: [UInt64]) {
    let reader = TypedEventReader(digits: metadata.moneyDigits)
    var read = 0
    var differ: [UInt64] = []
    try env.read { txn in
      try txn.scan(events, from: SeqKey.encode(1)) { k, v in
        let seq = SeqKey.decode(k) ?? 0
        let h = try TypedEventReader.head(v)
        guard let t = reader.index(of: h.type), let fast = reader.event(v, h, type: t) else { return true }
        read += 1
        if fast != typedEvent(try decode(v, seq: seq)) { differ.append(seq) }
        return true
      }
    }
    return (read, differ)
  }
}

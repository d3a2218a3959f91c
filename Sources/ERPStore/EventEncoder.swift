import ERPCore

/// Encodes events into their stored form and links them into the hash chain: the canonical JSON
/// (RFC 8785, what is hashed), its hash after the previous one, and the binary record LMDB
/// stores. `LogAppender` puts each record as it is made, or (an import) hands whole runs of
/// decided events to an `EncodingThread` with an encoder of its own and puts the records it
/// gets back.
struct EventEncoder {
  /// Where each encoded event goes: its seq and its record, lent where it was written (valid only
  /// during the call).
  typealias RecordSink = (_ seq: UInt64, _ record: UnsafeBufferPointer<UInt8>) throws -> Void

  let recorded: Instant
  /// `recorded` as canonical JSON: the same in every event of the transaction.
  let recordedJSON: [UInt8]
  /// The store's money digits.
  let digits: Int
  /// The last event encoded: its seq and hash.
  private(set) var head: ChainHead
  // Buffers reused for every event (no allocation per event).
  /// The hash being computed, then the previous head's storage.
  private var nextHash = [UInt8](repeating: 0, count: 32)

  init(recorded: Instant, digits: Int, head: ChainHead) {
    self.recorded = recorded
    var json: [UInt8] = []
    ByteWriter.append(to: &json) { recorded.writeJSON(offsetSeconds: 0, into: &$0) }
    recordedJSON = json
    self.digits = digits
    self.head = head
  }

  /// Encodes and hashes the event after `head` from its pieces (`StoredPieces`: whichever
  /// source they come from, they are the same bytes), hands its seq and record to `store` (the
  /// record lent where it was written: copied into an array first, it was copied once more for
  /// every stored event), and makes it the head. Returns its seq.
  mutating func encode<P: StoredPieces>(
    _ pieces: P, record store: RecordSink
  ) rethrows -> UInt64 {
    let seq = head.seq + 1
    // The writers' closures capture these locals, not `self`, whose buffers they write.
    let (recorded, recordedJSON) = (self.recorded, self.recordedJSON)
    // The hash's input, the previous hash and then the canonical bytes, written on the stack and
    // hashed there (copied into an array first, it was copied once more per event); the hash goes
    // into a second buffer, swapped with the head's.
    let previous = head.hash
    var next: [UInt8] = []
    swap(&next, &nextHash)
    ByteWriter.withWritten { w in
      w.bytes(previous)
      pieces.writeCanonicalHead(&w)
      w.bytes(recordedJSON)
      CanonicalPieces.seq(seq, &w)
      pieces.writeCanonicalTail(&w)
    } _: { HashChain.link(chained: $0, into: &next) }
    swap(&next, &nextHash)
    let hash = nextHash
    try ByteWriter.withWritten { w in
      w.byte(EventCodec.format)
      w.bytes(hash)
      pieces.writeBinaryAt(&w)
      EventCodec.putRecorded(recorded, &w)
      pieces.writeBinaryRest(&w)
    } _: { try store(seq, $0) }
    head.seq = seq
    swap(&head.hash, &nextHash)
    return seq
  }

  /// Encodes a decided primary event and the events derived from it (`decided`, the primary
  /// first), handing each record to `store` as it is made. Returns the primary's seq.
  ///
  /// The primary is stored as written, plus what the store writes into it (SPEC 7: cogs);
  /// derived events share its business time and have no key of their own.
  /// - Parameter prepared: `e`'s preparation with the store's money digits, or nil.
  mutating func encode(
    _ e: NewEvent, _ prepared: PreparedEvent?, _ decided: [SalesEvent],
    store: RecordSink
  ) rethrows -> UInt64 {
    try encode(at: e.at, event: { e }, prepared, decided, store: store)
  }

  /// `encode(prepared.event, prepared, decided, store:)`, reading the event where it lies in its
  /// preparation: copying it out (as an argument) retained each of its strings, for every event
  /// the import appends.
  mutating func encode(
    _ prepared: PreparedEvent, _ decided: [SalesEvent], store: RecordSink
  ) rethrows -> UInt64 {
    try encode(at: prepared.event.at, event: { prepared.event }, prepared, decided, store: store)
  }

  /// The two above: `event` gives the primary, asked for only when it is written from its data.
  private mutating func encode(
    at: BusinessTime, event: () -> NewEvent, _ prepared: PreparedEvent?, _ decided: [SalesEvent],
    store: RecordSink
  ) rethrows -> UInt64 {
    // (The decided events are read by index, not bound by `for … in` or copied out of the array
    // by a pattern match: each such copy retained every string of the event, about four copies
    // per primary.)
    let seq: UInt64
    switch decided[0] {
    case .shipped, .returnReceived:
      if case .shipped(let s) = decided[0], let pieces = prepared.flatMap({ Self.cogsPieces(s, $0, digits: digits) }) {
        seq = try encode(pieces, record: store)
      } else {
        let e = event()
        if let written = Self.withStoreWritten(decided[0], into: e.data, digits: digits) {
          seq = try encode(JSONPieces(type: e.type, at: e.at, key: e.key, v: e.v, data: written), record: store)
        } else {
          seq = try encodePrimary(event, prepared, store)
        }
      }
    default:
      seq = try encodePrimary(event, prepared, store)
    }
    guard decided.count > 1 else { return seq }
    // The derived events share the primary's `at`: its canonical text is taken from the primary's
    // pieces when there are some.
    if let prepared {
      try prepared.withAtDataName { try encodeDerived(decided, at: at, atDataName: $0, store: store) }
    } else {
      try encodeDerived(decided, at: at, atDataName: nil, store: store)
    }
    return seq
  }

  /// The events derived from the primary, `decided` after the first, each handed to `store`.
  private mutating func encodeDerived(
    _ decided: [SalesEvent], at: BusinessTime, atDataName a: UnsafeBufferPointer<UInt8>?,
    store: RecordSink
  ) rethrows {
    for i in decided.indices.dropFirst() {
      switch decided[i] {
      // What the store derives most (an event per reserved line, shipment and matched payment)
      // is written from its payload.
      case .stockReserved(let p): try encodeDerived(p, at: at, atDataName: a, store: store)
      case .reservationReleased(let p): try encodeDerived(p, at: at, atDataName: a, store: store)
      case .invoiceIssued(let p): try encodeDerived(p, at: at, atDataName: a, store: store)
      case .paymentMatched(let p): try encodeDerived(p, at: at, atDataName: a, store: store)
      case .creditNoteIssued(let p): try encodeDerived(p, at: at, atDataName: a, store: store)
      default:
        _ = try encode(
          JSONPieces(type: decided[i].type, at: at, key: nil, v: 1, data: decided[i].data(digits: digits)), record: store)
      }
    }
  }

  /// A derived event written from its payload (`DerivedPieces`).
  @inline(__always)
  private mutating func encodeDerived<P: SortedDataPayload>(
    _ payload: P, at: BusinessTime, atDataName: UnsafeBufferPointer<UInt8>?, store: RecordSink
  ) rethrows {
    _ = try encode(DerivedPieces(at: at, payload: payload, digits: digits, atDataName: atDataName), record: store)
  }

  /// A primary stored as written: from its prepared pieces when there are any.
  private mutating func encodePrimary(
    _ event: () -> NewEvent, _ prepared: PreparedEvent?,
    _ store: RecordSink
  ) rethrows -> UInt64 {
    if let prepared, prepared.hasPieces, prepared.cogs == nil { return try encode(prepared, record: store) }
    let e = event()
    return try encode(JSONPieces(type: e.type, at: e.at, key: e.key, v: e.v, data: e.data), record: store)
  }

  /// A decided shipment's pieces with its costs written into the prepared `cogs` slots: the
  /// bytes `withStoreWritten` and `JSONPieces` give when the store writes a cost into every line
  /// (nil otherwise, or when nothing was prepared).
  static func cogsPieces(_ s: Shipped, _ prepared: PreparedEvent, digits: Int) -> PreparedEvent.CogsPieces? {
    guard prepared.cogs != nil else { return nil }
    for l in s.lines where l.cogs == nil { return nil }
    return prepared.withCogs(s.lines, digits: digits)
  }

  /// The data a decided primary event was written with, plus the fields the store writes into
  /// it; nil when the store writes none (the data is stored as written).
  static func withStoreWritten(_ decided: SalesEvent, into data: JSONObject, digits: Int) -> JSONObject? {
    var data = data
    switch decided {
    case .shipped(let s):
      guard var lines = data["lines"]?.arrayValue, lines.count == s.lines.count else { return nil }
      var wrote = false
      for (i, l) in s.lines.enumerated() {
        guard var o = lines[i].objectValue, let cogs = l.cogs else { continue }
        o["cogs"] = .string(cogs.format(digits: digits))
        lines[i] = .object(o)
        wrote = true
      }
      guard wrote else { return nil }
      data["lines"] = .array(lines)
    case .returnReceived(let r):
      guard let cogs = r.cogs else { return nil }
      data["cogs"] = .string(cogs.format(digits: digits))
    default: return nil
    }
    return data
  }
}

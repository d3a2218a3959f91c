import ERPCore

/// The command side's state in LMDB (SPEC 1): one record per entity under `kind\0id`, its JSON
/// object in the binary value form of `EventCodec`. Written in the same transaction as the
/// events that changed it.
enum StateTable {
  static let name = "state"

  static func key(_ k: StateKey) -> [UInt8] {
    var out: [UInt8] = []
    key(k, into: &out)
    return out
  }

  /// `key(k)` into `out` (emptied first), so that a buffer can be reused.
  static func key(_ k: StateKey, into out: inout [UInt8]) {
    out.removeAll(keepingCapacity: true)
    // The kind's name and the zero byte, made once per kind (appending the name and the id
    // through their UTF-8 views had cost about 500 instructions per record written back).
    prefixes[k.kind.index].withUnsafeBufferPointer { out.append(contentsOf: $0) }
    var id = k.id
    id.withUTF8 { out.append(contentsOf: $0) }
  }

  /// Each kind's name followed by a zero byte, at `StateKind.index`.
  private static let prefixes: [[UInt8]] = {
    var out = [[UInt8]](repeating: [], count: StateKind.allCases.count)
    for kind in StateKind.allCases { out[kind.index] = Array(kind.rawValue.utf8) + [0] }
    return out
  }()

  static func decodeKey(_ buf: UnsafeRawBufferPointer) -> StateKey? {
    guard let zero = buf.firstIndex(of: 0),
      let kind = StateKind(rawValue: String(decoding: UnsafeRawBufferPointer(rebasing: buf[..<zero]), as: UTF8.self))
    else { return nil }
    return StateKey(kind, String(decoding: UnsafeRawBufferPointer(rebasing: buf[(zero + 1)...]), as: UTF8.self))
  }

  /// A record's JSON in the stored form (what the write-back's `StoredRecordSink` writes without
  /// the object; its tests compare the two).
  static func encode(_ o: JSONObject) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(64)
    EventCodec.putObject(o, &out)
    return out
  }

  static func decode(_ buf: UnsafeRawBufferPointer) throws -> JSONObject {
    var r = EventCodec.Reader(buf: buf)
    guard case .object(let o) = try r.value(depth: 0), r.atEnd else {
      throw StoreError.notAStore(path: "", reason: "a state record is unreadable")
    }
    return o
  }

  /// A `SalesState` that reads missing records from the transaction `reader` holds (which may
  /// be the next one: `AppendSession`).
  static func state(_ reader: StateReader, _ db: Database) -> SalesState {
    SalesState { k in
      guard let txn = reader.txn else {
        throw StoreError.lmdb(code: -1, call: "state", message: "the state was read outside a transaction")
      }
      if try reader.isBeyondLast(k.kind, k.id, txn, db) { return nil }
      return try txn.withValue(db, key(k)) { try decode($0) }
    }
  }

  /// Writes the records `state` changed, each written straight into the stored value format
  /// (`StoredRecordSink`: the bytes `encode` makes of its `json`), through one key buffer.
  static func flush(_ state: SalesState, _ reader: StateReader, _ db: Database) throws {
    guard let txn = reader.txn else {
      throw StoreError.lmdb(code: -1, call: "state", message: "the state was written outside a transaction")
    }
    defer { reader.forgetLastIDs() }
    var keyBytes: [UInt8] = []
    keyBytes.reserveCapacity(64)
    try state.takeChangesEncoded { k, bytes in
      key(k, into: &keyBytes)
      try txn.put(db, keyBytes, bytes)
    }
  }
}

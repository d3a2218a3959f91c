import ERPCore
import Foundation

/// The command side's state in LMDB (SPEC 1): one record per entity under `kind\0id`, its JSON
/// object in the binary value form of `EventCodec`. Written in the same transaction as the
/// events that changed it.
enum StateTable {
  static let name = "state"

  static func key(_ k: StateKey) -> [UInt8] {
    var out: [UInt8] = []
    appendKey(k.kind, k.id, to: &out)
    return out
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
  /// (`StoredRecordSink`: the bytes `encode` makes of its `json`). A large write-back (an
  /// import's trims and its end) sorts and encodes on a second thread (`StateEncoder`) while
  /// this one puts: the other threads of an import wait for this one then, so its core was
  /// idle.
  /// - Parameters: `secondThreadFrom`, `chunkLength`, `chunksAhead`: as `StateEncoder`'s
  ///   (tests choose the path and make chunks small).
  static func flush(
    _ state: SalesState, _ reader: StateReader, _ db: Database,
    secondThreadFrom: Int = StateEncoder.secondThreadFrom, chunkLength: Int = StateEncoder.chunkLength,
    chunksAhead: Int = StateEncoder.chunksAhead
  ) throws {
    guard let txn = reader.txn else {
      throw StoreError.lmdb(code: -1, call: "state", message: "the state was written outside a transaction")
    }
    defer { reader.forgetLastIDs() }
    let changes = state.takeChangeList()
    let encoder = StateEncoder(state, changes, chunkLength: chunkLength, chunksAhead: chunksAhead)
    if changes.count < secondThreadFrom {
      try encoder.encodeAll { try put($0, txn, db) }
    } else {
      try encoder.encodeOnSecondThread { try put($0, txn, db) }
    }
  }

  /// Puts the records of a chunk, in order.
  private static func put(_ records: EncodedRecords, _ txn: WriteTransaction, _ db: Database) throws {
    try records.keys.withUnsafeBytes { keys in
      try records.values.withUnsafeBytes { values in
        var (k, v) = (0, 0)
        for i in records.keyEnds.indices {
          let (ke, ve) = (records.keyEnds[i], records.valueEnds[i])
          try txn.put(
            db, key: UnsafeRawBufferPointer(rebasing: keys[k..<ke]), UnsafeRawBufferPointer(rebasing: values[v..<ve]))
          (k, v) = (ke, ve)
        }
      }
    }
  }

  /// Appends the key of `id` of `kind` to `out`: the kind's name and the zero byte, made once
  /// per kind (appending the name and the id through their UTF-8 views had cost about 500
  /// instructions per record written back), then the id's UTF-8.
  static func appendKey(_ kind: StateKind, _ id: String, to out: inout [UInt8]) {
    prefixes[kind.index].withUnsafeBufferPointer { out.append(contentsOf: $0) }
    var id = id
    id.withUTF8 { out.append(contentsOf: $0) }
  }
}

/// A chunk of a write-back's records: their keys and values, one after the other.
final class EncodedRecords: @unchecked Sendable {
  var keys: [UInt8] = []
  var keyEnds: [Int] = []
  var values: [UInt8] = []
  var valueEnds: [Int] = []

  func removeAll() {
    keys.removeAll(keepingCapacity: true)
    keyEnds.removeAll(keepingCapacity: true)
    values.removeAll(keepingCapacity: true)
    valueEnds.removeAll(keepingCapacity: true)
  }
}

/// Sorts and encodes the records of a write-back (`SalesState.takeChangeList`) in chunks of
/// `chunkLength`, in key order: on the calling thread (`encodeAll`), or on a thread of its own
/// while the calling thread puts the chunks (`encodeOnSecondThread`); one of the two, once.
/// Sorting and encoding only read the state; the caller leaves it alone until this returns.
final class StateEncoder: @unchecked Sendable {
  /// Records in a write-back from which a second thread encodes: below it, starting a thread
  /// costs more than it saves.
  static let secondThreadFrom = 20_000
  static let chunkLength = 1024
  /// Chunks encoded ahead of the putting thread at most (they hold memory).
  static let chunksAhead = 16

  private let state: SalesState
  private var changes: StateChanges
  private let chunkLength: Int
  private let chunksAhead: Int
  private let condition = NSCondition()
  /// Chunks encoded and not taken yet, oldest first; chunks to reuse.
  private var ready: [EncodedRecords] = []
  private var spare: [EncodedRecords] = []
  private var finished = false
  private var cancelled = false

  init(_ state: SalesState, _ changes: StateChanges, chunkLength: Int = chunkLength, chunksAhead: Int = chunksAhead) {
    self.state = state
    self.changes = changes
    self.chunkLength = max(1, chunkLength)
    self.chunksAhead = max(1, chunksAhead)
  }

  /// Sorts and encodes every chunk on this thread, each passed to `put` in turn.
  func encodeAll(_ put: (EncodedRecords) throws -> Void) throws {
    let chunk = EncodedRecords()
    try encode { chunk in
      try put(chunk)
      return true
    } into: { chunk }
  }

  /// Sorts and encodes on a new thread; `put` gets each chunk here, in order, as it is ready.
  /// Returns (or throws what `put` threw) once that thread is done with the state.
  func encodeOnSecondThread(_ put: (EncodedRecords) throws -> Void) throws {
    HelperThread.start(stackSize: 1 << 20) { [self] in
      try? encode { chunk in
        condition.lock()
        defer { condition.unlock() }
        ready.append(chunk)
        condition.broadcast()
        while !cancelled && ready.count >= chunksAhead { condition.wait() }
        return !cancelled
      } into: {
        condition.lock()
        defer { condition.unlock() }
        return spare.popLast() ?? EncodedRecords()
      }
      condition.lock()
      finished = true
      condition.broadcast()
      condition.unlock()
    }
    defer {
      // (After a failed put the thread stops at its next chunk: the state is left alone only
      // once it has. After the last chunk it has stopped already.)
      condition.lock()
      cancelled = true
      condition.broadcast()
      while !finished { condition.wait() }
      condition.unlock()
    }
    while true {
      condition.lock()
      while ready.isEmpty && !finished { condition.wait() }
      guard !ready.isEmpty else {
        condition.unlock()
        return
      }
      let chunk = ready.removeFirst()
      condition.broadcast()
      condition.unlock()
      try put(chunk)
      condition.lock()
      spare.append(chunk)
      condition.unlock()
    }
  }

  /// Sorts each kind's records and encodes them into chunks (`fresh` gives an empty one), each
  /// passed to `emit`, which says whether to go on.
  private func encode(
    _ emit: (EncodedRecords) throws -> Bool, into fresh: () -> EncodedRecords
  ) throws {
    for k in changes.kinds.indices {
      state.sortChanges(&changes.kinds[k])
      let (kind, entries) = changes.kinds[k]
      var start = 0
      while start < entries.count {
        let end = min(start + chunkLength, entries.count)
        let chunk = fresh()
        chunk.removeAll()
        try state.encodeChanges(kind, entries[start..<end]) { id, bytes in
          StateTable.appendKey(kind, id, to: &chunk.keys)
          chunk.keyEnds.append(chunk.keys.count)
          chunk.values.append(contentsOf: bytes)
          chunk.valueEnds.append(chunk.values.count)
        }
        guard try emit(chunk) else { return }
        start = end
      }
    }
  }
}

import ERPCore
import Foundation

/// What became of one event handed to `append`.
public enum AppendOutcome: Sendable, Equatable {
  /// Appended at this seq.
  case appended(UInt64)
  /// Its key already named an identical event at this seq: nothing was appended (SPEC 2).
  case existing(UInt64)

  public var seq: UInt64 {
    switch self {
    case .appended(let s), .existing(let s): s
    }
  }
}

/// How to open a store.
public struct StoreOptions: Sendable {
  /// The initial map size; the map grows by doubling when full, so this only matters for tests
  /// and for avoiding a few growth steps on large imports.
  public var mapSize: Int
  public var readOnly: Bool

  public static let defaultMapSize = 1 << 30

  public init(mapSize: Int = StoreOptions.defaultMapSize, readOnly: Bool = false) {
    self.mapSize = mapSize
    self.readOnly = readOnly
  }
}

/// The event log of one store (SPEC 1): gapless seq, idempotency-key index, hash chain, metadata.
public final class EventStore {
  public let path: String
  public let metadata: StoreMetadata
  let env: LMDBEnvironment
  let events: Database
  let keys: Database
  let meta: Database
  /// The command side's current state (`StateTable`).
  let state: Database
  /// Persisted projections and their checkpoints (`EventStore+Projections`).
  let proj: Database
  /// Turns business times into business dates for the deciders.
  let zone: StoreTimeZone

  static let databaseNames = ["events", "keys", "meta", StateTable.name, projectionDatabase]
  static let dataFile = "data.mdb"

  private init(path: String, env: LMDBEnvironment, metadata: StoreMetadata?) throws {
    self.path = path
    self.env = env
    let dbs = try env.databases(Self.databaseNames)
    (events, keys, meta, state, proj) = (dbs[0], dbs[1], dbs[2], dbs[3], dbs[4])
    let m = try metadata ?? Self.readMetadata(env: env, meta: dbs[2], path: path)
    guard let zone = StoreTimeZone(m.timezone) else {
      throw StoreError.notAStore(path: path, reason: "unknown timezone '\(m.timezone)'")
    }
    self.metadata = m
    self.zone = zone
  }

  // MARK: Creating and opening

  /// Creates a new store at `path` (a new directory, or an existing empty one), mode 0700.
  public static func create(
    at path: String, metadata: StoreMetadata, options: StoreOptions = StoreOptions()
  ) throws -> EventStore {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    if fm.fileExists(atPath: path, isDirectory: &isDir) {
      let contents = (try? fm.contentsOfDirectory(atPath: path)) ?? ["?"]
      guard isDir.boolValue, contents.isEmpty else { throw StoreError.alreadyExists(path: path) }
    } else {
      do {
        try fm.createDirectory(
          atPath: path, withIntermediateDirectories: true,
          attributes: [.posixPermissions: 0o700])
      } catch {
        throw StoreError.io("cannot create '\(path)': \(error.localizedDescription)")
      }
    }
    // The umask may have narrowed or (for an existing directory) the mode may be wider.
    try? fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
    let env = try LMDBEnvironment(path: path, mapSize: options.mapSize, maxDatabases: 8, readOnly: false)
    let store = try EventStore(path: path, env: env, metadata: metadata)
    try env.write { txn in
      for (k, v) in metadataEntries(metadata) { try txn.put(store.meta, Array(k.utf8), Array(v.utf8)) }
      try txn.put(store.meta, Array("head".utf8), SeqKey.encode(0) + ChainHead.genesis.hash)
    }
    for file in [dataFile, "lock.mdb"] {
      try? fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path + "/" + file)
    }
    return store
  }

  /// Opens an existing store; a missing one is `StoreError.storeNotFound`.
  public static func open(at path: String, options: StoreOptions = StoreOptions()) throws -> EventStore {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
      throw StoreError.storeNotFound(path: path)
    }
    guard isDir.boolValue else {
      throw StoreError.notAStore(path: path, reason: "not a directory")
    }
    // LMDB would create an empty environment here; refuse instead.
    guard fm.fileExists(atPath: path + "/" + dataFile) else {
      throw StoreError.storeNotFound(path: path)
    }
    guard fm.isReadableFile(atPath: path + "/" + dataFile) else {
      throw StoreError.io("cannot read '\(path)/\(dataFile)': permission denied")
    }
    let env = try LMDBEnvironment(
      path: path, mapSize: options.mapSize, maxDatabases: 8, readOnly: options.readOnly)
    do {
      return try EventStore(path: path, env: env, metadata: nil)
    } catch StoreError.lmdb(let code, _, _) where code == -30798 {  // MDB_NOTFOUND: no such db
      throw StoreError.notAStore(path: path, reason: "it has no erpctl databases")
    }
  }

  private static func metadataEntries(_ m: StoreMetadata) -> [(String, String)] {
    [
      ("format", String(m.format)), ("currency", m.currency), ("timezone", m.timezone),
      ("payment_terms_days", String(m.paymentTermsDays)), ("created", m.created.rfc3339()),
    ]
  }

  private static func readMetadata(env: LMDBEnvironment, meta: Database, path: String) throws
    -> StoreMetadata
  {
    try env.read { txn in
      func text(_ k: String) throws -> String {
        guard let v = try txn.get(meta, Array(k.utf8)) else {
          throw StoreError.notAStore(path: path, reason: "metadata '\(k)' is missing")
        }
        return String(decoding: v, as: UTF8.self)
      }
      guard let format = Int(try text("format")) else {
        throw StoreError.notAStore(path: path, reason: "unreadable format version")
      }
      guard format == StoreMetadata.currentFormat else {
        throw StoreError.notAStore(
          path: path,
          reason: "format version \(format), this erpctl reads \(StoreMetadata.currentFormat)")
      }
      guard let created = Instant.parseRFC3339(try text("created"))?.0,
        let terms = Int(try text("payment_terms_days"))
      else { throw StoreError.notAStore(path: path, reason: "unreadable metadata") }
      return StoreMetadata(
        format: format, currency: try text("currency"), timezone: try text("timezone"),
        paymentTermsDays: terms, created: created)
    }
  }

  // MARK: Writing

  /// Appends `events` atomically, in order, in one write transaction: either every one is
  /// appended (or found already appended under its key) or nothing is. Each primary event is
  /// decided against the current state (refused with `StoreError.refused`), stored with the
  /// events derived from it, and folded into the state, all in the same transaction.
  /// - Parameter clock: read once inside the transaction, so `recorded` rises with `seq`.
  /// - Parameter mode: `.trusted` stores the events as given, without rules or derivations
  ///   (still folding them into the state); for benchmarks and storage tests.
  public func append(_ newEvents: [NewEvent], clock: () -> Instant, mode: AppendMode = .decide) throws
    -> [AppendOutcome]
  {
    try withAppender(clock: clock, mode: mode) { log in try log.append(contentsOf: newEvents) }
  }

  /// The bare log path of issue 2's benchmark goal (encode, hash, index key, put) with no
  /// command-side state: a store written this way fails `verify`'s state check, so it is not
  /// public API.
  /// - Parameter encodingThread: encode and hash on a second thread, as `import` does
  ///   (`LogAppender.encodeOnSecondThread`).
  package func appendLogOnly(_ newEvents: [NewEvent], clock: () -> Instant, encodingThread: Bool = false) throws
    -> [AppendOutcome]
  {
    try env.write { txn in
      var log = try LogAppender(store: self, txn: txn, recorded: clock(), mode: .trusted)
      log.foldsState = false
      if encodingThread { log.encodeOnSecondThread() }
      let outcomes = try log.append(contentsOf: newEvents)
      try log.finish()
      return outcomes
    }
  }

  /// Runs `body` with an appender inside one write transaction (what later command handlers
  /// build on: decide against state, append, commit). `body` may run again if the map grows.
  /// - Parameter session: keeps the command-side state in memory from one transaction to the
  ///   next (an import committing in batches), instead of reading it from LMDB again in each.
  public func withAppender<T>(
    clock: () -> Instant, mode: AppendMode = .decide, session: AppendSession? = nil,
    _ body: (inout LogAppender) throws -> T
  ) throws -> T {
    // Taken out for the attempt: a failed or repeated attempt must not leave it changed.
    let kept = session?.take()
    var committed: KeptState?
    var attempts = 0
    let result = try env.write { txn in
      // Only the first attempt may use the kept state: a repeated one (the map grew) starts
      // from LMDB, the first having changed the state in memory.
      attempts += 1
      var log = try LogAppender(
        store: self, txn: txn, recorded: clock(), mode: mode, kept: attempts == 1 ? kept : nil)
      committed = nil
      let result = try body(&log)
      try log.finish()
      if session != nil { committed = KeptState(state: log.sales, head: log.head, reader: log.stateReader) }
      return result
    }
    if let session, let committed {
      committed.reader.txn = nil
      session.keep(committed)
    }
    return result
  }

  /// Loads a whole export into this empty store in one transaction, checking that every event
  /// continues the chain (seq and hash) exactly; `produce` hands over the envelopes in order
  /// and may be called again if the map has to grow.
  public func restore(_ produce: (_ sink: (EventEnvelope) throws -> Void) throws -> Void) throws
    -> ChainHead
  {
    try env.write { txn in
      let existing = try txn.count(events)
      guard existing == 0 else { throw StoreError.notEmpty(path: path, events: UInt64(existing)) }
      var head = ChainHead.genesis
      let stateReader = StateReader(txn)
      let sales = StateTable.state(stateReader, state)
      try produce { e in
        guard e.seq == head.seq + 1 else {
          throw StoreError.chainMismatch(seq: e.seq, reason: "expected seq \(head.seq + 1)")
        }
        let h = HashChain.hash(e, previous: head.hash)
        guard h == e.hash else {
          throw StoreError.chainMismatch(
            seq: e.seq, reason: "hash does not match the chain (computed \(Hex.encode(h)))")
        }
        if let key = e.key {
          let k = Array(key.utf8)
          if let other = try txn.get(keys, k) {
            let seq = other.withUnsafeBytes { SeqKey.decode($0) } ?? 0
            throw StoreError.chainMismatch(seq: e.seq, reason: "key '\(key)' repeats event \(seq)")
          }
          try txn.put(keys, k, SeqKey.encode(e.seq))
        }
        try txn.put(events, SeqKey.encode(e.seq), EventCodec.encode(e), append: true)
        try fold(e, into: sales)
        head = ChainHead(seq: e.seq, hash: h)
      }
      try StateTable.flush(sales, stateReader, state)
      try txn.put(meta, Array("head".utf8), SeqKey.encode(head.seq) + head.hash)
      return head
    }
  }

  /// Makes room for about `bytes` more data before a large write, to avoid growth retries.
  public func reserve(additionalBytes bytes: Int) throws {
    try env.reserve(bytes: env.usedBytes + bytes)
  }

  // MARK: Reading

  /// The last seq and hash.
  public func head() throws -> ChainHead {
    try env.read { txn in try Self.readHead { try txn.get(meta, $0) } }
  }

  static func readHead(_ get: ([UInt8]) throws -> [UInt8]?) throws -> ChainHead {
    guard let v = try get(Array("head".utf8)), v.count == 40 else {
      throw StoreError.notAStore(path: "", reason: "chain head missing")
    }
    return ChainHead(seq: v.withUnsafeBytes { SeqKey.decode(UnsafeRawBufferPointer(rebasing: $0[0..<8])) } ?? 0,
      hash: Array(v[8...]))
  }

  public func event(_ seq: UInt64) throws -> EventEnvelope? {
    try env.read { txn in
      try txn.withValue(events, SeqKey.encode(seq)) { buf in
        try decode(buf, seq: seq)
      }
    }
  }

  /// Visits events in seq order from `from` until `body` returns false, in one snapshot.
  public func forEach(from: UInt64 = 1, _ body: (EventEnvelope) throws -> Bool) throws {
    try env.read { txn in
      try txn.scan(events, from: SeqKey.encode(from)) { k, v in
        let seq = SeqKey.decode(k) ?? 0
        return try body(try decode(v, seq: seq))
      }
    }
  }

  func decode(_ buf: UnsafeRawBufferPointer, seq: UInt64) throws(StoreError) -> EventEnvelope {
    do throws(CodecError) { return try EventCodec.decode(buf, seq: seq) } catch {
      throw StoreError.notAStore(path: path, reason: "event \(seq) is unreadable: \(error.reason)")
    }
  }

  /// Number of events in the log.
  public func count() throws -> UInt64 {
    try env.read { txn in UInt64(try txn.count(events)) }
  }
}

/// What `LogAppender.append` can work out from a primary event alone, made ahead and on another
/// thread (the import's reading thread): the event decoded into its type, and every piece of its
/// two stored forms that does not depend on its place in the log (RFC 8785 JSON for the hash
/// chain, the binary record for the log) — all but `recorded`, `seq` and the hash. The appender
/// then decides, hashes and writes. Of the types the store writes fields into (SPEC 7), only
/// shipments have pieces: with an empty `cogs` in each line, where the appender writes the cost
/// it decided (`CogsSlots`); the others have none.
///
/// A class: the import hands each preparation from its reading thread to the appender and back,
/// and a struct of 300 bytes was copied, with a retain of each of its arrays and strings, at
/// every step.
public final class PreparedEvent: Sendable {
  /// The event prepared, keyed as it will be appended (`LogAppender.append(prepared:index:)`
  /// reads it here, and the encoding thread gets it from here).
  public let event: NewEvent
  /// `SalesEvent(primary:digits:)`; nil when the event does not decode (`append` says why).
  var typed: SalesEvent? { decodes ? decoded : nil }
  /// `typed` when the event decodes, else a placeholder. Not a `SalesEvent?`: freeing one went
  /// through `Optional`'s generic value witness, about 370 instructions per preparation on the
  /// import's reading thread.
  private let decoded: SalesEvent
  fileprivate let decodes: Bool
  private static let undecoded = SalesEvent.orderCancelled(OrderCancelled(order: "", reason: ""))
  /// The state records deciding it looks up first, for the appender to prefetch ahead.
  public let lookups: StateLookups
  let digits: Int
  /// The pieces one after the other (one allocation): canonical up to `"recorded":`, canonical
  /// after the seq, binary `at`, binary after `recorded`. Empty when not made.
  fileprivate let bytes: [UInt8]
  fileprivate let ends: (Int, Int, Int)
  /// Where the canonical form's `{"at":…,"data":` ends (`CanonicalPieces.atDataName`).
  private let atEnd: Int
  /// For a shipment: where each line's `cogs` goes in `bytes` (nil for other types).
  let cogs: CogsSlots?

  /// Where a shipment's pieces hold an empty `cogs` string per line, in line order: in the
  /// canonical form the offset between its quotes, in the binary one the offset of its length
  /// byte (0).
  struct CogsSlots {
    var canonical: [Int]
    var binary: [Int]
  }

  /// - Parameter canonicalData: the canonical (RFC 8785) text of `e.data`, when the caller has
  ///   it (the import, from its input: `EventRecordReader.newEvent(_:start:end:canonicalData:)`):
  ///   copied instead of writing the object out again.
  /// - Parameter digits: the store's money digits (`append` ignores a preparation for others).
  public init(_ e: NewEvent, canonicalData: ArraySlice<UInt8>? = nil, digits: Int) {
    event = e
    let typed = try? SalesEvent(primary: e, digits: digits)
    (decoded, decodes) = typed.map { ($0, true) } ?? (Self.undecoded, false)
    lookups = typed.map(StateLookups.init(of:)) ?? StateLookups()
    self.digits = digits
    var data = e.data
    var lines = 0
    if EventCatalog.hasStoreWrittenFields(e.type) {
      guard e.type == Shipped.type, let (withSlots, n) = Self.withEmptyCogs(e.data) else {
        (bytes, ends, cogs, atEnd) = ([], (0, 0, 0), nil, 0)
        return
      }
      (data, lines) = (withSlots, n)
    }
    let (out, ends, atEnd) = Self.write(type: e.type, at: e.at, atText: nil, key: e.key, v: e.v) { w in
      // (A shipment's data gets its `cogs` slots: not the text read.)
      if let canonicalData, lines == 0 {
        canonicalData.withUnsafeBufferPointer { w.bytes($0) }
      } else {
        w.jsonObject(data)
      }
    } binaryData: { w in
      EventCodec.putObject(data, &w)
    }
    (bytes, self.ends, cogs) = Self.pieces(out, ends, lines: lines)
    self.atEnd = atEnd
  }

  /// The pieces of an event of these fields one after the other, and where the first three end:
  /// `canonicalData` writes its data's canonical text and `binaryData` its binary form.
  /// `atText`: `at`'s canonical text, when the caller has it.
  private static func write(
    type: String, at: BusinessTime, atText: UnsafeBufferPointer<UInt8>?, key: String?, v: Int,
    canonicalData: (inout ByteWriter) -> Void,
    binaryData: (inout ByteWriter) -> Void
  ) -> (out: [UInt8], ends: (Int, Int, Int), atEnd: Int) {
    var ends = (0, 0, 0)
    var atEnd = 0
    let out = ByteWriter.bytes { w in
      if let atText { CanonicalPieces.atDataName(text: atText, &w) } else { CanonicalPieces.atDataName(at, &w) }
      atEnd = w.count
      canonicalData(&w)
      CanonicalPieces.keyThenRecordedName(key, &w)
      ends.0 = w.count
      CanonicalPieces.tail(type: type, v: v, &w)
      ends.1 = w.count
      EventCodec.putAt(at, &w)
      ends.2 = w.count
      EventCodec.putRestHead(v: v, type: type, key: key, &w)
      binaryData(&w)
    }
    return (out, ends, atEnd)
  }

  /// The pieces `out` with their `ends`, and for a shipment of `lines` lines (0 for any other
  /// event) the `cogs` slots in them.
  private static func pieces(_ out: [UInt8], _ ends: (Int, Int, Int), lines: Int)
    -> (bytes: [UInt8], ends: (Int, Int, Int), cogs: CogsSlots?)
  {
    guard lines > 0 else { return (out, ends, nil) }
    // The empty strings are found by their member's bytes, each exactly once per line, in order
    // (canonical JSON escapes every quote inside a string, and the binary form has one object per
    // line).
    let slots = CogsSlots(
      canonical: offsets(of: canonicalSlot, in: out, 0..<ends.0, valueAt: 8),
      binary: offsets(of: binarySlot, in: out, ends.2..<out.count, valueAt: 6))
    return pieces(out, ends, slots: slots, lines: lines)
  }

  /// A shipment's pieces with their `cogs` slots: one per line in both forms, or else no pieces
  /// (the appender then writes the event from its data).
  private static func pieces(_ out: [UInt8], _ ends: (Int, Int, Int), slots: CogsSlots, lines: Int)
    -> (bytes: [UInt8], ends: (Int, Int, Int), cogs: CogsSlots?)
  {
    guard slots.canonical.count == lines, slots.binary.count == lines else { return ([], (0, 0, 0), nil) }
    return (out, ends, slots)
  }

  /// The preparation of an event read by the import's fast path (`EventRecordReader.fastEvent`,
  /// its key set as it will be appended), from the record's tape in `line`: the same pieces as
  /// `init(_:canonicalData:digits:)` makes of the event and its data's canonical text, written
  /// without the data's object (`TapeWriting`).
  ///
  /// The decoded event, type and key are moved out of `f` (`swap`), which is left with
  /// placeholders: copied, each of their strings was retained here and released again when the
  /// caller let go of `f`, about 4.5 % of the import's reading thread (the optimizer moved
  /// nothing out of an owned `f`).
  package init(taking f: inout EventRecordReader.FastEvent, line: [UInt8], tape: RecordTape, digits: Int) {
    var typed = Self.undecoded
    swap(&typed, &f.typed)
    var type = ""
    swap(&type, &f.type)
    var key: String? = nil
    swap(&key, &f.key)
    lookups = StateLookups(of: typed)
    self.digits = digits
    // (A shipment has lines: the catalogue requires one at least.)
    let lines = if case .shipped(let s) = typed { s.lines.count } else { 0 }
    let shipment = lines > 0
    var slots = CogsSlots(canonical: [], binary: [])
    // Where the data's canonical text lies in the pieces (not a shipment's: its slots are in).
    var dataText = 0..<0
    let (out, ends, atEnd) = line.withUnsafeBufferPointer { b in
      tape.entries.withUnsafeBufferPointer { entries in
        Self.write(type: type, at: f.at, atText: f.atText.map { UnsafeBufferPointer(rebasing: b[$0]) }, key: key, v: f.v) { w in
          if shipment {
            TapeWriting.canonical(b, entries, object: f.data, emptyCogsInLines: true, slots: &slots.canonical, &w)
          } else {
            let start = w.count
            w.bytes(UnsafeBufferPointer(rebasing: b[entries[f.data].text]))
            dataText = start..<w.count
          }
        } binaryData: { w in
          TapeWriting.binary(b, entries, object: f.data, emptyCogsInLines: shipment, slots: &slots.binary, &w)
        }
      }
    }
    (bytes, self.ends, cogs) = shipment ? Self.pieces(out, ends, slots: slots, lines: lines) : (out, ends, nil)
    self.atEnd = atEnd
    // The event's data is its canonical text where the pieces hold it (a slice: no copy).
    let data = shipment ? ArraySlice(Array(line[tape.entries[f.data].text])) : out[dataText]
    event = NewEvent(type: type, at: f.at, key: key, v: f.v, dataText: data)
    (decoded, decodes) = (typed, true)
  }

  /// `SalesDecider.decide` of the decoded event where it lies (a method, so that the event is
  /// lent from `self` rather than copied out of it). Only when it `decodes`.
  fileprivate func decide(_ ctx: DecideContext, _ s: SalesState) throws -> [SalesEvent] {
    try SalesDecider.decide(decoded, ctx, s)
  }

  /// Where the object lies, for `LogAppender.prefetchPrepared` (taken without retaining it).
  public var address: UInt { UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque()) }

  /// A shipment's data with `"cogs": ""` in every line, and the number of lines; nil when a line
  /// is not an object or has a `cogs` already (left to the general path).
  private static func withEmptyCogs(_ data: JSONObject) -> (JSONObject, Int)? {
    guard let lines = data["lines"]?.arrayValue, !lines.isEmpty else { return nil }
    var out = data
    var withSlots: [JSONValue] = []
    withSlots.reserveCapacity(lines.count)
    for l in lines {
      guard var o = l.objectValue, o["cogs"] == nil else { return nil }
      o["cogs"] = .string("")
      withSlots.append(.object(o))
    }
    out["lines"] = .array(withSlots)
    return (out, lines.count)
  }

  /// An empty `cogs` member in the canonical form, and in the binary one.
  private static let canonicalSlot = Array(#""cogs":""#.utf8)
  private static let binarySlot: [UInt8] = [4] + Array("cogs".utf8) + [EventCodec.stringTag, 0]

  /// The offsets (plus `valueAt`) of each occurrence of `pattern` within `range` of `bytes`.
  /// Candidates are found by their first byte with `memchr` and compared with `memcmp` (the
  /// generic slice comparison at every byte was 1.5 % of the import's reading thread, for
  /// shipments alone).
  static func offsets(of pattern: [UInt8], in bytes: [UInt8], _ range: Range<Int>, valueAt: Int) -> [Int] {
    var found: [Int] = []
    guard let first = pattern.first else { return found }
    bytes.withUnsafeBufferPointer { b in
      pattern.withUnsafeBufferPointer { p in
        guard let base = b.baseAddress, let pat = p.baseAddress else { return }
        var i = range.lowerBound
        while i + p.count <= range.upperBound {
          guard let hit = memchr(base + i, Int32(first), range.upperBound - p.count + 1 - i) else { break }
          i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
          if memcmp(base + i, pat, p.count) == 0 {
            found.append(i + valueAt)
            i += p.count
          } else {
            i += 1
          }
        }
      }
    }
    return found
  }

  /// The pieces with the cost of each of `lines` (every one has one) written into the `cogs`
  /// slots as `format(digits:)` writes it: the bytes the general path stores for the shipment
  /// with those costs written into its lines. Nil when the slots are not one per line, or a
  /// cost's text could be too long for the one length byte the binary slot has room for.
  func withCogs(_ lines: [ShippedLine], digits: Int) -> CogsPieces? {
    // (A text is at most a sign, 19 digits or a 0, a point and `digits` digits.)
    guard let cogs, lines.count == cogs.canonical.count, (0...100).contains(digits) else { return nil }
    return CogsPieces(prepared: self, lines: lines, digits: digits)
  }

  /// Written from the costs' digits (no String per line).
  struct CogsPieces: StoredPieces {
    let prepared: PreparedEvent
    let lines: [ShippedLine]
    let digits: Int

    private func text<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
      Money.withDecimal(lines[i].cogs!.minorUnits, places: digits, body)
    }

    func writeCanonicalHead(_ w: inout ByteWriter) {
      var from = 0
      for (i, at) in prepared.cogs!.canonical.enumerated() {
        prepared.write(from, at, &w)
        text(i) { w.bytes($0) }
        from = at
      }
      prepared.write(from, prepared.ends.0, &w)
    }
    func writeCanonicalTail(_ w: inout ByteWriter) { prepared.writeCanonicalTail(&w) }
    func writeBinaryAt(_ w: inout ByteWriter) { prepared.writeBinaryAt(&w) }
    func writeBinaryRest(_ w: inout ByteWriter) {
      var from = prepared.ends.2
      for (i, at) in prepared.cogs!.binary.enumerated() {
        prepared.write(from, at, &w)
        // (`withCogs` keeps each text under 128 bytes: its length fits the slot's one byte.)
        text(i) { EventCodec.putString(bytes: $0, &w) }
        from = at + 1  // past the empty string's length byte
      }
      prepared.write(from, prepared.bytes.count, &w)
    }
  }

  /// Whether the pieces were made.
  var hasPieces: Bool { !bytes.isEmpty }

  /// `body` with the canonical `{"at":…,"data":` of the event (`CanonicalPieces.atDataName`),
  /// which the events derived from it share, or with nil when the pieces were not made.
  func withAtDataName<R>(_ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
    guard hasPieces else { return try body(nil) }
    return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[..<atEnd])) }
  }

  /// The canonical form up to `"recorded":`.
  func writeCanonicalHead(_ w: inout ByteWriter) { write(0, ends.0, &w) }
  /// The canonical form after the seq.
  func writeCanonicalTail(_ w: inout ByteWriter) { write(ends.0, ends.1, &w) }
  /// The binary `at`.
  func writeBinaryAt(_ w: inout ByteWriter) { write(ends.1, ends.2, &w) }
  /// The binary form after `recorded`.
  func writeBinaryRest(_ w: inout ByteWriter) { write(ends.2, bytes.count, &w) }

  fileprivate func write(_ from: Int, _ to: Int, _ w: inout ByteWriter) {
    bytes.withUnsafeBufferPointer { w.bytes(UnsafeBufferPointer(rebasing: $0[from..<to])) }
  }
}

/// The command-side state of one store kept in memory between write transactions (an import
/// that commits every N records), with the chain head it is the state at. A transaction takes it
/// only when the store's head is still that one (no other writer came in between) and gives it
/// back only once committed; a failed transaction drops it. Its loader reads through whichever
/// transaction holds it.
public final class AppendSession {
  private var kept: KeptState?

  public init() {}

  func take() -> KeptState? {
    defer { kept = nil }
    return kept
  }

  func keep(_ kept: KeptState) { self.kept = kept }
}

/// A command-side state, the chain head it is the state at, and where its loader reads.
struct KeptState {
  var state: SalesState
  var head: ChainHead
  var reader: StateReader
}

/// Where a `SalesState`'s loader reads from: the write transaction in progress (nil between
/// transactions), and what it knows of that transaction's state table.
final class StateReader {
  var txn: WriteTransaction? {
    didSet { forgetLastIDs() }
  }
  /// Per kind (at `StateKind.index`), the greatest id the state table holds, once looked up:
  /// nil when not looked up yet, an empty `LastID` when the table has none of that kind.
  private var lastIDs: [LastID?] = Array(repeating: nil, count: StateKind.allCases.count)

  struct LastID {
    var bytes: [UInt8]?
  }

  init(_ txn: WriteTransaction?) { self.txn = txn }

  /// To be called whenever the state table is written (`StateTable.flush`).
  func forgetLastIDs() {
    for i in lastIDs.indices { lastIDs[i] = nil }
  }

  /// Whether `id` sorts after every id of its kind in the state table, so that it is not there:
  /// a new order, invoice or payment numbered after the last one needs no search of the table
  /// (most of the lookups an import makes miss, one per new document). Exact, not a guess: the
  /// bound is the table's greatest key, looked up once per kind and transaction and again after
  /// every write-back.
  func isBeyondLast(_ kind: StateKind, _ id: String, _ txn: WriteTransaction, _ db: Database) throws -> Bool {
    let i = kind.index
    if lastIDs[i] == nil { lastIDs[i] = try Self.lastID(kind, txn, db) }
    guard let last = lastIDs[i]?.bytes else { return true }
    var id = id
    return id.withUTF8 { u in
      last.withUnsafeBytes { l in
        let n = min(u.count, l.count)
        let c = n == 0 ? 0 : memcmp(u.baseAddress!, l.baseAddress!, n)
        return c != 0 ? c > 0 : u.count > l.count
      }
    }
  }

  /// The greatest id of `kind` in the state table (keys are the kind's name, a zero byte, the
  /// id): the last key before the name followed by byte 1.
  private static func lastID(_ kind: StateKind, _ txn: WriteTransaction, _ db: Database) throws -> LastID {
    let name = Array(kind.rawValue.utf8)
    var found = LastID(bytes: nil)
    try txn.scan(db, from: name + [1], reverse: true) { k, _ in
      if k.count > name.count, k[name.count] == 0, k.prefix(name.count).elementsEqual(name) {
        found.bytes = Array(k[(name.count + 1)...])
      }
      return false
    }
    return found
  }
}

/// How `append` treats its events.
public enum AppendMode: Sendable {
  /// Decide each primary event against the state, derive, and fold (the normal path).
  case decide
  /// Store the events as given and fold them into the state, with no rules and no derived
  /// events (what a storage benchmark or test wants to measure or set up).
  case trusted
}

/// Appends events inside one write transaction, carrying the chain head and the command-side
/// state along.
public struct LogAppender {
  let store: EventStore
  let txn: WriteTransaction
  let recorded: Instant
  let mode: AppendMode
  /// False only for the benchmark's bare-log measurement (`appendLogOnly`).
  var foldsState = true
  /// The store's money digits and default payment terms, read once (not per event).
  private let digits: Int
  private let termsDays: Int64
  /// Business dates in the store's timezone, its offset looked up once per hour of events
  /// (Foundation's lookup per event, with its lock, was 1.3 % of an import's appending thread's
  /// instructions).
  private var dates: StoreTimeZone.DateCache
  /// The state the deciders read, loaded from LMDB on demand; written back by `finish`.
  let sales: SalesState
  /// The transaction `sales` reads through.
  let stateReader: StateReader
  /// The seq of the last event appended, and the chain's hash there. While an `EncodingThread`
  /// encodes (`encodeOnSecondThread`), `head.seq` counts the events decided and `head.hash` is
  /// the hash of the last event put: `finish` makes it the hash at `head.seq`.
  public private(set) var head: ChainHead
  /// Encodes and hashes each event on this thread, unless `encoding` does.
  private var encoder: EventEncoder
  /// The second thread's runs, after `encodeOnSecondThread`.
  private var encoding: EncodingPipeline?
  /// The last event put into LMDB (below `head.seq` while runs are out on `encoding`).
  private var stored: ChainHead
  private var seqKey = [UInt8](repeating: 0, count: 8)

  /// - Parameter kept: a state kept from an earlier transaction (`AppendSession`), used when
  ///   the store's head is still the one it is the state at.
  init(
    store: EventStore, txn: WriteTransaction, recorded: Instant, mode: AppendMode = .decide,
    kept: KeptState? = nil
  ) throws {
    self.store = store
    self.txn = txn
    self.recorded = recorded
    self.mode = mode
    digits = store.metadata.moneyDigits
    termsDays = Int64(store.metadata.paymentTermsDays)
    dates = StoreTimeZone.DateCache(store.zone)
    head = try EventStore.readHead { [txn, meta = store.meta] in try txn.get(meta, $0) }
    stored = head
    encoder = EventEncoder(recorded: recorded, digits: digits, head: head)
    if let kept, kept.head == head {
      // Nothing was appended since the state was kept: it is the state at this head.
      sales = kept.state
      stateReader = kept.reader
      stateReader.txn = txn
    } else {
      stateReader = StateReader(txn)
      sales = StateTable.state(stateReader, store.state)
    }
  }

  /// From here on, decided events are encoded and hashed on a thread of their own
  /// (`EncodingThread`) a run at a time, and put into LMDB here when the next run is handed
  /// over (and by `finish`): what a long import wants. The log is the same, byte for byte.
  public mutating func encodeOnSecondThread() {
    encodeOnSecondThread(runLength: EncodingThread.runLength, runsOut: EncodingThread.runsOut)
  }

  /// How many primary events after one is appended `encodeOnSecondThread` may still hold it (its
  /// event and preparation): the runs out on the thread and the run being filled.
  public static let eventsHeldByEncoding = (EncodingThread.runsOut + 1) * EncodingThread.runLength

  /// `encodeOnSecondThread()` with runs of `runLength` primaries, at most `runsOut` out.
  mutating func encodeOnSecondThread(runLength: Int, runsOut: Int) {
    guard encoding == nil else { return }
    encoding = EncodingPipeline(encoder: encoder, runLength: runLength, runsOut: runsOut)
  }

  /// Appends one primary event with the events derived from it, or reports the seq of the
  /// identical event already under its key. `index` only labels errors (its position in the
  /// caller's batch). A refused event leaves nothing behind: deciding writes nothing.
  public mutating func append(_ e: NewEvent, index: Int = 0) throws -> AppendOutcome {
    try append(key: e.key, at: e.at, event: { e }, prepared: nil, index: index)
  }

  /// `append(prepared.event)`, with the work its preparation did ahead (the import's, on its
  /// reading thread); a preparation for other money digits than the store's is not used. The
  /// event is read where it is in its preparation: its strings and data were made on the
  /// reading thread, and each copy of it here (one to append, one for the encoding thread) had
  /// retained them, a cache miss apiece. The encoding thread takes it from the preparation.
  public mutating func append(prepared: PreparedEvent, index: Int = 0) throws -> AppendOutcome {
    guard prepared.digits == digits else { return try append(prepared.event, index: index) }
    return try append(
      key: prepared.event.key, at: prepared.event.at, event: { prepared.event }, prepared: prepared, index: index)
  }

  /// `append` of the event `event()` gives, whose key and business time are `key` and `at`
  /// (asked for only where the event itself is needed: a key already taken, no preparation).
  private mutating func append(
    key: String?, at: BusinessTime, event: () -> NewEvent, prepared: PreparedEvent?, index: Int
  ) throws -> AppendOutcome {
    if let key {
      // The key is indexed under the seq the event will get, in the same search that finds it
      // already there; a refusal below takes it out again.
      SeqKey.set(head.seq + 1, in: &seqKey)
      // The key's own UTF-8 (copying it into a buffer first was 1 % of the appending thread).
      var text = key
      let (txn, keys, seqKey) = (txn, store.keys, seqKey)
      if let existing = try text.withUTF8({ try txn.insertNew(keys, key: UnsafeRawBufferPointer($0), seqKey) }) {
        let seq = existing.withUnsafeBytes { SeqKey.decode($0) } ?? 0
        // (An event of this transaction may still be on the encoding thread.)
        if seq > stored.seq { try drain() }
        let there = try txn.withValue(store.events, SeqKey.encode(seq)) { buf in
          try? EventCodec.decode(buf, seq: seq)
        }
        if let there, let there, event().samePayload(as: there) { return .existing(seq) }
        throw StoreError.keyConflict(index: index, key: key, existingSeq: seq)
      }
    }
    do {
      return try appendNew(at: at, event: event, prepared: prepared, index: index)
    } catch let error as StoreError {
      guard let key else { throw error }
      switch error {
      case .refused, .rejected:
        // The transaction goes on (an import skipping invalid records): the key must go.
        try txn.delete(store.keys, Array(key.utf8))
      default:
        // LMDB failed: the transaction is lost anyway; its own error is the one to report.
        try? txn.delete(store.keys, Array(key.utf8))
      }
      throw error
    }
  }

  /// `append` of an event whose key (if any) is indexed already.
  private mutating func appendNew(
    at: BusinessTime, event: () -> NewEvent, prepared: PreparedEvent?, index: Int
  ) throws -> AppendOutcome {
    guard mode == .decide else {
      let e = event()
      if foldsState { try store.fold(type: e.type, v: e.v, data: e.data, into: sales) }
      if let encoding {
        head.seq += 1
        if encoding.add(.asGiven(e)) { try encoding.cycle { try put($0) } }
        return .appended(head.seq)
      }
      return .appended(try put(JSONPieces(type: e.type, at: e.at, key: e.key, v: e.v, data: e.data)))
    }
    var decided: [SalesEvent]
    do {
      let ctx = DecideContext(
        at: at, date: dates.date(of: at), digits: digits, defaultTermsDays: termsDays)
      // Decided where it lies in its preparation (borrowed: copying it out retained each of its
      // strings and arrays, and destroying the copy released them).
      if let prepared, prepared.decodes {
        decided = try prepared.decide(ctx, sales)
      } else {
        decided = try SalesDecider.decide(SalesEvent(primary: event(), digits: digits), ctx, sales)
      }
    } catch let error as EventInputError {
      throw StoreError.rejected(index: index, error)
    } catch let error as DomainError {
      throw StoreError.refused(index: index, error)
    }
    // (Folded before the events are stored: neither reads what the other writes.)
    try SalesDecider.evolve(sales, each: &decided, defaultTermsDays: termsDays)
    if let encoding {
      let seq = head.seq + 1
      head.seq += UInt64(decided.count)
      // (Made in the call: a local entry was copied into the run, and destroyed here.)
      if encoding.add(prepared.map { .prepared($0, decided) } ?? .decided(event(), decided)) {
        try encoding.cycle { try put($0) }
      }
      return .appended(seq)
    }
    var putter = takePutter()
    defer { seqKey = putter.seqKey }
    // (The event read where it lies in its preparation, as the encoding thread reads it.)
    let seq =
      if let prepared {
        try encoder.encode(prepared, decided) { seq, record in try putter.put(seq, UnsafeRawBufferPointer(record)) }
      } else {
        try encoder.encode(event(), nil, decided) { seq, record in try putter.put(seq, UnsafeRawBufferPointer(record)) }
      }
    head = encoder.head
    stored = head
    return .appended(seq)
  }

  /// Prefetches what deciding an event will read first (`SalesState.lookupAddresses`): step 0
  /// for an event about 16 ahead of the one being appended, step 1 for one about 8 ahead.
  public func prefetchLookups(_ lookups: StateLookups, step: Int) {
    guard foldsState else { return }
    sales.lookupAddresses(lookups, step: step) { prefetch(address: $0) }
  }

  /// Prefetches the first bytes of a preparation (`PreparedEvent.address`) a few events before
  /// it is appended: an object of its own, its first read was a cache miss.
  public func prefetchPrepared(at address: UInt) {
    guard address != 0 else { return }
    for line in 0..<5 { prefetch(address: address &+ UInt(line * 64)) }
  }

  /// Appends `events` in order; `index` in errors is the position in `events`.
  public mutating func append(contentsOf events: [NewEvent]) throws -> [AppendOutcome] {
    var outcomes: [AppendOutcome] = []
    outcomes.reserveCapacity(events.count)
    for (i, e) in events.enumerated() { outcomes.append(try append(e, index: i)) }
    return outcomes
  }

  /// Encodes, hashes and stores one event at the next seq.
  private mutating func put<P: StoredPieces>(_ pieces: P) throws -> UInt64 {
    var putter = takePutter()
    defer { seqKey = putter.seqKey }
    let seq = try encoder.encode(pieces) { seq, record in try putter.put(seq, UnsafeRawBufferPointer(record)) }
    head = encoder.head
    stored = head
    return seq
  }

  /// Puts the records of a run the encoding thread has finished.
  private mutating func put(_ run: EncodedRun) throws {
    guard let first = run.firstSeq else { return }
    precondition(first == stored.seq + 1, "LogAppender: an encoded run out of order")
    var putter = takePutter()
    defer { seqKey = putter.seqKey }
    try run.records.withUnsafeBytes { records in
      var start = 0
      for (i, end) in run.ends.enumerated() {
        try putter.put(first + UInt64(i), UnsafeRawBufferPointer(rebasing: records[start..<end]))
        start = end
      }
    }
    stored = run.head
  }

  /// Puts records into the events table at their seqs: the transaction, the table and the
  /// appender's key buffer, taken out of the appender (`takePutter`; the caller puts `seqKey`
  /// back) so that a closure can use them while the appender's encoder changes (a copy of the
  /// buffer would be a new array per event).
  private struct RecordPutter {
    let txn: WriteTransaction
    let events: Database
    var seqKey: [UInt8]

    mutating func put(_ seq: UInt64, _ record: UnsafeRawBufferPointer) throws {
      SeqKey.set(seq, in: &seqKey)
      try txn.put(events, seqKey, record, append: true)
    }
  }

  private mutating func takePutter() -> RecordPutter {
    var key: [UInt8] = []
    swap(&key, &seqKey)
    return RecordPutter(txn: txn, events: store.events, seqKey: key)
  }

  /// Puts every event decided so far (the encoding thread's runs, if any); then `head` is the
  /// chain's head.
  private mutating func drain() throws {
    guard let encoding else { return }
    try encoding.cycle(all: true) { try put($0) }
    precondition(stored.seq == head.seq, "LogAppender: events decided but not encoded")
    head = stored
  }

  /// Keeps a long transaction's memory flat: when the in-memory state holds more than
  /// `cacheLimit` records, writes the changed ones into the transaction and forgets them all
  /// (later reads go through LMDB again). Below the limit it does nothing: `finish` writes each
  /// changed record once, however often it changed (writing them back at every call had been
  /// 13 % of an import's deciding thread). The default limit was 200,000: twice that trims half
  /// as often, and fewer hot records are written back and read again. That made the million-line
  /// import 3.5 % faster for 31 MiB more peak memory with `--commit-every` (BENCHMARKS.md,
  /// issue 4, run 10). At 400,000, 5 M primary events trimmed twelve times and read many hot
  /// records (open orders and invoices, customers, stock) back after each trim; 700,000 holds
  /// more of them: the 5 M import 19.3 → 17.0 s and the million 4 % faster, for 60 MiB more peak
  /// memory at 5 M and 6 MiB at 1 M in one transaction (run 18).
  public func checkpoint(cacheLimit: Int = 700_000) throws {
    guard foldsState, sales.cachedCount > cacheLimit else { return }
    try StateTable.flush(sales, stateReader, store.state)
    sales.evict()
  }

  mutating func finish() throws {
    try drain()
    if foldsState { try StateTable.flush(sales, stateReader, store.state) }
    try txn.put(store.meta, Array("head".utf8), SeqKey.encode(head.seq) + head.hash)
  }
}

extension EventStore {
  /// Folds a stored event into `state` (restore, trusted appends, verify's replay). Data that
  /// does not decode as its type (only possible through the trusted API) changes nothing.
  func fold(_ e: EventEnvelope, into state: SalesState) throws {
    try fold(type: e.type, v: e.v, data: e.data, into: state)
  }

  func fold(type: String, v: Int, data: JSONObject, into state: SalesState) throws {
    guard let typed = typedEvent(type: type, v: v, data: data) else { return }
    try SalesDecider.evolve(state, typed, defaultTermsDays: Int64(metadata.paymentTermsDays))
  }
}

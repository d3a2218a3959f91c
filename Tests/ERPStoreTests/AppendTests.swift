import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

@Suite("Appending and reading back")
struct AppendTests {
  @Test func seqsAreGaplessAcrossBatchesAndEventsReadBackUnchanged() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try makeStore(dir)
    let first = [orderEvent(1, key: "a"), caseEvent(2), orderEvent(3, key: "c")]
    let second = (4...8).map { $0 % 2 == 0 ? caseEvent($0, key: "k\($0)") : orderEvent($0) }
    let t1 = Instant(seconds: 1_795_000_000, nanoseconds: 1_000_000)
    let t2 = Instant(seconds: 1_795_000_060, nanoseconds: 0)
    var clockCalls = 0
    let o1 = try s.appendTrusted(first) {
      clockCalls += 1
      return t1
    }
    #expect(clockCalls == 1)
    let o2 = try s.appendTrusted(second) { t2 }
    #expect(o1 == [.appended(1), .appended(2), .appended(3)])
    #expect(o2 == (4...8).map { AppendOutcome.appended(UInt64($0)) })
    #expect(try s.count() == 8)

    let appended = first + second
    for (i, e) in appended.enumerated() {
      let seq = UInt64(i + 1)
      let stored = try #require(try s.event(seq))
      #expect(stored.seq == seq)
      #expect(stored.type == e.type)
      #expect(stored.at == e.at)
      #expect(stored.key == e.key)
      #expect(stored.v == e.v)
      #expect(stored.data == e.data)
      #expect(stored.recorded == (i < 3 ? t1 : t2))
      #expect(stored.hash.count == 32)
    }
    #expect(try s.event(0) == nil)
    #expect(try s.event(9) == nil)

    let scanned = try allEvents(s)
    #expect(scanned.map(\.seq) == Array(1...8))
    #expect(scanned.map(\.type) == appended.map(\.type))
    #expect(scanned.map(\.data) == appended.map(\.data))
    #expect(scanned.map(\.key) == appended.map(\.key))
    #expect(scanned.map(\.at) == appended.map(\.at))
    #expect(try scanned.map { try s.event($0.seq) } == scanned)

    // forEach from the middle, and stopping early.
    var seen: [UInt64] = []
    try s.forEach(from: 5) { e in
      seen.append(e.seq)
      return e.seq < 7
    }
    #expect(seen == [5, 6, 7])

    // The head names the last event and its hash.
    #expect(try s.head() == ChainHead(seq: 8, hash: scanned[7].hash))
  }

  @Test func emptyBatchAppendsNothing() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try makeStore(dir)
    #expect(try appendAll(s, []) == [])
    #expect(try s.count() == 0)
    #expect(try s.head() == .genesis)
  }

  @Test func sameKeySamePayloadIsExistingAndAppendsNothing() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try appendAll(s, [orderEvent(1, key: "k1"), orderEvent(2, key: "k2"), orderEvent(3)])
    let headBefore = try s.head()
    let again = try s.appendTrusted([orderEvent(2, key: "k2"), orderEvent(1, key: "k1")]) {
      Instant(seconds: 1_900_000_000)
    }
    #expect(again == [.existing(2), .existing(1)])
    #expect(try s.count() == 3)
    #expect(try s.head() == headBefore)
    // The original is untouched (its recorded time is the first append's).
    #expect(try s.event(2)?.recorded == fixedInstant)
    #expect(try s.verify().ok)
  }

  @Test func existingAndNewEventsMixInOneBatch() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try appendAll(s, [orderEvent(1, key: "k1")])
    let out = try appendAll(s, [orderEvent(5, key: "k5"), orderEvent(1, key: "k1"), orderEvent(6)])
    #expect(out == [.appended(2), .existing(1), .appended(3)])
    #expect(try s.count() == 3)
    #expect(try s.verify().ok)
  }

  @Test(arguments: [
    ("data", orderEvent(1, key: "k2", qty: 4)),
    ("type", NewEvent(type: "ServiceCaseOpened", at: orderEvent(2).at, key: "k2", data: orderEvent(2).data)),
    ("at", NewEvent(type: "OrderConfirmed", at: .date(CivilDate(daysSinceEpoch: 20_000)), key: "k2", data: orderEvent(2).data)),
    ("v", NewEvent(type: "OrderConfirmed", at: orderEvent(2).at, key: "k2", v: 2, data: orderEvent(2).data)),
  ])
  func sameKeyDifferentPayloadInTheMiddleOfABatchAppendsNothing(
    what: String, conflicting: NewEvent
  ) throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try appendAll(s, [orderEvent(1, key: "k1"), orderEvent(2, key: "k2")])
    let before = try exportLines(s)
    let headBefore = try s.head()
    let batch = [orderEvent(10, key: "new-1"), orderEvent(11), conflicting, orderEvent(12, key: "new-2")]
    #expect(throws: StoreError.keyConflict(index: 2, key: "k2", existingSeq: 2), "differs in \(what)") {
      try appendAll(s, batch)
    }
    #expect(try s.count() == 2)
    #expect(try s.head() == headBefore)
    #expect(try exportLines(s) == before)
    // The keys of the refused batch were not indexed: appending them now gives new seqs.
    #expect(try appendAll(s, [orderEvent(10, key: "new-1"), orderEvent(12, key: "new-2")]) == [
      .appended(3), .appended(4),
    ])
    #expect(try s.verify().ok)
  }

  @Test func twoIdenticalKeyedEventsInOneBatchAppendOnce() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try makeStore(dir)
    let out = try appendAll(s, [orderEvent(1, key: "dup"), orderEvent(2), orderEvent(1, key: "dup")])
    #expect(out == [.appended(1), .appended(2), .existing(1)])
    #expect(try s.count() == 2)
    #expect(try s.verify().ok)
  }

  @Test func twoDifferentEventsUnderOneKeyInOneBatchConflict() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try appendAll(s, [orderEvent(0)])
    let error = #expect(throws: StoreError.self) {
      try appendAll(s, [orderEvent(1, key: "dup"), orderEvent(2, key: "dup")])
    }
    guard case .keyConflict(let index, let key, _)? = error else {
      Issue.record("expected keyConflict, got \(String(describing: error))")
      return
    }
    #expect(index == 1)
    #expect(key == "dup")
    #expect(try s.count() == 1)
    #expect(try s.head().seq == 1)
  }

  @Test func unkeyedEventsAreNeverDeduplicated() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try makeStore(dir)
    #expect(try appendAll(s, [orderEvent(1), orderEvent(1)]) == [.appended(1), .appended(2)])
    #expect(try appendAll(s, [orderEvent(1)]) == [.appended(3)])
  }

  @Test func withAppenderAppendsLikeAppend() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try makeStore(dir)
    let outcomes = try s.withAppender(clock: { fixedInstant }, mode: .trusted) { log in
      [try log.append(orderEvent(1, key: "x")), try log.append(orderEvent(1, key: "x"))]
    }
    #expect(outcomes == [.appended(1), .existing(1)])
    #expect(try s.head().seq == 1)
    #expect(try s.verify().ok)
  }
}

@Suite("Store-written fields and idempotency")
struct StoreWrittenIdempotencyTests {
  @Test func aTrustedShippedWithCOGSAppendedTwiceIsExisting() throws {
    let dir = try TemporaryDirectory("erpctl-store")
    defer { dir.remove() }
    let s = try makeStore(dir)
    let data: JSONValue = [
      "order": "SO-1", "shipment": "SH-1", "lines": [["sku": "A1", "qty": 2, "cogs": "14.00"]],
    ]
    let e = NewEvent(type: "Shipped", at: .date(CivilDate(year: 2026, month: 11, day: 5)!), key: "sh-1",
      data: data.objectValue ?? JSONObject())
    #expect(try s.appendTrusted([e], clock: { fixedInstant }) == [.appended(1)])
    #expect(try s.appendTrusted([e], clock: { fixedInstant }) == [.existing(1)])
  }
}

@Suite("Checkpoints inside one long transaction")
struct CheckpointTests {
  /// Appends `events` in one transaction, calling `checkpoint(cacheLimit:)` every `every` events.
  func importInOne(_ events: [NewEvent], every: Int, cacheLimit: Int, _ dir: TemporaryDirectory) throws
    -> EventStore
  {
    let s = try makeStore(dir)
    try s.withAppender(clock: { fixedInstant }) { log in
      for (i, e) in events.enumerated() {
        _ = try log.append(e, index: i)
        if (i + 1) % every == 0 { try log.checkpoint(cacheLimit: cacheLimit) }
      }
    }
    return s
  }

  /// An eviction forgets the cached state after writing it back; the decisions after it read the
  /// state from LMDB again. The log must be the one appended with no checkpoints at all, and the
  /// stored state the one a replay builds (`verify`).
  @Test(arguments: [(every: 37, cacheLimit: 0), (every: 500, cacheLimit: 50), (every: 100, cacheLimit: 1_000_000)])
  func checkpointsChangeNothingStored(every: Int, cacheLimit: Int) throws {
    let events = try generatedHistory(months: 6, customers: 60, reps: 3, products: 12, seed: 11)
    #expect(events.count > 1_000)
    let dir = try TemporaryDirectory("erpctl-checkpoints")
    defer { dir.remove() }
    let s = try importInOne(events, every: every, cacheLimit: cacheLimit, dir)
    #expect(try exportLines(s) == plainLog(events))
    #expect(try s.verify().ok)
  }
}

/// The log `EventStore.append` writes for `events` in one call, as exported: what the ways of
/// appending below must write too.
func plainLog(_ events: [NewEvent]) throws -> [String] {
  let dir = try TemporaryDirectory("erpctl-plain")
  defer { dir.remove() }
  let plain = try makeStore(dir)
  _ = try plain.append(events, clock: { fixedInstant })
  return try exportLines(plain)
}

@Suite("Primary events prepared ahead")
struct PreparedAheadTests {
  /// The import prepares each primary on its reading thread (decoded, data encoded) and hands
  /// it to `append(prepared:index:)`; the log must be the one `append` writes when it does that
  /// work itself, shipments whose `cogs` the store writes included. A preparation for other
  /// money digits is ignored.
  @Test(arguments: [false, true])
  func preparedAheadAppendsTheSameLog(otherDigits: Bool) throws {
    let events = try generatedHistory(months: 2, customers: 30, reps: 3, products: 10, seed: 5)
    let dir = try TemporaryDirectory("erpctl-typed")
    defer { dir.remove() }
    let s = try makeStore(dir)
    let digits = s.metadata.moneyDigits
    try s.withAppender(clock: { fixedInstant }) { log in
      for (i, e) in events.enumerated() {
        _ = try log.append(prepared: PreparedEvent(e, digits: otherDigits ? digits + 1 : digits), index: i)
      }
    }
    #expect(events.contains { $0.type == "Shipped" })
    #expect(try exportLines(s) == plainLog(events))
  }
}

@Suite("Idempotency keys of refused events")
struct RefusedKeyTests {
  func customer(_ id: String, key: String) -> NewEvent {
    let data: JSONValue = ["customer": .string(id), "name": "华东贸易", "region": "east", "channel": "direct"]
    return NewEvent(type: "CustomerRegistered", at: .date(CivilDate(year: 2026, month: 11, day: 2)!), key: key,
      data: data.objectValue ?? JSONObject())
  }

  /// The appender indexes a key in the search that looks for it and takes it out when the event
  /// is refused: a transaction that goes on (an import skipping invalid records) may use the key
  /// again, and the index names exactly the stored events (`verify`).
  @Test func aRefusedKeyedEventLeavesItsKeyFree() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try makeStore(dir)
    let refused = orderEvent(1, key: "k")  // its customer is not registered
    let outcomes = try s.withAppender(clock: { fixedInstant }) { log -> [AppendOutcome] in
      var out: [AppendOutcome] = []
      for _ in 0..<2 {
        do {
          out.append(try log.append(refused))
          Issue.record("an order of an unknown customer was appended")
        } catch StoreError.refused {}
      }
      out.append(try log.append(customer("C-1", key: "k")))
      out.append(try log.append(customer("C-1", key: "k")))
      do {
        _ = try log.append(customer("C-2", key: "k"))
        Issue.record("a different event under a used key was appended")
      } catch StoreError.keyConflict(_, let key, let seq) {
        #expect(key == "k" && seq == 1)
      }
      return out
    }
    #expect(outcomes == [.appended(1), .existing(1)])
    #expect(try s.count() == 1)
    #expect(try s.verify().ok)
  }
}

@Suite("State kept between transactions")
struct AppendSessionTests {
  static func event(_ line: String) throws -> NewEvent {
    try EventRecordReader(moneyDigits: 2).newEvent(Array(line.utf8))
  }

  /// Batches in their own transactions with the state kept in memory between them give the log
  /// and the stored state of batches that each read the state from LMDB.
  @Test(arguments: [7, 250])
  func aKeptStateAppendsWhatAFreshOneDoes(batch: Int) throws {
    let events = try generatedHistory(months: 3, customers: 40, reps: 3, products: 12, seed: 23)
    func run(_ session: AppendSession?, _ dir: TemporaryDirectory) throws -> EventStore {
      let s = try makeStore(dir)
      var i = 0
      while i < events.count {
        let chunk = events[i..<min(i + batch, events.count)]
        try s.withAppender(clock: { fixedInstant }, session: session) { log in
          for e in chunk { _ = try log.append(e) }
          try log.checkpoint(cacheLimit: 100)
        }
        i += batch
      }
      return s
    }
    let plainDir = try TemporaryDirectory("erpctl-plain")
    defer { plainDir.remove() }
    let dir = try TemporaryDirectory("erpctl-session")
    defer { dir.remove() }
    let plain = try run(nil, plainDir)
    let kept = try run(AppendSession(), dir)
    #expect(try exportLines(kept) == exportLines(plain))
    #expect(try kept.verify().ok)
  }

  /// Another writer between two transactions of a session changes the state under it: the next
  /// transaction must not decide on the kept copy (here: stock reserved by the other writer).
  @Test func aStateKeptBeforeAnotherWriterIsNotUsed() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try makeStore(dir)
    let session = AppendSession()
    let setup = try [
      #"{"type":"CustomerRegistered","at":"2026-11-02","data":{"customer":"C-1","name":"甲","region":"east","channel":"direct"}}"#,
      #"{"type":"RepRegistered","at":"2026-11-02","data":{"rep":"R-1","name":"乙","team":"t","region":"east"}}"#,
      #"{"type":"ProductDefined","at":"2026-11-02","data":{"sku":"A1","name":"丙","line":"l","list_price":"10.00"}}"#,
      #"{"type":"StockReceived","at":"2026-11-02","data":{"sku":"A1","qty":5,"unit_cost":"4.00"}}"#,
    ].map(Self.event)
    func order(_ id: String) throws -> NewEvent {
      try Self.event(
        #"{"type":"OrderConfirmed","at":"2026-11-03","data":{"order":"\#(id)","customer":"C-1","rep":"R-1","lines":[{"sku":"A1","qty":5,"unit_price":"10.00"}]}}"#)
    }
    try s.withAppender(clock: { fixedInstant }, session: session) { log in
      for e in setup { _ = try log.append(e) }
    }
    // The other writer takes the five in stock.
    try s.withAppender(clock: { fixedInstant }) { log in _ = try log.append(order("SO-1")) }
    #expect(throws: StoreError.self) {
      try s.withAppender(clock: { fixedInstant }, session: session) { log in _ = try log.append(order("SO-2")) }
    }
    #expect(try s.verify().ok)
  }
}

@Suite("Encoding on a second thread")
struct EncodingThreadTests {
  /// A generated history with a key on every event, some events repeated (the same key and
  /// payload: already there) and one key reused with another payload (a conflict).
  static func keyedHistory() throws -> [NewEvent] {
    var events = try generatedHistory(months: 8, customers: 80, reps: 3, products: 12, seed: 31)
    for i in events.indices { events[i].key = "k\(i)" }
    // Repeats of events a few runs back (encoded and put already), of the event just before
    // (still in the run being filled) and one just put, all inside the transaction.
    for (at, of) in [(600, 17), (601, 600), (900, 899), (1_200, 1_100)] {
      events.insert(events[of], at: at)
    }
    var conflict = events[300]
    conflict.data["note"] = .string("another payload")
    events.insert(conflict, at: 700)
    return events
  }

  /// What each append returned (or the conflict it threw), the log and the head, with the
  /// encoding thread's run sizes (nil: on the appending thread). `mode: .trusted` stores the
  /// events as given, folding them into the state only if `folds`.
  func append(
    _ events: [NewEvent], runs: (length: Int, out: Int)?, prepared: Bool, mode: AppendMode = .decide,
    folds: Bool = true
  ) throws -> (outcomes: [String], log: [String], head: ChainHead) {
    let dir = try TemporaryDirectory("erpctl-encoding")
    defer { dir.remove() }
    let s = try makeStore(dir)
    let digits = s.metadata.moneyDigits
    let outcomes = try s.withAppender(clock: { fixedInstant }, mode: mode) { log -> [String] in
      log.foldsState = folds
      if let runs { log.encodeOnSecondThread(runLength: runs.length, runsOut: runs.out) }
      var out: [String] = []
      for (i, e) in events.enumerated() {
        do {
          let p = prepared && i % 2 == 0 ? PreparedEvent(e, digits: digits) : nil
          out.append("\(try p.map { try log.append(prepared: $0, index: i) } ?? log.append(e, index: i))")
        } catch let error as StoreError {
          out.append("\(error)")
        }
        if i % 250 == 0 { try log.checkpoint(cacheLimit: 100) }
      }
      return out
    }
    // (Without the state folded, `verify` finds the stored state behind the log.)
    if folds { #expect(try s.verify().ok) }
    return (outcomes, try exportLines(s), try s.head())
  }

  /// The same outcomes, the same log byte for byte (hashes included) and the same head as when
  /// each event is encoded on the appending thread: with runs of one primary and one out (the
  /// appending thread waits at every event), with short runs, and with the import's.
  @Test(arguments: [(1, 1), (3, 2), (64, 4), (EncodingThread.runLength, EncodingThread.runsOut)])
  func theSameLogAsEncodingInPlace(length: Int, out: Int) throws {
    let events = try Self.keyedHistory()
    #expect(events.count > 1_500)
    let plain = try append(events, runs: nil, prepared: true)
    let threaded = try append(events, runs: (length, out), prepared: true)
    #expect(plain.outcomes.filter { $0.hasPrefix("existing") }.count == 4)
    #expect(plain.outcomes.filter { $0.contains("with a different payload") }.count == 1)
    #expect(threaded.outcomes == plain.outcomes)
    #expect(threaded.log == plain.log)
    #expect(threaded.head == plain.head)
  }

  /// Events stored as given (`AppendMode.trusted`: the bench's no-rules append, with the state
  /// folded or not) go through the thread the same way.
  @Test(arguments: [true, false])
  func eventsStoredAsGivenTheSameLog(folds: Bool) throws {
    let events = try Self.keyedHistory()
    let plain = try append(events, runs: nil, prepared: false, mode: .trusted, folds: folds)
    let threaded = try append(events, runs: (3, 2), prepared: false, mode: .trusted, folds: folds)
    #expect(plain.outcomes.filter { $0.hasPrefix("existing") }.count == 4)
    #expect(threaded.outcomes == plain.outcomes)
    #expect(threaded.log == plain.log)
    #expect(threaded.head == plain.head)
  }
}

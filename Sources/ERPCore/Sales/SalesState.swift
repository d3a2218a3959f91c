import Foundation

/// The key of one state record.
public struct StateKey: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var kind: StateKind
  public var id: String

  public init(_ kind: StateKind, _ id: String) {
    self.kind = kind
    self.id = id
  }

  // Ids compare by their bytes, as LMDB keys do (not by Unicode canonical equivalence).
  public static func == (a: StateKey, b: StateKey) -> Bool {
    a.kind == b.kind && StateID.sameBytes(a.id, b.id)
  }
  // String's hash follows canonical equivalence, which byte equality refines: equal keys hash
  // alike.
  public func hash(into h: inout Hasher) {
    h.combine(kind)
    h.combine(id)
  }
  public static func < (a: StateKey, b: StateKey) -> Bool {
    a.kind != b.kind ? a.kind.rawValue < b.kind.rawValue : StateID.bytesPrecede(a.id, b.id)
  }
  public var description: String { "\(kind.rawValue):\(id)" }
}

/// The id of a record within its kind: compared by its bytes, as LMDB keys are (see `StateKey`),
/// and hashed by `FastHash` in dictionaries (the command-side state and the sales fold's orders
/// and invoices probe them millions of times). Byte equality is also what a replay of the sales
/// projection needs to name the records a catch-up reads by key: Unicode canonical equivalence
/// would make two ids that differ only in normalisation one.
struct StateID: Hashable, Sendable {
  var id: String

  @inline(__always)
  init(_ id: String) { self.id = id }

  static func == (a: StateID, b: StateID) -> Bool { sameBytes(a.id, b.id) }
  func hash(into h: inout Hasher) { h.combine(id) }
  func _rawHashValue(seed: Int) -> Int { FastHash.finish(Self.preHash(id), seed: seed) }

  /// The hash of an id before a table's seed is mixed in (`_rawHashValue` finishes it).
  @inline(__always)
  static func preHash(_ id: String) -> UInt64 { FastHash.mix(FastHash.start, id) }

  /// `preHash(id)` with `InlineString.holds` given (`FastHash.mix(_:_:inline:)`).
  @inline(__always)
  static func preHash(_ id: String, inline: Bool) -> UInt64 { FastHash.mix(FastHash.start, id, inline: inline) }

  /// Byte-wise equality over the strings' contiguous UTF-8 (every native or small string).
  @inline(__always)
  static func sameBytes(_ a: String, _ b: String) -> Bool {
    // The same representation (the same small string, or the same storage) is the same bytes:
    // a table lookup that finds its key mostly ends here, without copying either to compare.
    if unsafeBitCast(a, to: (UInt64, UInt64).self) == unsafeBitCast(b, to: (UInt64, UInt64).self) { return true }
    let same = a.utf8.withContiguousStorageIfAvailable { pa in
      b.utf8.withContiguousStorageIfAvailable { pb in
        pa.count == pb.count && (pa.isEmpty || memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0)
      }
    }
    if let same, let same { return same }
    return a.utf8.elementsEqual(b.utf8)
  }

  /// Byte-wise order, as LMDB sorts keys.
  static func bytesPrecede(_ a: String, _ b: String) -> Bool {
    let less = a.utf8.withContiguousStorageIfAvailable { pa in
      b.utf8.withContiguousStorageIfAvailable { pb in
        // memcmp, not the generic element-by-element comparison (sorting a write-back's ids).
        let n = min(pa.count, pb.count)
        let c = n == 0 ? 0 : memcmp(pa.baseAddress!, pb.baseAddress!, n)
        return c != 0 ? c < 0 : pa.count < pb.count
      }
    }
    if let less, let less { return less }
    return a.utf8.lexicographicallyPrecedes(b.utf8)
  }
}

/// Work on one kind's table with its record type known (`StateKind.withRecordType`): compiled
/// for each type, where a call through the tables' base class runs unspecialised generic code
/// (looking up type metadata, copying records through witness tables).
protocol RecordTypeWork {
  mutating func run<R: StateRecord>(_ type: R.Type) throws
}

extension StateKind {
  /// Runs `work` with this kind's record type: the one place that maps kinds to types.
  func withRecordType<W: RecordTypeWork>(_ work: inout W) throws {
    switch self {
    case .customer: try work.run(CustomerState.self)
    case .product: try work.run(ProductState.self)
    case .rep: try work.run(RepState.self)
    case .lead: try work.run(LeadState.self)
    case .quote: try work.run(QuoteState.self)
    case .order: try work.run(OrderState.self)
    case .stock: try work.run(StockState.self)
    case .invoice: try work.run(InvoiceState.self)
    case .payment: try work.run(PaymentState.self)
    case .shipment: try work.run(ShipmentState.self)
    case .serviceCase: try work.run(ServiceCaseState.self)
    case .purchaseOrder: try work.run(PurchaseOrderState.self)
    }
  }

  /// Position in `allCases`: the state keeps one table per kind.
  @inline(__always)
  package var index: Int {
    switch self {
    case .customer: 0
    case .product: 1
    case .rep: 2
    case .lead: 3
    case .quote: 4
    case .order: 5
    case .stock: 6
    case .invoice: 7
    case .payment: 8
    case .shipment: 9
    case .serviceCase: 10
    case .purchaseOrder: 11
    }
  }

  /// Every kind in the order of its name: the order `takeChanges` returns records in.
  static let byName: [StateKind] = allCases.sorted { $0.rawValue < $1.rawValue }
}

/// The records a `SalesState` changed since its last write-back (`takeChangeList`): by kind, in
/// the order of the kinds' names, each kind's entries in the state's tables (sorted by id once
/// `sortChanges` has run).
public struct StateChanges: Sendable {
  public var kinds: [(kind: StateKind, entries: [Int32])] = []
  public init() {}
  /// The number of records.
  public var count: Int { kinds.reduce(0) { $0 + $1.entries.count } }
}

/// The records the deciders read and `evolve` writes. In tests it is wholly in memory; the store
/// gives it a `loader` that reads missing records from LMDB inside the write transaction and
/// writes the changed ones back (`takeChanges`) before committing. Reading through the loader
/// changes nothing a decider can observe, so decide and evolve stay functions of their inputs.
public final class SalesState {
  public typealias Loader = (StateKey) throws -> JSONObject?

  /// One table per kind (at `StateKind.index`), each holding the records of its one type, so a
  /// lookup hashes the id once and reads the record without an existential cast. Made with the
  /// state and never replaced: made on first use, every specialised accessor carried the making
  /// (and the write-back, reading on another thread, needed an accessor that never makes one).
  /// Lookups lend a table through `unretained` (`withTable`): being a `let` did not let the
  /// compiler borrow it.
  private let tables: [RecordTableBase]
  /// `tables`, unretained, for `withTable`.
  private let unretained: [Unmanaged<RecordTableBase>]
  /// Where each table's index and entries lie (`IDTableAddresses`), taken again after every
  /// change that can move them (`noteAddresses`): what `lookupAddresses` reads.
  private var book: InlineArray<16, IDTableAddresses> = .init(repeating: IDTableAddresses())
  private let loader: Loader?
  /// Whether changes are remembered for `takeChanges`.
  private let tracksChanges: Bool

  /// - Parameter tracksChanges: false for a state nothing is written back from (`generate`'s,
  ///   which forgets finished records to stay flat and must not remember them as changed).
  public init(loader: Loader? = nil, tracksChanges: Bool = true) {
    precondition(StateKind.allCases.count <= 16, "SalesState.book holds 16 kinds")
    self.loader = loader
    self.tracksChanges = tracksChanges
    var made = [RecordTableBase?](repeating: nil, count: StateKind.allCases.count)
    for kind in StateKind.allCases {
      var work = MakeTable()
      try! kind.withRecordType(&work)
      made[kind.index] = work.table
    }
    tables = made.map { $0! }
    unretained = tables.map { Unmanaged.passUnretained($0) }
  }

  private struct MakeTable: RecordTypeWork {
    var table: RecordTableBase?
    mutating func run<R: StateRecord>(_: R.Type) throws { table = RecordTable<R>() }
  }

  /// `body` with the table of `R`'s kind, lent without a retain: `tables` holds it as long as the
  /// state lives. A strong reference to it, taken at each lookup, was retained and released
  /// each time, a dozen times an event.
  @inline(__always)
  private func withTable<R: StateRecord, T>(_: R.Type, _ body: (RecordTable<R>) throws -> T) rethrows -> T {
    try unretained[R.kind.index]._withUnsafeGuaranteedRef { t in
      // An identity check and an unchecked cast: `as?` was a runtime cast on every state access
      // (and every prefetch), 4 % of the appending thread's instructions.
      precondition(t.recordType == ObjectIdentifier(R.self), "two state record types share the kind '\(R.kind.rawValue)'")
      return try body(unsafeDowncast(t, to: RecordTable<R>.self))
    }
  }

  /// Takes the addresses of `t` again, after a change that may have moved its index or
  /// entries.
  @inline(__always)
  private func noteAddresses<R: StateRecord>(_ t: RecordTable<R>) {
    book[R.kind.index] = t.withTable { $0.addresses }
  }

  public func get<R: StateRecord>(_: R.Type, _ id: String) throws -> R? {
    try withTable(R.self) { t in try get(t, id) }
  }

  private func get<R: StateRecord>(_ t: RecordTable<R>, _ id: String) throws -> R? {
    let k = StateID(id)
    let (cached, record) = t.withTable { tb -> (Bool, R?) in
      guard let i = tb.entry(k) else { return (false, nil) }
      return (true, tb[entry: i].record)
    }
    if cached { return record }
    guard let i = try load(t, k, id) else { return nil }
    return t.withTable { $0[entry: i].record }
  }

  /// Reads a record that is not cached through the loader and caches it, or caches that there
  /// is none (nil); returns its entry, which the caller has just failed to find (`recordSlot`
  /// had called `get`, which probed the table again and copied the record out, and then probed
  /// a third time for the entry; most lookups of an import that miss the cache are new ids).
  private func load<R: StateRecord>(_ t: RecordTable<R>, _ k: StateID, _ id: String) throws -> Int? {
    guard let loader, let json = try loader(StateKey(R.kind, id)) else {
      t.slots.set(k, RecordTable<R>.Slot(record: nil, changed: false))
      noteAddresses(t)
      return nil
    }
    let r = try R(json: json)
    let i = t.slots.set(k, RecordTable<R>.Slot(record: r, changed: false))
    noteAddresses(t)
    return i
  }

  /// Whether the record exists, without copying it out (`get` returns a copy, which retains
  /// its arrays and strings).
  public func exists<R: StateRecord>(_ type: R.Type, _ id: String) throws -> Bool {
    try withTable(R.self) { t in try recordSlot(t, id) != nil }
  }

  /// The slot holding `id`'s record, read through the loader first when it is not cached; nil
  /// when there is no such record.
  private func recordSlot<R: StateRecord>(_ t: RecordTable<R>, _ id: String) throws
    -> Int?
  {
    let k = StateID(id)
    // nil: not cached; .some(nil): cached as absent.
    let cached = t.withTable { tb -> Int?? in
      guard let i = tb.entry(k) else { return nil }
      // (`record != nil` copied the record out to compare it, retaining its arrays and strings.)
      if case .none = tb[entry: i].record { return .some(nil) }
      return i
    }
    if let cached { return cached }
    return try load(t, k, id)
  }

  /// `body` applied to the record where it is (nil when there is none): what a rule reads of
  /// it, without copying the whole record out as `get` does.
  public func read<R: StateRecord, T>(_ type: R.Type, _ id: String, _ body: (R) throws -> T) throws -> T? {
    try withTable(R.self) { t in
      guard let i = try recordSlot(t, id) else { return nil }
      return try t.withSlot(i) { slot in try slot.record.map(body) }
    }
  }

  /// Throws `DomainError.unknown` naming what is missing, as `require` does, without copying the
  /// record out.
  public func requireExists<R: StateRecord>(_ type: R.Type, _ id: String, _ what: String) throws {
    guard try exists(type, id) else { throw DomainError.unknown(what, id: id) }
  }

  /// The record, or `DomainError.unknown` naming what is missing.
  public func require<R: StateRecord>(_ type: R.Type, _ id: String, _ what: String) throws -> R {
    guard let r = try get(type, id) else { throw DomainError.unknown(what, id: id) }
    return r
  }

  public func put<R: StateRecord>(_ id: String, _ record: R) {
    withTable(R.self) { t in put(t, id, record) }
  }

  private func put<R: StateRecord>(_ t: RecordTable<R>, _ id: String, _ record: R) {
    let k = StateID(id)
    let entry: Int
    // (Changes go through `t.slots` itself: a write is made in place; only reads copied it.)
    if let i = t.withTable({ $0.entry(k) }) {
      t.slots[entry: i].record = record
      guard !t.slots[entry: i].changed else { return }
      t.slots[entry: i].changed = tracksChanges
      entry = i
    } else {
      entry = t.slots.set(k, RecordTable<R>.Slot(record: record, changed: tracksChanges))
      noteAddresses(t)
    }
    if tracksChanges { t.changed.append(Int32(entry)) }
  }

  /// Applies `body` to the record where it is, made by `make` first when there is none (one
  /// change in place, where a `get`, a change and a `put` copied the record and its arrays).
  /// `body` must not read this state.
  public func upsert<R: StateRecord>(_ type: R.Type, _ id: String, _ make: () -> R, _ body: (inout R) -> Void) throws {
    try withTable(R.self) { t in
      if let i = try recordSlot(t, id) {
        change(t, entry: i, id, body)
      } else {
        var r = make()
        body(&r)
        put(t, id, r)
      }
    }
  }

  /// Applies `body` to an existing record (a no-op when it does not exist). `body` must not read
  /// this state: the record is out of its slot while it runs.
  public func update<R: StateRecord>(_ type: R.Type, _ id: String, _ body: (inout R) -> Void) throws {
    try withTable(R.self) { t in
      guard let i = try recordSlot(t, id) else { return }
      change(t, entry: i, id, body)
    }
  }

  /// `body` applied to the record of entry `i` (a no-op when the slot holds none), marked changed.
  private func change<R: StateRecord>(_ t: RecordTable<R>, entry i: Int, _ id: String, _ body: (inout R) -> Void) {
    // Moved out of its slot (not copied), `r` holds the only reference to its arrays: `body`
    // changes them in place instead of copying them (a customer's open invoices grow with every
    // order).
    guard var r = t.slots[entry: i].record.take() else { return }
    body(&r)
    // (Moved back with `consume`: assigned plainly, `r` was copied into the slot, retaining
    // each of its arrays and strings, and then destroyed, releasing them.)
    t.slots[entry: i].record = consume r
    guard tracksChanges, !t.slots[entry: i].changed else { return }
    t.slots[entry: i].changed = true
    t.changed.append(Int32(i))
  }

  /// The records changed since the last call, to be written back, in key order.
  public func takeChanges() -> [(StateKey, JSONObject)] {
    var out: [(StateKey, JSONObject)] = []
    var sink = JSONObjectSink()
    // (Nothing here throws.)
    try! takeChanges(into: &sink) { k, sink in
      out.append((k, sink.object))
      sink = JSONObjectSink()
    }
    return out
  }

  /// Writes the records changed since the last call into `sink` one at a time, in key order,
  /// and passes each one's key to `body`, which takes the record out of the sink (writing back a
  /// whole import's state at once must not hold all of it twice).
  func takeChanges<S: StateSink>(into sink: inout S, _ body: (StateKey, inout S) throws -> Void) throws {
    var changes = takeChangeList()
    for i in changes.kinds.indices {
      let kind = changes.kinds[i].kind
      sortChanges(&changes.kinds[i])
      try writeChanges(kind, changes.kinds[i].entries[...], into: &sink) { id, sink in
        try body(StateKey(kind, id), &sink)
      }
    }
  }

  /// The records changed since the last write-back, to be written back in three steps:
  /// this one, on the thread that owns the state, clears their change marks (as `takeChanges`
  /// does); `sortChanges` and `writeChanges` only read the state, so another thread may run
  /// them while the owner leaves the state alone (the store's write-back encodes on a second
  /// thread while it puts).
  public func takeChangeList() -> StateChanges {
    var out = StateChanges()
    for kind in StateKind.byName {
      guard tables[kind.index].hasChanges else { continue }
      var work = TakeEntries(state: self)
      try! kind.withRecordType(&work)
      if !work.entries.isEmpty { out.kinds.append((kind, work.entries)) }
    }
    return out
  }

  /// Sorts one kind's entries of a `takeChangeList` by id, the order of the keys they are
  /// written under. Reads the state only.
  public func sortChanges(_ changes: inout (kind: StateKind, entries: [Int32])) {
    var work = SortChanges(state: self, entries: changes.entries)
    changes.entries = []
    try! changes.kind.withRecordType(&work)
    changes.entries = work.entries
  }

  /// `writeChanges` with the store's value format (`StoredRecordSink`): each record's id and
  /// bytes, valid during the call. (Not generic: a generic function called from another module
  /// runs unspecialised, each member written through a witness table.)
  public func encodeChanges(
    _ kind: StateKind, _ entries: ArraySlice<Int32>, _ body: (String, [UInt8]) throws -> Void
  ) throws {
    var sink = StoredRecordSink()
    try writeChanges(kind, entries, into: &sink) { id, sink in
      try body(id, sink.finish())
      sink.reset()
    }
  }

  /// Writes the records of `entries` (of `kind`, from `takeChangeList`) into `sink` one at a
  /// time and passes each one's id to `body`, which takes the record out of the sink. Reads the
  /// state only.
  func writeChanges<S: StateSink>(
    _ kind: StateKind, _ entries: ArraySlice<Int32>, into sink: inout S, _ body: (String, inout S) throws -> Void
  ) throws {
    try withoutActuallyEscaping(body) { body in
      var work = WriteChanges(state: self, entries: entries, sink: sink, body: body)
      try kind.withRecordType(&work)
      sink = work.sink
    }
  }

  private struct TakeEntries: RecordTypeWork {
    let state: SalesState
    var entries: [Int32] = []

    mutating func run<R: StateRecord>(_: R.Type) throws {
      entries = state.withTable(R.self) { $0.takeChangedEntries() }
    }
  }

  private struct SortChanges: RecordTypeWork {
    let state: SalesState
    var entries: [Int32]

    mutating func run<R: StateRecord>(_: R.Type) throws {
      state.withTable(R.self) { $0.sortByID(&entries) }
    }
  }

  private struct WriteChanges<S: StateSink>: RecordTypeWork {
    let state: SalesState
    let entries: ArraySlice<Int32>
    var sink: S
    let body: (String, inout S) throws -> Void

    mutating func run<R: StateRecord>(_: R.Type) throws {
      try state.withTable(R.self) { try $0.write(entries, into: &sink, body) }
    }
  }

  /// The addresses the lookups of `lookups` will read, for the caller to prefetch: with step 0
  /// where each lookup starts in its table's index; with step 1 (later, once those have
  /// arrived: it reads the index, through the address book) the entry each most likely finds.
  /// Nothing else is read, and nothing is changed.
  public func lookupAddresses(_ lookups: StateLookups, step: Int, _ body: (UInt) -> Void) {
    // Through the address book, which holds plain numbers: reaching each table through its
    // record type (a retain of the table, a generic call) had cost the appending thread 6 % of
    // its time, about what the prefetch saved.
    lookups.forEach { kind, preHash in
      let a = book[kind.index]
      #if DEBUG
        assert(tables[kind.index].addressesMatch(a), "a stale address book for '\(kind.rawValue)'")
      #endif
      if step == 0 {
        if let slot = a.probe.slot(preHash: preHash) { body(slot) }
      } else {
        a.entryAddresses(preHash: preHash, body)
      }
    }
  }

  /// Number of records held in memory.
  public var cachedCount: Int { tables.reduce(0) { $0 + $1.count } }

  /// Forgets every cached record once they have been written back (`takeChanges`), so a long
  /// import keeps its memory flat; later reads go through the loader again.
  public func evict() {
    precondition(tables.allSatisfy { !$0.hasChanges }, "evicting unsaved state")
    for t in tables { t.removeAll() }
    // (Empty tables: no index to read.)
    for i in book.indices { book[i] = IDTableAddresses() }
  }

  /// Forgets one record for good, as if it had never been read or written (nothing is written
  /// back for it). Only for a state without a loader whose owner will never name the record
  /// again: `erpctl generate` drops shipped orders, paid invoices, applied payments, closed
  /// leads and cases, so that its memory stays flat over millions of events.
  public func forget<R: StateRecord>(_: R.Type, _ id: String) {
    withTable(R.self) { t in
      t.remove(StateID(id))
      noteAddresses(t)
    }
  }

  /// Every record held in memory, as JSON (for comparing a replay with the stored state).
  public var snapshot: [StateKey: JSONObject] {
    var out: [StateKey: JSONObject] = [:]
    for kind in StateKind.allCases { tables[kind.index].snapshot(kind, into: &out) }
    return out
  }
}

/// The records of one kind, type-erased so that `SalesState` can hold every kind in one array.
class RecordTableBase {
  /// The record type of the subclass (`RecordTable<R>`): `R.self`.
  let recordType: ObjectIdentifier
  init(recordType: ObjectIdentifier) { self.recordType = recordType }
  var count: Int { 0 }
  var hasChanges: Bool { false }
  func removeAll() {}
  func snapshot(_ kind: StateKind, into out: inout [StateKey: JSONObject]) {}
  /// Whether `a` is where the table's index and entries lie now, or is empty and so is the table
  /// (`SalesState.book`'s check in debug builds).
  func addressesMatch(_ a: IDTableAddresses) -> Bool { true }
}

/// The records of one type by id: a record, or nil once the loader said there is none.
final class RecordTable<R: StateRecord>: RecordTableBase {
  struct Slot {
    var record: R?
    /// Put since the last `takeChanges` (its entry is then in `changed`).
    var changed: Bool
  }

  /// An `IDTable`: a lookup compares keys only on a matching hash fingerprint, where a
  /// `Dictionary` compared every key of its probe run by bytes (3 % of an import).
  var slots = IDTable<Slot>()
  /// The entries whose slot became changed, each once (the slot's flag says whether it is in
  /// here: an array append, not a second hash-set lookup per put). `remove` keeps the numbers
  /// right; `removeAll` comes only after `takeChanges`.
  var changed: [Int32] = []

  init() { super.init(recordType: ObjectIdentifier(R.self)) }

  /// Forgets `key`'s entry, and its change if one is pending. The table's last entry takes the
  /// removed one's number, so a pending change of it is renumbered.
  func remove(_ key: StateID) {
    guard let e = slots.entry(key) else { return }
    let last = slots.count - 1
    if slots[entry: e].changed || slots[entry: last].changed {
      changed.removeAll { $0 == Int32(e) }
      if e != last {
        for j in changed.indices where changed[j] == Int32(last) { changed[j] = Int32(e) }
      }
    }
    slots.remove(key)
  }

  override var count: Int { slots.count }
  override var hasChanges: Bool { !changed.isEmpty }

  /// The entries changed since the last call that hold a record (a record the loader said is
  /// not there writes nothing), their change marks cleared, in no particular order.
  func takeChangedEntries() -> [Int32] {
    var entries = changed
    changed.removeAll(keepingCapacity: true)
    var kept = 0
    for e in entries {
      let has: Bool = withSlot(Int(e)) { slot in
        guard slot.changed else { return false }
        slot.changed = false
        if case .none = slot.record { return false }
        return true
      }
      if has {
        entries[kept] = e
        kept += 1
      }
    }
    entries.removeLast(entries.count - kept)
    return entries
  }

  /// `entries` sorted by their ids' bytes, through the entries' keys (a hash lookup per changed
  /// record had been a third of the write-back: a cache miss each, at an import's end). Reads
  /// the table only.
  func sortByID(_ entries: inout [Int32]) {
    slots.keys.withUnsafeBufferPointer { keys in
      entries.sort { StateID.bytesPrecede(keys[Int($0)].id, keys[Int($1)].id) }
    }
  }

  /// Writes the record of each of `entries` (each holds one: `takeChangedEntries`) into `sink`
  /// and passes its id to `body`. Reads the table only, through buffer pointers: an `inout`
  /// access to an element checks that the array is not shared, which another thread reading
  /// the table at the same time would make a race.
  func write<S: StateSink>(
    _ entries: ArraySlice<Int32>, into sink: inout S, _ body: (String, inout S) throws -> Void
  ) rethrows {
    try slots.keys.withUnsafeBufferPointer { keys in
      try slots.values.withUnsafeBufferPointer { values in
        for e in entries {
          let i = Int(e)
          // Written where it lies (`let record = …` copied it, retaining its arrays).
          values[i].record.unsafelyUnwrapped.write(to: &sink)
          try body(keys[i].id, &sink)
        }
      }
    }
  }

  /// The slot of entry `i`, accessed in place: reading it through the table's getter copies it
  /// (retaining every array and string of its record).
  @inline(__always)
  func withSlot<T>(_ i: Int, _ body: (inout Slot) throws -> T) rethrows -> T {
    try body(&slots[entry: i])
  }

  /// `body` with the table lent where it lies (`IDTable.lend`): every lookup goes through here.
  @inline(__always)
  func withTable<T>(_ body: (inout IDTable<Slot>) throws -> T) rethrows -> T {
    try IDTable.lend(&slots, body)
  }

  override func removeAll() { slots.removeAll() }

  override func addressesMatch(_ a: IDTableAddresses) -> Bool {
    let now = slots.addresses
    if a.probe.slots == 0 { return slots.isEmpty }
    return a.probe.slots == now.probe.slots && a.probe.mask == now.probe.mask && a.keys == now.keys
      && a.values == now.values
  }

  override func snapshot(_ kind: StateKind, into out: inout [StateKey: JSONObject]) {
    for (k, slot) in zip(slots.keys, slots.values) {
      if let r = slot.record { out[StateKey(kind, k.id)] = r.json }
    }
  }
}

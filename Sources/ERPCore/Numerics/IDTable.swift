/// A table from ids (`StateID`, equal by bytes) to values, for the half a million orders and
/// invoices a full replay of the sales projection looks up millions of times, and for the
/// command-side state's records (`SalesState`), which an import looks up a dozen times an event.
///
/// Keys and values sit in two dense arrays in the order they were first set; the hash index
/// holds, per slot, a 32-bit fingerprint of the key's hash and the entry's number (open
/// addressing, linear probing, at most half full). A lookup reads one slot, then compares one
/// key: about one cache miss where `Dictionary` took two or three (a bucket's key, then its value,
/// in two tables of the full size). Shipments, invoices and payments follow their order by days,
/// so the entry they name is mostly one of the latest, whose key and value are still cached.
///
/// An entry removed (`remove`, rare: `generate` forgetting finished records) takes the last
/// entry's place, so entry numbers change then.
struct IDTable<Value> {
  /// The keys and values, entry by entry, in the order they were first set.
  private(set) var keys: [StateID] = []
  private(set) var values: [Value] = []
  /// 0 for an empty slot, else the fingerprint (high 32 bits) and entry number + 1 (low 32 bits).
  private var slots: [UInt64] = []
  private let seed: Int
  /// `InlineString.holds`, read once (`FastHash.mix(_:_:inline:)`).
  private let inlineStrings = InlineString.holds

  init() { seed = Int.random(in: Int.min...Int.max) }

  var count: Int { keys.count }
  var isEmpty: Bool { keys.isEmpty }

  /// Room for `n` entries without growing. `advise` is shown the memory just allocated for
  /// them, before anything is written to it (the store asks for huge pages there: a lookup in
  /// tables of tens of megabytes otherwise also misses the TLB).
  mutating func reserveCapacity(_ n: Int, advise: (UnsafeMutableRawBufferPointer) -> Void = { _ in }) {
    keys.reserveCapacity(n)
    values.reserveCapacity(n)
    // The capacity beyond the count is allocated and not yet written; only advice touches it.
    keys.withUnsafeMutableBufferPointer { b in
      advise(UnsafeMutableRawBufferPointer(start: b.baseAddress, count: n * MemoryLayout<StateID>.stride))
    }
    values.withUnsafeMutableBufferPointer { b in
      advise(UnsafeMutableRawBufferPointer(start: b.baseAddress, count: n * MemoryLayout<Value>.stride))
    }
    if slots.count < 2 * n { rehash(slotCount: Self.slotCount(for: n), advise: advise) }
  }

  private static func slotCount(for n: Int) -> Int {
    var c = 16
    while c < 2 * n { c <<= 1 }
    return c
  }

  @inline(__always)
  private func hash(_ key: StateID) -> UInt64 {
    Self.hash(preHash: StateID.preHash(key.id, inline: inlineStrings), seed: seed)
  }

  /// A key's hash in a table of `seed`, from its `StateID.preHash` (as `_rawHashValue`).
  @inline(__always)
  static func hash(preHash: UInt64, seed: Int) -> UInt64 {
    UInt64(bitPattern: Int64(FastHash.finish(preHash, seed: seed)))
  }

  /// The entry number of `key`, or where in `slots` it would go.
  @inline(__always)
  private func find(_ key: StateID) -> (entry: Int?, slot: Int) {
    search(hash(key)) { keys[$0] == key }
  }

  /// Walks the probe of hash `h` to the first entry whose fingerprint matches and that `accept`
  /// takes (its number and slot), or to the empty slot that ends it (nil and that slot).
  @inline(__always)
  private func search(_ h: UInt64, accept: (Int) -> Bool) -> (entry: Int?, slot: Int) {
    if slots.isEmpty { return (nil, 0) }
    let fingerprint = h >> 32
    let mask = slots.count - 1
    var i = Int(truncatingIfNeeded: h) & mask
    return slots.withUnsafeBufferPointer { s in
      while true {
        let v = s[i]
        if v == 0 { return (nil, i) }
        if v >> 32 == fingerprint {
          let e = Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1
          if accept(e) { return (e, i) }
        }
        i = (i + 1) & mask
      }
    }
  }

  /// Where the search for a key starts, for another thread to prefetch (`IDTableProbe`).
  var probe: IDTableProbe {
    slots.withUnsafeBufferPointer { b in
      IDTableProbe(slots: UInt(bitPattern: b.baseAddress), mask: b.count - 1, seed: seed)
    }
  }

  /// Where the index and the entries lie now, for prefetching (`IDTableAddresses`).
  var addresses: IDTableAddresses {
    IDTableAddresses(
      probe: probe,
      keys: keys.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) },
      values: values.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) },
      keyStride: UInt(MemoryLayout<StateID>.stride), valueStride: UInt(MemoryLayout<Value>.stride))
  }

  /// Passes the addresses of the key and value of the entry that the key of `preHash`
  /// (`StateID.preHash`) most likely has, for the caller to prefetch: the first of its probe
  /// whose fingerprint matches (the key is not compared: that would be the very miss this is
  /// for); nothing when there is none.
  @inline(__always)
  func entryAddresses(preHash: UInt64, _ body: (UInt) -> Void) {
    // (The addresses taken now are current: the index is read while the table is lent.)
    addresses.entryAddresses(preHash: preHash, body)
  }

  /// The entry number of `key` (for `subscript(entry:)`), nil when it has none.
  @inline(__always)
  func entry(_ key: StateID) -> Int? { find(key).entry }

  /// The value of an entry, changed in place.
  @inline(__always)
  subscript(entry e: Int) -> Value {
    // (Lent, not copied: a state lookup that only looks at the record's case retains nothing.)
    _read { yield values[e] }
    _modify { yield &values[e] }
  }

  subscript(key: StateID) -> Value? {
    @inline(__always) get { find(key).entry.map { values[$0] } }
  }

  /// Sets the value of `key`, adding an entry when it has none; returns the entry number.
  @discardableResult
  mutating func set(_ key: StateID, _ value: Value) -> Int {
    let (e, slot) = find(key)
    if let e {
      values[e] = value
      return e
    }
    precondition(keys.count < Int(UInt32.max) - 1, "IDTable is full")
    let n = keys.count
    keys.append(key)
    values.append(value)
    if slots.isEmpty || 2 * (n + 1) > slots.count {
      rehash(slotCount: Self.slotCount(for: n + 1))
    } else {
      slots[slot] = (hash(key) >> 32) << 32 | UInt64(n + 1)
    }
    return n
  }

  /// Removes `key`'s entry, if any. The last entry moves into its place (its number changes).
  mutating func remove(_ key: StateID) {
    let (found, slot) = find(key)
    guard let e = found else { return }
    deleteSlot(slot)
    let last = keys.count - 1
    if e != last {
      // The last entry moves to `e`: its slot is renumbered.
      let moved = search(hash(keys[last])) { $0 == last }.slot
      slots[moved] = slots[moved] & ~0xFFFF_FFFF | UInt64(e + 1)
      keys.swapAt(e, last)
      values.swapAt(e, last)
    }
    keys.removeLast()
    values.removeLast()
  }

  /// Forgets every entry (and the memory they took).
  mutating func removeAll() {
    keys = []
    values = []
    slots = []
  }

  /// Empties `slot` and moves later slots of its run back where their probe would find them
  /// (linear probing needs no tombstones this way).
  private mutating func deleteSlot(_ slot: Int) {
    let mask = slots.count - 1
    var hole = slot
    var i = slot
    while true {
      i = (i + 1) & mask
      let v = slots[i]
      if v == 0 { break }
      let entry = Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1
      let home = Int(truncatingIfNeeded: hash(keys[entry])) & mask
      // Whether `home` lies cyclically in (hole, i]: then the slot stays where it is.
      let stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i)
      if !stays {
        slots[hole] = v
        hole = i
      }
    }
    slots[hole] = 0
  }

  /// Builds the index again for `slotCount` slots (a power of two).
  private mutating func rehash(slotCount: Int, advise: (UnsafeMutableRawBufferPointer) -> Void = { _ in }) {
    var fresh = [UInt64](unsafeUninitializedCapacity: slotCount) { b, count in
      advise(UnsafeMutableRawBufferPointer(b))
      b.initialize(repeating: 0)
      count = slotCount
    }
    let mask = slotCount - 1
    for (n, k) in keys.enumerated() {
      let h = hash(k)
      var i = Int(truncatingIfNeeded: h) & mask
      while fresh[i] != 0 { i = (i + 1) & mask }
      fresh[i] = (h >> 32) << 32 | UInt64(n + 1)
    }
    slots = fresh
  }
}

extension IDTable: Sendable where Value: Sendable {}

extension IDTable {
  /// A table of `pairs`, for a constant table looked up by name many times (an event type's
  /// rules and decoder, for every imported record): a `Dictionary` hashed the name with SipHash,
  /// about 370 instructions a lookup.
  init(_ pairs: [(String, Value)]) {
    self.init()
    for (name, value) in pairs { set(StateID(name), value) }
  }

  /// The value of `name`, nil when it has none.
  @inline(__always)
  func value(_ name: String) -> Value? { self[StateID(name)] }
}

extension IDTable {
  /// `body` with `table` lent where it lies. A table that is a stored property of a class is
  /// copied by a plain read (`object.table.entry(k)`), with a retain and a release of each of
  /// its three arrays (Swift cannot see that nothing changes the property meanwhile): at the
  /// dozen lookups an import makes per event, a large part of its appending thread. An `inout`
  /// access lends it instead. Writes (`object.table[entry: i] = …`) are made in place already.
  @inline(__always)
  static func lend<T>(_ table: inout IDTable, _ body: (inout IDTable) throws -> T) rethrows -> T {
    try body(&table)
  }
}

/// The address of the index slot where an `IDTable` starts looking a key up, computed from the
/// index's address, size and seed as they were when the probe was made: for a thread that only
/// prefetches (a pipelined replay's reading thread, ahead of the fold). Nothing is ever read
/// through it. After the table has grown its index has moved, and the addresses are of freed
/// memory, which a prefetch ignores.
public struct IDTableProbe: Sendable {
  let slots: UInt
  let mask: Int
  let seed: Int

  /// The address of the slot of the key of `preHash` (`StateID.preHash`); nil for a table
  /// without an index yet.
  @inline(__always)
  func slot(preHash: UInt64) -> UInt? {
    guard slots != 0, mask > 0 else { return nil }
    let h = IDTable<Void>.hash(preHash: preHash, seed: seed)
    return slots &+ UInt(truncatingIfNeeded: Int(truncatingIfNeeded: h) & mask) &* 8
  }
}

/// Where an `IDTable`'s index and its key and value arrays lay when taken (`IDTable.addresses`),
/// for the thread that owns the table to prefetch from without going through the table: a few
/// instructions per lookup, where reaching each table through its record type had cost the
/// import's appending thread more than the misses it saved. The owner takes them again after
/// every change that can move the index (`IDTable.set`, `remove`, `removeAll`,
/// `reserveCapacity`); `entryAddresses` reads the index through them and must not be called
/// on stale ones. The key and value addresses are only prefetched, never read.
struct IDTableAddresses {
  var probe = IDTableProbe(slots: 0, mask: 0, seed: 0)
  var keys: UInt = 0
  var values: UInt = 0
  var keyStride: UInt = 0
  var valueStride: UInt = 0

  /// `IDTable.entryAddresses`: the addresses of the key and value of the first entry of
  /// `preHash`'s probe whose fingerprint matches, nothing when there is none.
  @inline(__always)
  func entryAddresses(preHash: UInt64, _ body: (UInt) -> Void) {
    guard let first = probe.slot(preHash: preHash),
      let index = UnsafePointer<UInt64>(bitPattern: probe.slots)
    else { return }
    let h = IDTable<Void>.hash(preHash: preHash, seed: probe.seed)
    let fingerprint = h >> 32
    var i = Int(bitPattern: (first &- probe.slots) / 8)
    while true {
      let v = index[i]
      if v == 0 { return }
      if v >> 32 == fingerprint {
        let e = UInt(truncatingIfNeeded: v & 0xFFFF_FFFF) &- 1
        body(keys &+ e &* keyStride)
        body(values &+ e &* valueStride)
        return
      }
      i = (i + 1) & probe.mask
    }
  }
}

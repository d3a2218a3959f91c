/// The key of one state record.
public struct StateKey: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var kind: StateKind
  public var id: String

  public init(_ kind: StateKind, _ id: String) {
    self.kind = kind
    self.id = id
  }

  // Ids compare by their bytes, as LMDB keys do (not by Unicode canonical equivalence).
  public static func == (a: StateKey, b: StateKey) -> Bool { a.kind == b.kind && JSONObject.same(a.id, b.id) }
  // String's hash follows canonical equivalence, which byte equality refines: equal keys hash
  // alike.
  public func hash(into h: inout Hasher) {
    h.combine(kind)
    h.combine(id)
  }
  public static func < (a: StateKey, b: StateKey) -> Bool {
    a.kind != b.kind ? a.kind.rawValue < b.kind.rawValue : a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
  }
  public var description: String { "\(kind.rawValue):\(id)" }
}

/// The records the deciders read and `evolve` writes. In tests it is wholly in memory; the store
/// gives it a `loader` that reads missing records from LMDB inside the write transaction and
/// writes the changed ones back (`takeChanges`) before committing. Reading through the loader
/// changes nothing a decider can observe, so decide and evolve stay functions of their inputs.
public final class SalesState {
  public typealias Loader = (StateKey) throws -> JSONObject?

  private var records: [StateKey: any StateRecord] = [:]
  private var absent: Set<StateKey> = []
  private var changed: Set<StateKey> = []
  private let loader: Loader?

  public init(loader: Loader? = nil) { self.loader = loader }

  public func get<R: StateRecord>(_: R.Type, _ id: String) throws -> R? {
    let key = StateKey(R.kind, id)
    if let r = records[key] { return r as? R }
    if absent.contains(key) { return nil }
    guard let loader, let json = try loader(key) else {
      absent.insert(key)
      return nil
    }
    let r = try R(json: json)
    records[key] = r
    return r
  }

  public func exists<R: StateRecord>(_ type: R.Type, _ id: String) throws -> Bool {
    try get(type, id) != nil
  }

  /// The record, or `DomainError.unknown` naming what is missing.
  public func require<R: StateRecord>(_ type: R.Type, _ id: String, _ what: String) throws -> R {
    guard let r = try get(type, id) else { throw DomainError.unknown(what, id: id) }
    return r
  }

  public func put<R: StateRecord>(_ id: String, _ record: R) {
    let key = StateKey(R.kind, id)
    records[key] = record
    absent.remove(key)
    changed.insert(key)
  }

  /// Applies `body` to an existing record (a no-op when it does not exist).
  public func update<R: StateRecord>(_ type: R.Type, _ id: String, _ body: (inout R) -> Void) throws {
    guard var r = try get(type, id) else { return }
    body(&r)
    put(id, r)
  }

  /// The records changed since the last call, to be written back.
  public func takeChanges() -> [(StateKey, JSONObject)] {
    defer { changed.removeAll(keepingCapacity: true) }
    return changed.sorted().compactMap { k in records[k].map { (k, $0.json) } }
  }

  /// Number of records held in memory.
  public var cachedCount: Int { records.count + absent.count }

  /// Forgets every cached record once they have been written back (`takeChanges`), so a long
  /// import keeps its memory flat; later reads go through the loader again.
  public func evict() {
    precondition(changed.isEmpty, "evicting unsaved state")
    records.removeAll()
    absent.removeAll()
  }

  /// Forgets one record for good, as if it had never been read or written (nothing is written
  /// back for it). Only for a state without a loader whose owner will never name the record
  /// again: `erpctl generate` drops shipped orders, paid invoices, applied payments, closed
  /// leads and cases, so that its memory stays flat over millions of events.
  public func forget<R: StateRecord>(_: R.Type, _ id: String) {
    let key = StateKey(R.kind, id)
    records[key] = nil
    absent.remove(key)
    changed.remove(key)
  }

  /// Every record held in memory, as JSON (for comparing a replay with the stored state).
  public var snapshot: [StateKey: JSONObject] { records.mapValues { $0.json } }
}

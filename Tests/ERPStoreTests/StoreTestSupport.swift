import Crypto
import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

/// A fixed clock, so `recorded` is known to the test.
let fixedInstant = Instant(seconds: 1_795_000_000, nanoseconds: 120_000_000)

/// Creates a store in a fresh subdirectory of `dir`.
func makeStore(
  _ dir: TemporaryDirectory, name: String = "store.lmdb", currency: String = "CNY",
  options: StoreOptions = StoreOptions()
) throws -> EventStore {
  try EventStore.create(
    at: dir.file(name),
    metadata: StoreMetadata(currency: currency, created: Instant(seconds: 1_790_000_000)),
    options: options)
}

/// A schema-valid OrderConfirmed whose identifiers and numbers depend on `n` (with Chinese text).
func orderEvent(_ n: Int, key: String? = nil, qty: Int64 = 3) -> NewEvent {
  let data: JSONValue = [
    "order": .string("SO-\(1000 + n)"),
    "customer": .string("C-\(n % 7)"),
    "rep": "R-1",
    "region": "华东",
    "promotion": .string("双十一促销-\(n)"),
    "allow_backorder": .bool(n % 2 == 0),
    "payment_terms_days": .int(Int64(n % 90)),
    "lines": [
      ["sku": "A1", "qty": .int(qty), "unit_price": "1299.50", "discount": "0.10"],
      ["sku": .string("B\(n)"), "qty": 1, "unit_price": "0.00"],
    ],
  ]
  let at: BusinessTime =
    n % 3 == 0
    ? .date(CivilDate(year: 2026, month: 11, day: 1 + n % 28) ?? CivilDate(daysSinceEpoch: 0))
    : .instant(
      Instant(seconds: 1_793_000_000 + Int64(n) * 61, nanoseconds: n % 2 == 0 ? 0 : 250_000_000),
      offsetSeconds: n % 2 == 0 ? 8 * 3600 : -5 * 3600)
  return NewEvent(type: "OrderConfirmed", at: at, key: key, data: data.objectValue ?? JSONObject())
}

/// A schema-valid ServiceCaseOpened whose free text holds Chinese, a quote, a backslash, a
/// newline and a tab (what string canonicalisation must escape, or must not).
func caseEvent(_ n: Int, key: String? = nil) -> NewEvent {
  let data: JSONValue = [
    "case": .string("CASE-\(n)"),
    "customer": .string("C-\(n % 7)"),
    "kind": "complaint",
    "text": .string("客户投诉：\"交货晚了\" \\ 第\(n)次\n\t😀 é"),
  ]
  return NewEvent(
    type: "ServiceCaseOpened", at: .instant(Instant(seconds: 1_793_100_000 + Int64(n)), offsetSeconds: 0),
    key: key, data: data.objectValue ?? JSONObject())
}

/// The primary events `erpctl generate` writes for a history of `months` from 2026-01-01.
func generatedHistory(months: Int, customers: Int, reps: Int, products: Int, seed: UInt64) throws -> [NewEvent] {
  var events: [NewEvent] = []
  _ = try HistoryGenerator.run(
    GenerateOptions(months: months, customers: customers, reps: reps, products: products, seed: seed,
      start: CivilDate(year: 2026, month: 1, day: 1)!)
  ) { events.append($0) }
  return events
}

func appendAll(_ store: EventStore, _ events: [NewEvent]) throws -> [AppendOutcome] {
  try store.append(events, clock: { fixedInstant }, mode: .trusted)
}

/// Every event of the store, via `forEach`.
func allEvents(_ store: EventStore) throws -> [EventEnvelope] {
  var out: [EventEnvelope] = []
  try store.forEach { e in
    out.append(e)
    return true
  }
  return out
}

func exportLines(_ store: EventStore) throws -> [String] {
  try allEvents(store).map(\.exportLine)
}

/// The index of the first occurrence of `needle` in `haystack`.
func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
  guard needle.count <= haystack.count else { return nil }
  for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
    return i
  }
  return nil
}

/// Replaces one byte of the stored (binary) value of event `seq` through the LMDB API: the
/// first occurrence of `marker` gets its byte at `offset` set to `byte`.
func tamperStoredEvent(
  _ store: EventStore, seq: UInt64, marker: String, offset: Int, byte: UInt8
) throws {
  try store.env.write { txn in
    let raw = try #require(try txn.get(store.events, SeqKey.encode(seq)))
    let at = try #require(firstIndex(of: Array(marker.utf8), in: raw), "marker not in the raw value")
    var changed = raw
    #expect(changed[at + offset] != byte)
    changed[at + offset] = byte
    try txn.put(store.events, SeqKey.encode(seq), changed)
  }
}

/// Recomputes the chain of SPEC 7 from export lines with Foundation + swift-crypto only:
/// hash(n) = SHA-256(hash(n−1) ‖ JCS(line n without "hash")), hash(0) = 32 zero bytes.
/// Returns, per line, (stored hash, recomputed hash).
func recomputeChain(_ lines: [String]) throws -> [(stored: String, computed: String)] {
  var previous = [UInt8](repeating: 0, count: 32)
  var out: [(String, String)] = []
  for line in lines {
    var object = try IndependentJCS.parseObject(line)
    let stored = try #require(object.removeValue(forKey: "hash") as? String)
    let canonical = Array(try IndependentJCS.serialize(object).utf8)
    let digest = Array(SHA256.hash(data: previous + canonical))
    out.append((stored, digest.map { String(format: "%02x", $0) }.joined()))
    previous = digest
  }
  return out
}

/// The seq of a `chainMismatch`, nil for any other error or none.
func chainMismatchSeq(_ error: StoreError?) -> UInt64? {
  if case .chainMismatch(let seq, _)? = error { return seq }
  return nil
}

extension EventStore {
  /// These tests are about storage (sequence, keys, chain, map, restore), not business rules:
  /// they append in `.trusted` mode, as a benchmark of the bare log would.
  func appendTrusted(_ events: [NewEvent], clock: () -> Instant) throws -> [AppendOutcome] {
    try append(events, clock: clock, mode: .trusted)
  }
}

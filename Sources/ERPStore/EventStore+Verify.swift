import ERPCore
import Foundation

/// The result of `verify`: how far the log checked out and the first problem, if any.
public struct VerifyReport: Sendable, Equatable {
  public var events: UInt64
  public var head: ChainHead
  /// The first seq that failed, with why; nil when everything checked out.
  public var firstBadSeq: UInt64?
  public var problem: String?

  public var ok: Bool { problem == nil }
}

/// Counts and sizes for `stats`.
public struct StoreStats: Sendable, Equatable {
  public var events: UInt64
  public var byType: [String: UInt64]
  public var keyed: UInt64
  public var head: ChainHead
  public var fileBytes: UInt64
  public var usedBytes: UInt64
  public var mapBytes: UInt64
  public var lmdbVersion: String
}

extension EventStore {
  /// Checks the whole log in one snapshot: seq gapless from 1, every record decodes, every hash
  /// recomputes from its predecessor (SPEC 7), the stored head matches the last event, the
  /// idempotency index names exactly the keyed events, the command-side state equals a replay
  /// of the log from scratch, and so does each persisted projection (up to its checkpoint).
  public func verify() throws -> VerifyReport {
    var report = try verifyLog()
    if report.ok, let problem = try verifySalesProjection() {
      report.firstBadSeq = nil
      report.problem = problem
    }
    return report
  }

  private func verifyLog() throws -> VerifyReport {
    try env.read { txn in
      var expected: UInt64 = 1
      var prev = ChainHead.genesis.hash
      var keyed = 0
      var report = VerifyReport(events: 0, head: .genesis)
      var scratch: [UInt8] = []
      let replay = SalesState()
      func fail(_ seq: UInt64, _ why: String) {
        report.firstBadSeq = seq
        report.problem = why
      }
      try txn.scan(events, from: nil) { k, v in
        guard let seq = SeqKey.decode(k) else {
          fail(expected, "malformed sequence key")
          return false
        }
        guard seq == expected else {
          fail(expected, "sequence gap: expected \(expected), found \(seq)")
          return false
        }
        let e: EventEnvelope
        do { e = try decode(v, seq: seq) } catch {
          fail(seq, "record does not decode")
          return false
        }
        scratch.removeAll(keepingCapacity: true)
        e.writeCanonical(into: &scratch, hashHex: nil)
        let h = HashChain.link(previous: prev, canonical: scratch)
        guard h == e.hash else {
          fail(seq, "hash mismatch: stored \(Hex.encode(e.hash)), computed \(Hex.encode(h))")
          return false
        }
        if let key = e.key {
          keyed += 1
          let indexed = try txn.get(keys, Array(key.utf8)).flatMap { b in
            b.withUnsafeBytes { SeqKey.decode($0) }
          }
          guard indexed == seq else {
            fail(seq, "key '\(key)' is not indexed to this event")
            return false
          }
        }
        try fold(e, into: replay)
        prev = h
        report.events = seq
        report.head = ChainHead(seq: seq, hash: h)
        expected += 1
        return true
      }
      guard report.ok else { return report }
      let stored = try Self.readHead { try txn.get(meta, $0) }
      if stored != report.head {
        fail(
          stored.seq, "stored chain head (\(stored.seq), \(Hex.encode(stored.hash))) does not match the last event")
      } else if try txn.count(keys) != keyed {
        fail(report.head.seq, "idempotency index holds \(try txn.count(keys)) keys, the log \(keyed)")
      } else if let diff = try stateDifference(txn, replay.snapshot) {
        fail(report.head.seq, "command-side state differs from a replay of the log: \(diff)")
      }
      return report
    }
  }

  /// The first state record that differs between the table and `expected` (a replay), if any.
  private func stateDifference(_ txn: ReadTransaction, _ expected: [StateKey: JSONObject]) throws -> String? {
    var seen = 0
    var difference: String?
    try txn.scan(state, from: nil) { k, v in
      guard let key = StateTable.decodeKey(k) else {
        difference = "a malformed state key"
        return false
      }
      let stored = try StateTable.decode(v)
      guard let want = expected[key] else {
        difference = "\(key) is stored but no event made it"
        return false
      }
      guard want == stored else {
        difference = "\(key) is \(CanonicalJSON.string(.object(stored))), the replay gives \(CanonicalJSON.string(.object(want)))"
        return false
      }
      seen += 1
      return true
    }
    if difference == nil && seen != expected.count {
      let missing = try expected.keys.sorted().first { k in try txn.get(state, StateTable.key(k)) == nil }
      difference = "\(missing.map(String.init(describing:)) ?? "a record") is missing"
    }
    return difference
  }

  public func stats() throws -> StoreStats {
    let fileBytes =
      ((try? FileManager.default.attributesOfItem(atPath: path + "/" + Self.dataFile))?[.size]
      as? NSNumber)?.uint64Value ?? 0
    return try env.read { txn in
      var byType: [String: UInt64] = [:]
      var keyed: UInt64 = 0
      var n: UInt64 = 0
      try txn.scan(events, from: nil) { k, v in
        let seq = SeqKey.decode(k) ?? 0
        do {
          let (type, key) = try EventCodec.decodeHeader(v)
          byType[type, default: 0] += 1
          if key != nil { keyed += 1 }
        } catch {
          throw StoreError.notAStore(path: path, reason: "event \(seq) is unreadable: \(error)")
        }
        n += 1
        return true
      }
      return StoreStats(
        events: n, byType: byType, keyed: keyed, head: try Self.readHead { try txn.get(meta, $0) },
        fileBytes: fileBytes, usedBytes: UInt64(env.usedBytes), mapBytes: UInt64(env.mapSize),
        lmdbVersion: lmdbVersion)
    }
  }
}

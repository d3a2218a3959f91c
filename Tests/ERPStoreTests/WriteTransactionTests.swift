import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

/// Puts go through one cursor per database that stays open for the whole write transaction
/// (`PutCursors`). These tests mix every kind of write on three databases in one transaction,
/// with enough entries to split pages many times, and compare with a Dictionary model: inside
/// the transaction, after the commit, and after a map growth that retried the transaction.
@Suite("Write transactions put through kept cursors")
struct WriteTransactionTests {
  private static func key(_ n: Int) -> [UInt8] { Array(String(format: "k%07d", n).utf8) }
  private static func seq(_ n: Int) -> [UInt8] { SeqKey.encode(UInt64(n)) }
  private static func value(_ n: Int, _ round: Int) -> [UInt8] {
    // Sizes from 1 to 300 bytes, so pages split at different points.
    Array(repeating: UInt8(truncatingIfNeeded: n &+ round), count: 1 + (n &* 7 &+ round) % 300)
  }

  private static func contents(_ txn: ReadTransaction, _ db: Database) throws -> [[UInt8]: [UInt8]] {
    var all: [[UInt8]: [UInt8]] = [:]
    var last: [UInt8]?
    try txn.scan(db, from: nil) { k, v in
      let key = Array(k)
      if let last { #expect(last.lexicographicallyPrecedes(key), "keys out of order") }
      last = key
      all[key] = Array(v)
      return true
    }
    return all
  }

  @Test(arguments: [1, 2, 3])
  func mixedWritesMatchADictionary(seed: UInt64) throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let env = try LMDBEnvironment(path: dir.path, mapSize: 1 << 20, maxDatabases: 4, readOnly: false)
    let dbs = try env.databases(["log", "index", "table"])
    let (log, index, table) = (dbs[0], dbs[1], dbs[2])
    let rng = SplitMix64(seed: seed)
    var logModel: [[UInt8]: [UInt8]] = [:]
    var indexModel: [[UInt8]: [UInt8]] = [:]
    var tableModel: [[UInt8]: [UInt8]] = [:]
    var nextSeq = 1
    var nextIndexKey = 0
    // The body may run more than once (the 1 MiB map fills and grows), so the models are
    // rebuilt from the start each time.
    try env.write { txn throws in
      logModel = [:]; indexModel = [:]; tableModel = [:]
      nextSeq = 1; nextIndexKey = 0
      var r = rng
      for step in 0..<20_000 {
        switch r.next() % 10 {
        case 0...3:
          // The log: rising keys, appended.
          try txn.put(log, Self.seq(nextSeq), Self.value(nextSeq, 0), append: true)
          logModel[Self.seq(nextSeq)] = Self.value(nextSeq, 0)
          nextSeq += 1
        case 4...5:
          // The index: mostly new rising keys, sometimes one already there.
          let n = r.chance(20) && nextIndexKey > 0 ? Int(r.next() % UInt64(nextIndexKey)) : nextIndexKey
          let v = Self.value(n, step)
          let existing = try txn.insertNew(index, Self.key(n), v)
          #expect(existing == indexModel[Self.key(n)], "insertNew \(n) at step \(step)")
          if existing == nil { indexModel[Self.key(n)] = v }
          if n == nextIndexKey { nextIndexKey += 1 }
        case 6:
          // A refused event's key is taken out again.
          guard nextIndexKey > 0 else { break }
          let n = Int(r.next() % UInt64(nextIndexKey))
          try txn.delete(index, Self.key(n))
          indexModel[Self.key(n)] = nil
        case 7...8:
          // The table: overwrites at random keys.
          let n = Int(r.next() % 5_000)
          try txn.put(table, Self.key(n), Self.value(n, step))
          tableModel[Self.key(n)] = Self.value(n, step)
        default:
          // Reads in between see every write so far.
          let n = Int(r.next() % 5_000)
          #expect(try txn.get(table, Self.key(n)) == tableModel[Self.key(n)])
          let m = nextIndexKey > 0 ? Int(r.next() % UInt64(nextIndexKey)) : 0
          #expect(try txn.get(index, Self.key(m)) == indexModel[Self.key(m)])
        }
      }
      // Appending a key that does not sort last is refused, as with mdb_put.
      #expect(throws: StoreError.self) { try txn.put(log, Self.seq(1), [1], append: true) }
    }
    #expect(env.mapSize > 1 << 20, "the test should make the map grow")
    #expect(logModel.count > 5_000 && indexModel.count > 2_000 && tableModel.count > 1_000)
    try env.read { txn throws in
      #expect(try Self.contents(txn, log) == logModel)
      #expect(try Self.contents(txn, index) == indexModel)
      #expect(try Self.contents(txn, table) == tableModel)
    }
    // A second transaction opens fresh cursors and appends after the first one's last key.
    try env.write { txn throws in
      try txn.put(log, Self.seq(nextSeq), [7], append: true)
      try txn.put(table, Self.key(0), [8])
    }
    try env.read { txn throws in
      #expect(try txn.get(log, Self.seq(nextSeq)) == [7])
      #expect(try txn.get(table, Self.key(0)) == [8])
      #expect(try txn.count(log) == logModel.count + 1)
    }
  }

  @Test func aFailedTransactionLeavesNothingAndTheNextOneWorks() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let env = try LMDBEnvironment(path: dir.path, mapSize: 1 << 20, maxDatabases: 2, readOnly: false)
    let db = try env.databases(["log"])[0]
    struct Stop: Error {}
    #expect(throws: Stop.self) {
      try env.write { txn throws in
        for n in 1...1_000 { try txn.put(db, Self.seq(n), Self.value(n, 0), append: true) }
        throw Stop()
      }
    }
    try env.read { txn throws in #expect(try txn.count(db) == 0) }
    try env.write { txn throws in
      for n in 1...1_000 { try txn.put(db, Self.seq(n), Self.value(n, 1), append: true) }
    }
    try env.read { txn throws in
      #expect(try txn.count(db) == 1_000)
      #expect(try txn.get(db, Self.seq(1_000)) == Self.value(1_000, 1))
    }
  }
}

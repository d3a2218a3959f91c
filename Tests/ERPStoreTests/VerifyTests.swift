import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

@Suite("verify() finds what was altered")
struct VerifyTests {
  /// Five events; event 3's order is SO-1003 (a digit inside a string of its raw value).
  func fiveEvents(_ dir: TemporaryDirectory) throws -> EventStore {
    let s = try makeStore(dir)
    _ = try appendAll(s, [orderEvent(1, key: "k1"), orderEvent(2), orderEvent(3, key: "k3")])
    _ = try appendAll(s, [caseEvent(4, key: "k4"), orderEvent(5)])
    return s
  }

  @Test func goodStoreVerifies() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try fiveEvents(dir)
    let r = try s.verify()
    #expect(r.ok)
    #expect(r.firstBadSeq == nil)
    #expect(r.problem == nil)
    #expect(r.events == 5)
    #expect(r.head == (try s.head()))
    #expect(r.head.seq == 5)
  }

  @Test func emptyStoreVerifies() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let r = try makeStore(dir).verify()
    #expect(r.ok)
    #expect(r.events == 0)
    #expect(r.head == ChainHead.genesis)
  }

  @Test func oneAlteredByteInAStoredEventIsFound() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try fiveEvents(dir)
    // "SO-1003" → "SO-1004": still a well-formed record, but no longer what was hashed.
    try tamperStoredEvent(s, seq: 3, marker: "SO-1003", offset: 6, byte: UInt8(ascii: "4"))
    #expect(try s.event(3)?.data["order"] == "SO-1004")
    let r = try s.verify()
    #expect(!r.ok)
    #expect(r.firstBadSeq == 3)
    #expect(r.events == 2, "events verified before the bad one")
    #expect(r.problem != nil)
  }

  @Test func alteredStoredHashIsFound() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try fiveEvents(dir)
    // The hash sits at bytes 1..<33 of the record; flip one bit of it.
    try s.env.write { txn in
      var raw = try #require(try txn.get(s.events, SeqKey.encode(4)))
      raw[10] ^= 0x01
      try txn.put(s.events, SeqKey.encode(4), raw)
    }
    let r = try s.verify()
    #expect(!r.ok)
    #expect(r.firstBadSeq == 4)
  }

  @Test func undecodableRecordIsFound() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try fiveEvents(dir)
    try s.env.write { txn in
      let raw = try #require(try txn.get(s.events, SeqKey.encode(2)))
      try txn.put(s.events, SeqKey.encode(2), Array(raw.dropLast(3)))
    }
    let r = try s.verify()
    #expect(!r.ok)
    #expect(r.firstBadSeq == 2)
  }

  @Test func deletedEventIsASequenceGap() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try fiveEvents(dir)
    try s.env.write { txn in try txn.delete(s.events, SeqKey.encode(3)) }
    #expect(try s.count() == 4)
    let r = try s.verify()
    #expect(!r.ok)
    #expect(r.firstBadSeq == 3)
    #expect(r.events == 2)
  }

  @Test func deletedLastEventDisagreesWithTheStoredHead() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try fiveEvents(dir)
    try s.env.write { txn in try txn.delete(s.events, SeqKey.encode(5)) }
    let r = try s.verify()
    #expect(!r.ok)
    #expect(r.firstBadSeq != nil)
  }

  @Test func wrongStoredHeadIsFound() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try fiveEvents(dir)
    let head = try s.head()
    var wrong = head.hash
    wrong[0] ^= 0xFF
    try s.env.write { txn in
      try txn.put(s.meta, Array("head".utf8), SeqKey.encode(5) + wrong)
    }
    let r = try s.verify()
    #expect(!r.ok)
    #expect(r.firstBadSeq == 5)
    #expect(r.problem?.contains("head") == true)
  }

  @Test func headPointingPastTheLogIsFound() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try fiveEvents(dir)
    let head = try s.head()
    try s.env.write { txn in
      try txn.put(s.meta, Array("head".utf8), SeqKey.encode(6) + head.hash)
    }
    #expect(try !s.verify().ok)
  }

  @Test func keyIndexPointingElsewhereIsFound() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try fiveEvents(dir)
    try s.env.write { txn in try txn.put(s.keys, Array("k3".utf8), SeqKey.encode(1)) }
    let r = try s.verify()
    #expect(!r.ok)
    #expect(r.firstBadSeq == 3)
  }

  @Test func strayIndexKeyIsFound() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try fiveEvents(dir)
    try s.env.write { txn in try txn.put(s.keys, Array("ghost".utf8), SeqKey.encode(2)) }
    #expect(try !s.verify().ok)
  }
}

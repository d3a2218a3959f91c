import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

@Suite("restore")
struct RestoreTests {
  let reader = EventRecordReader(moneyDigits: 2)

  func restore(_ store: EventStore, _ lines: [String]) throws -> ChainHead {
    try store.restore { sink in
      for line in lines { try sink(try reader.envelope(Array(line.utf8))) }
    }
  }

  func source(_ dir: TemporaryDirectory) throws -> EventStore {
    let a = try makeStore(dir, name: "a")
    _ = try appendAll(a, (1...6).map { $0 % 2 == 0 ? orderEvent($0, key: "o\($0)") : caseEvent($0) })
    _ = try a.appendTrusted([orderEvent(7, key: "o7"), caseEvent(8, key: "c8")]) {
      Instant(seconds: 1_796_000_000, nanoseconds: 999_999_999)
    }
    return a
  }

  @Test func exportRestoredIntoAFreshStoreIsIdentical() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let a = try source(dir)
    let lines = try exportLines(a)
    let b = try makeStore(dir, name: "b")
    let head = try restore(b, lines)
    #expect(head == (try a.head()))
    #expect(try b.head() == (try a.head()))
    #expect(try exportLines(b) == lines)
    #expect(try allEvents(b) == (try allEvents(a)))
    #expect(try b.verify().ok)
    // The key index came along: re-appending a restored keyed event is a no-op.
    #expect(try appendAll(b, [orderEvent(2, key: "o2")]) == [.existing(2)])
    // And the chain continues after a restore.
    #expect(try appendAll(b, [orderEvent(9)]) == [.appended(9)])
    #expect(try b.verify().ok)
  }

  @Test func restoreIntoANonEmptyStoreIsNotEmpty() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let a = try source(dir)
    let lines = try exportLines(a)
    let b = try makeStore(dir, name: "b")
    _ = try appendAll(b, [orderEvent(100)])
    #expect(throws: StoreError.notEmpty(path: dir.file("b"), events: 1)) { _ = try restore(b, lines) }
    #expect(try b.count() == 1)
  }

  @Test(arguments: [2, 5, 8])
  func alteredDataByteIsAChainMismatchAtThatSeqAndWritesNothing(seq: Int) throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let a = try source(dir)
    var lines = try exportLines(a)
    // Change one digit inside the order/case identifier of that line.
    let target = lines[seq - 1].contains("SO-\(1000 + seq)") ? "SO-\(1000 + seq)" : "CASE-\(seq)"
    #expect(lines[seq - 1].contains(target))
    lines[seq - 1] = lines[seq - 1].replacingOccurrences(of: target, with: target.dropLast() + "9")
    let b = try makeStore(dir, name: "b")
    let error: StoreError? = #expect(throws: StoreError.self) { _ = try restore(b, lines) }
    #expect(chainMismatchSeq(error) == UInt64(seq), "\(String(describing: error))")
    #expect(try b.count() == 0)
    #expect(try b.head() == ChainHead.genesis)
    #expect(try b.verify().ok)
  }

  @Test func sequenceGapIsAChainMismatch() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    var lines = try exportLines(try source(dir))
    lines.remove(at: 3)  // seq 4
    let b = try makeStore(dir, name: "b")
    let error: StoreError? = #expect(throws: StoreError.self) { _ = try restore(b, lines) }
    #expect(chainMismatchSeq(error) == 5, "\(String(describing: error))")
    #expect(try b.count() == 0)
  }

  @Test func exportNotStartingAtOneIsAChainMismatch() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let lines = try exportLines(try source(dir))
    let b = try makeStore(dir, name: "b")
    #expect(throws: StoreError.self) { _ = try restore(b, Array(lines.dropFirst(2))) }
    #expect(try b.count() == 0)
  }

  @Test func reorderedLinesAreAChainMismatch() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    var lines = try exportLines(try source(dir))
    lines.swapAt(2, 3)
    let b = try makeStore(dir, name: "b")
    #expect(throws: StoreError.self) { _ = try restore(b, lines) }
    #expect(try b.count() == 0)
  }

  @Test func alteredHashIsAChainMismatch() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let a = try source(dir)
    var lines = try exportLines(a)
    let h = try #require(try a.event(6)).hash
    var other = h
    other[31] ^= 1
    lines[5] = lines[5].replacingOccurrences(of: Hex.encode(h), with: Hex.encode(other))
    let b = try makeStore(dir, name: "b")
    #expect(throws: StoreError.self) { _ = try restore(b, lines) }
    #expect(try b.count() == 0)
  }

  @Test func emptyExportRestoresToAnEmptyStore() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let b = try makeStore(dir, name: "b")
    #expect(try restore(b, []) == ChainHead.genesis)
    #expect(try b.verify().ok)
  }
}

import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

@Suite("The map grows by itself")
struct MapGrowthTests {
  static let tiny = 64 * 1024

  @Test func manyEventsIntoATinyMap() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.file("tiny.lmdb")
    var expected: [NewEvent] = []
    do {
      let s = try EventStore.create(
        at: path, metadata: StoreMetadata(created: fixedInstant),
        options: StoreOptions(mapSize: Self.tiny))
      let initialMap = s.env.mapSize
      #expect(initialMap < 256 * 1024, "the test needs a small initial map, got \(initialMap)")
      // Several batches, keyed and not, then one big batch.
      for b in 0..<10 {
        let batch = (0..<100).map { i in
          let n = b * 100 + i
          return n % 2 == 0 ? orderEvent(n, key: "grow-\(n)") : caseEvent(n)
        }
        let out = try appendAll(s, batch)
        #expect(out == (1...100).map { .appended(UInt64(b * 100 + $0)) })
        expected += batch
      }
      let big = (1000..<4000).map { n in orderEvent(n, key: "grow-\(n)") }
      let out = try appendAll(s, big)
      #expect(out.count == 3000)
      #expect(out.last == .appended(4000))
      expected += big
      // It grew several times (by doubling): at least 2^4 times the initial map.
      #expect(s.env.mapSize >= initialMap * 16, "map \(s.env.mapSize) from \(initialMap)")
      #expect(try s.count() == 4000)
      let report = try s.verify()
      #expect(report.ok, "\(report.problem ?? "")")
      #expect(report.events == 4000)
    }
    // Reopened with the tiny size again: everything is readable and it still grows.
    let s = try EventStore.open(at: path, options: StoreOptions(mapSize: Self.tiny))
    let events = try allEvents(s)
    #expect(events.count == 4000)
    #expect(events.map(\.seq) == Array(1...4000))
    #expect(events.map(\.data) == expected.map(\.data))
    #expect(events.map(\.key) == expected.map(\.key))
    let more = (4000..<6000).map { caseEvent($0, key: "more-\($0)") }
    #expect(try appendAll(s, more).last == .appended(6000))
    // Re-appending keyed events is still idempotent after growth.
    #expect(try appendAll(s, [orderEvent(0, key: "grow-0")]) == [.existing(1)])
    #expect(try s.verify().ok)
  }

  @Test func restoreIntoATinyMapGrows() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let a = try makeStore(dir, name: "a")
    _ = try appendAll(a, (0..<2500).map { orderEvent($0, key: "r-\($0)") })
    let lines = try exportLines(a)
    let b = try makeStore(dir, name: "b", options: StoreOptions(mapSize: Self.tiny))
    let reader = EventRecordReader(moneyDigits: 2)
    let head = try b.restore { sink in
      for line in lines { try sink(try reader.envelope(Array(line.utf8))) }
    }
    #expect(head == (try a.head()))
    #expect(try exportLines(b) == lines)
    #expect(try b.verify().ok)
  }
}

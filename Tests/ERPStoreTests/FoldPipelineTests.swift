import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

/// The two-thread fold (`FoldPipeline`): every item folded once, in the order read, whatever the
/// batch and ring sizes; a read that throws ends the fold without hanging; and a pipelined replay
/// of the store equals the same events folded one by one on one thread.
@Suite("fold pipeline")
struct FoldPipelineTests {
  /// Only the folding thread touches it until the pipeline returns.
  final class Folded: @unchecked Sendable {
    var items: [Int] = []
  }

  @Test(arguments: [(1, 1), (2, 3), (4, 64), (4, 2048)])
  func foldsEveryItemOnceInOrder(slots: Int, batch: Int) {
    let folded = Folded()
    let n = 10_007
    let returned = FoldPipeline<Int>.run(slots: slots, batch: batch, fold: { folded.items.append($0) }) { pipe in
      for i in 0..<n { pipe.emit(i) }
      return "read"
    }
    #expect(returned == "read")
    #expect(folded.items == Array(0..<n))
  }

  /// Counts the instances alive (items moved through the pipeline's buffers must be released
  /// exactly once: a leak or a double release shows here, or crashes), and notes the threads
  /// they were released on.
  final class Tracked: @unchecked Sendable {
    nonisolated(unsafe) static var alive = 0
    nonisolated(unsafe) static var releasedOn: Set<pthread_t> = []
    static let lock = NSLock()
    let n: Int
    init(_ n: Int) {
      self.n = n
      Self.lock.withLock { Self.alive += 1 }
    }
    deinit { Self.lock.withLock { (Self.alive, _) = (Self.alive - 1, Self.releasedOn.insert(pthread_self())) } }
  }

  final class Sum: @unchecked Sendable {
    var total = 0
  }

  /// Objects through the buffers: each folded once and released once, by the reading thread
  /// (the thread that made them), also when the read throws part-way through a batch. (The one
  /// test that counts `Tracked`.)
  @Test func itemsAreReleasedOnceAfterTheyAreFolded() {
    let sum = Sum()
    Tracked.lock.withLock { Tracked.releasedOn = [] }
    FoldPipeline<Tracked>.run(slots: 3, batch: 7, fold: { sum.total += $0.n }) { pipe in
      for i in 1...1_000 { pipe.emit(Tracked(i)) }
    }
    #expect(sum.total == 500_500)
    #expect(Tracked.lock.withLock { Tracked.alive } == 0)
    #expect(Tracked.lock.withLock { Tracked.releasedOn } == [pthread_self()])
    #expect(throws: Stop.self) {
      try FoldPipeline<Tracked>.run(slots: 2, batch: 10, fold: { sum.total += $0.n }) { pipe in
        for i in 1...95 { pipe.emit(Tracked(i)) }
        throw Stop()
      }
    }
    #expect(sum.total == 500_500 + 4_560)
    #expect(Tracked.lock.withLock { Tracked.alive } == 0)
  }

  /// The look-ahead sees each item of a batch but its first 16 (step 0) and first 8 (step 1),
  /// before the item is folded, and never an item of another batch.
  @Test func looksAheadWithinABatchBeforeFolding() {
    final class Seen: @unchecked Sendable {
      var folded: [Int] = []
      var ahead: [[Int]] = [[], []]
      var early: [Int] = []
    }
    let seen = Seen()
    FoldPipeline<Int>.run(
      slots: 2, batch: 64, fold: { seen.folded.append($0) },
      ahead: { item, step in
        if seen.folded.contains(item.pointee) { seen.early.append(item.pointee) }
        seen.ahead[step].append(item.pointee)
      }
    ) { pipe in
      for i in 0..<200 { pipe.emit(i) }
    }
    #expect(seen.folded == Array(0..<200))
    #expect(seen.early.isEmpty)
    // Batches 0-63, 64-127, 128-191 and 192-199.
    let batches = [0..<64, 64..<128, 128..<192, 192..<200]
    #expect(seen.ahead[0] == batches.flatMap { Array($0.dropFirst(16)) })
    #expect(seen.ahead[1] == batches.flatMap { Array($0.dropFirst(8)) })
  }

  @Test func nothingToFold() {
    let folded = Folded()
    FoldPipeline<Int>.run(fold: { folded.items.append($0) }) { _ in }
    #expect(folded.items.isEmpty)
  }

  struct Stop: Error {}

  /// A generated history of a few times the pipeline's batch of 2,048 events.
  static func history(seed: UInt64) throws -> [NewEvent] {
    try generatedHistory(months: 10, customers: 400, reps: 8, products: 40, seed: seed)
  }

  @Test func aReadThatThrowsEndsTheFoldAndRethrows() {
    let folded = Folded()
    #expect(throws: Stop.self) {
      try FoldPipeline<Int>.run(slots: 2, batch: 100, fold: { folded.items.append($0) }) { pipe in
        for i in 0..<5_050 { pipe.emit(i) }
        throw Stop()
      }
    }
    // What was handed before the error was folded, and the folding thread is gone.
    #expect(folded.items == Array(0..<5_050))
  }

  /// The pipelined replay against a fold on one thread of the same stored events, with and
  /// without an as-of day and a last seq (events after the day left out, the checkpoint moved
  /// by skipped events as by folded ones).
  @Test(arguments: [UInt64(5), 23])
  func replayEqualsAFoldOnOneThread(seed: UInt64) throws {
    let dir = try TemporaryDirectory("erpctl-pipe")
    defer { dir.remove() }
    let events = try Self.history(seed: seed)
    let s = try makeStore(dir)
    _ = try s.append(events, clock: { fixedInstant })
    let head = try s.head().seq
    try #require(head > 6 * 2_048, "several batches of the events it folds")
    let days = [nil, CivilDate(year: 2026, month: 4, day: 14)!, CivilDate(year: 2026, month: 7, day: 31)!]
    for asOf in days {
      for through in [nil, head / 2, head - 1] {
        let expected = SalesProjection()
        try s.forEach { e in
          if let through, e.seq > through { return false }
          let day = s.zone.date(of: e.at)
          if let asOf, asOf < day { return true }
          if SalesProjection.foldedTypes.contains(e.type), let typed = s.typedEvent(e) {
            expected.apply(seq: e.seq, day: day, typed)
          } else {
            expected.skip(seq: e.seq, day: day)
          }
          return true
        }
        let replay = try s.replaySales(through: through, asOf: asOf)
        #expect(replay.sameFold(as: expected), "as of \(asOf?.description ?? "-"), through \(through ?? 0)")
        #expect(replay.checkpoint == expected.checkpoint && replay.maxDay == expected.maxDay)
      }
    }
  }

  /// An unreadable record deep in the log (after many batches were handed over) fails the
  /// replay with the store's error, and does not leave the folding thread waiting.
  @Test func anUnreadableRecordFailsTheReplay() throws {
    let dir = try TemporaryDirectory("erpctl-pipe")
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try s.append(try Self.history(seed: 7), clock: { fixedInstant })
    let bad = try s.head().seq - 3
    try s.env.write { txn in
      let raw = try #require(try txn.get(s.events, SeqKey.encode(bad)))
      try txn.put(s.events, SeqKey.encode(bad), Array(raw.prefix(12)))
    }
    for _ in 0..<3 {
      #expect {
        _ = try s.replaySales()
      } throws: { error in
        guard case StoreError.notAStore(_, let reason)? = error as? StoreError else { return false }
        return reason.hasPrefix("event \(bad) is unreadable")
      }
    }
    let projectors: [any EventProjector] = [SalesProjection(), CustomerProjection()]
    #expect(throws: StoreError.self) { _ = try s.replay(projectors, asOf: nil) }
  }
}

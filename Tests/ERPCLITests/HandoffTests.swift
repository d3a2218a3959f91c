import Foundation
import Testing

@testable import ERPCLI

/// `Handoff` (import reads and parses on a second thread): every item used once, in order; an
/// error of either side ends both, without hanging, and the producer has finished when `run`
/// returns or throws.
@Suite("handoff")
struct HandoffTests {
  struct Broke: Error, Equatable { var at: Int }

  /// Written by the producer thread, read after `run` returned.
  final class Sent: @unchecked Sendable {
    var count = 0
    var finished = false
  }

  @Test(arguments: [1, 2, 16])
  func everyItemInOrder(capacity: Int) throws {
    var got: [Int] = []
    try Handoff<Int>.run(capacity: capacity, produce: { send in for i in 0..<20_000 { try send(i) } }) { got.append($0) }
    #expect(got == Array(0..<20_000))
    try Handoff<Int>.run(capacity: capacity, produce: { _ in }) { _ in Issue.record("nothing was sent") }
  }

  @Test func aProducerErrorComesAfterWhatWasSentBeforeIt() {
    var got: [Int] = []
    #expect(throws: Broke(at: 500)) {
      try Handoff<Int>.run(capacity: 4, produce: { send in
        for i in 0..<500 { try send(i) }
        throw Broke(at: 500)
      }) { got.append($0) }
    }
    #expect(got == Array(0..<500))
  }

  @Test(arguments: [1, 4])
  func aConsumerErrorStopsTheProducer(capacity: Int) {
    let sent = Sent()
    #expect(throws: Broke(at: 10)) {
      try Handoff<Int>.run(capacity: capacity, produce: { send in
        defer { sent.finished = true }
        // Far more than fit: the producer waits for room when the consumer stops.
        for i in 0..<1_000_000 {
          try send(i)
          sent.count += 1
        }
      }) { i in
        if i == 10 { throw Broke(at: 10) }
      }
    }
    // The producer saw `Cancelled` at its next send and had returned before `run` threw.
    #expect(sent.finished)
    #expect(sent.count < 1_000_000)
  }

  /// An item, and whether it is still alive (only the producer's list holds it weakly).
  final class Token: @unchecked Sendable {
    let n: Int
    init(_ n: Int) { self.n = n }
  }
  final class Weak: @unchecked Sendable {
    private let lock = NSLock()
    private var refs: [Int: () -> Bool] = [:]
    func add(_ t: Token) {
      let alive = { [weak t] in t != nil }
      lock.withLock { refs[t.n] = alive }
    }
    func isAlive(_ n: Int) -> Bool { lock.withLock { refs[n]?() ?? false } }
  }

  /// Once the consumer has dropped an item, nothing keeps it: not while the producer keeps the
  /// queue full either (the items of an import are whole chunks of records).
  @Test(arguments: [2, 8])
  func itemsTakenAreNotKept(capacity: Int) throws {
    let weak = Weak()
    var kept: [Int] = []
    try Handoff<Token>.run(capacity: capacity, produce: { send in
      for i in 0..<2_000 {
        let t = Token(i)
        weak.add(t)
        try send(t)
      }
    }) { t in
      // A slow consumer: the producer has filled the queue again by now.
      if t.n % 100 == 0 { usleep(2_000) }
      if t.n > 0 && weak.isAlive(t.n - 1) { kept.append(t.n - 1) }
    }
    #expect(kept == [])
  }
}

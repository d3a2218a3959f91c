import ERPStore
import Foundation
import Synchronization
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

  /// The producer is a helper thread (`HelperThread.start`: it does not preempt the
  /// consumer when it wakes up); the consumer's own thread keeps its policy.
  @Test func theProducerYieldsOnWakeupAndTheConsumerDoesNot() throws {
    let consumerBefore = HelperThread.yieldsOnWakeup
    let producer = Atomic<Int>(-1)
    try Handoff<Int>.run(capacity: 2, produce: { send in
      producer.store(HelperThread.yieldsOnWakeup ? 1 : 0, ordering: .relaxed)
      try send(1)
    }) { _ in }
    #if os(Linux)
    #expect(producer.load(ordering: .relaxed) == 1)
    #endif
    #expect(HelperThread.yieldsOnWakeup == consumerBefore)
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

  /// Items that record the thread they are released on.
  final class Releases: @unchecked Sendable {
    private let lock = NSLock()
    private var alive: Set<Int> = []
    private var onThread: [Int: pthread_t] = [:]
    func made(_ n: Int) { _ = lock.withLock { alive.insert(n) } }
    func released(_ n: Int) {
      lock.withLock {
        alive.remove(n)
        onThread[n] = pthread_self()
      }
    }
    func aliveBefore(_ n: Int) -> Int { lock.withLock { alive.filter { $0 < n }.count } }
    func releasedOn(_ t: pthread_t) -> Int { lock.withLock { onThread.values.filter { pthread_equal($0, t) != 0 }.count } }
  }
  final class Token: @unchecked Sendable {
    let n: Int
    let releases: Releases
    init(_ n: Int, _ releases: Releases) {
      (self.n, self.releases) = (n, releases)
      releases.made(n)
    }
    deinit { releases.released(n) }
  }
  final class ThreadBox: @unchecked Sendable { var producer: pthread_t? }

  /// Items the consumer is done with go back to the producer's thread, which releases them at
  /// its next send; nothing keeps more than a queue's worth of them alive, also while the
  /// producer keeps the queue full (the items of an import are whole chunks of records).
  @Test(arguments: [2, 8])
  func usedItemsAreReleasedOnTheProducersThread(capacity: Int) throws {
    let releases = Releases()
    let box = ThreadBox()
    var mostAlive = 0
    try Handoff<Token>.run(capacity: capacity, produce: { send in
      box.producer = pthread_self()
      for i in 0..<2_000 { try send(Token(i, releases)) }
    }) { t in
      // A slow consumer now and then: the producer fills the queue meanwhile.
      if t.n % 100 == 0 { usleep(2_000) }
      mostAlive = max(mostAlive, releases.aliveBefore(t.n))
    }
    #expect(releases.aliveBefore(2_000) == 0)
    #expect(mostAlive <= 2 * capacity + 2)
    let producer = try #require(box.producer)
    #expect(releases.releasedOn(producer) >= 2_000 - 2 * capacity - 2)
  }

  /// What comes back after the producer's last send is released by the time `run` returns,
  /// on the producer's thread if it came back before the producer finished: here the producer
  /// lingers after its last send until the consumer is using the last item, so items 0–48 have
  /// come back by then. (They had stayed in the handoff, which the producer's thread object could
  /// keep alive after `run` returned; CI once saw two still alive.) The last item comes back
  /// after `consume` returns, before or after the producer finishes, and goes on one thread or
  /// the other.
  @Test(arguments: [1, 2, 8])
  func whatComesBackAfterTheLastSendIsReleasedBeforeRunReturns(capacity: Int) throws {
    for _ in 0..<20 {
      let releases = Releases()
      let box = ThreadBox()
      let consumer = pthread_self()
      let usingTheLast = DispatchSemaphore(value: 0)
      try Handoff<Token>.run(capacity: capacity, produce: { send in
        box.producer = pthread_self()
        for i in 0..<50 { try send(Token(i, releases)) }
        _ = usingTheLast.wait(timeout: .now() + 10)
      }) { t in
        if t.n == 49 { usingTheLast.signal() }
      }
      #expect(releases.aliveBefore(50) == 0)
      let producer = try #require(box.producer)
      #expect(releases.releasedOn(producer) >= 49)
      #expect(releases.releasedOn(producer) + releases.releasedOn(consumer) == 50)
    }
  }

  /// With `keepUsed`, the producer lets go of what came back only that many sends later (an
  /// import's appender still holds parts of its records for a while): an item given back is
  /// still alive when the next two are used, and the producer's thread still releases nearly
  /// all of them, the last ones when it has finished.
  @Test(arguments: [1, 2])
  func usedItemsAreKeptForSomeSends(capacity: Int) throws {
    let releases = Releases()
    let box = ThreadBox()
    let keep = capacity + 8
    var keptAlive = 0
    var mostAlive = 0
    try Handoff<Token>.run(capacity: capacity, keepUsed: keep, produce: { send in
      box.producer = pthread_self()
      for i in 0..<2_000 { try send(Token(i, releases)) }
    }) { t in
      // A slow consumer: the producer, always ahead, would have let go at once.
      usleep(200)
      // The one two before was given back at most `capacity + 4` sends ago (but the producer
      // lets go of everything when it has finished, with up to `capacity` items still to be
      // used). Released at once, it would be gone by now: the producer let go of it when the one
      // before was taken.
      if t.n > 1 && releases.aliveBefore(t.n - 1) - releases.aliveBefore(t.n - 2) == 1 { keptAlive += 1 }
      mostAlive = max(mostAlive, releases.aliveBefore(t.n))
    }
    #expect(keptAlive >= 1_998 - capacity - 2)
    #expect(releases.aliveBefore(2_000) == 0)
    #expect(mostAlive <= 2 * capacity + 2 + keep)
    let producer = try #require(box.producer)
    #expect(releases.releasedOn(producer) >= 2_000 - 2 * capacity - 2)
  }
}

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
}

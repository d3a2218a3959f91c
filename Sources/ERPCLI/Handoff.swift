import ERPStore
import Dispatch
import Foundation

/// Items made on a second thread and used, in order, on the calling thread: `import` reads and
/// parses its files there while this thread decides and appends (which must stay on the thread
/// of its LMDB write transaction). At most `capacity` items wait, so memory stays bounded.
///
/// Either side may stop: an error of the producer is thrown on this thread once the items sent
/// before it are used; an error of the consumer stops the producer (its next `send` throws
/// `Cancelled`). Either way, the producer has finished when `run` returns or throws.
///
/// Items are freed where they were made: once `consume` has returned, the item goes back to the
/// producer, whose next `send` lets go of what came back (an import's records are trees of
/// small allocations; freeing them had cost the deciding thread about 5 % of its time, and glibc
/// a lock on the reading thread's arena for each).
final class Handoff<Item>: @unchecked Sendable {
  /// What `send` throws once the consumer has stopped.
  struct Cancelled: Error {}

  private let condition = NSCondition()
  /// A ring of `capacity` slots: `count` items waiting from `head` on. A slot is emptied when
  /// its item is taken, so nothing handed over stays alive here (an array kept the items already
  /// taken until it ran empty, which a busy producer never let it: an import held every record
  /// it had read, hundreds of megabytes).
  private var slots: [Item?]
  private var head = 0
  private var count = 0
  private let capacity: Int
  /// Items `consume` is done with, for the producer's thread to release.
  private var used: [Item] = []
  /// What came back at each of the last `keepUsed` sends, oldest first: the producer's alone.
  private var aging: [[Item]] = []
  private let keepUsed: Int
  private var finished = false
  private var failure: (any Error)?
  private var cancelled = false

  private init(capacity: Int, keepUsed: Int) {
    self.capacity = max(1, capacity)
    self.keepUsed = max(0, keepUsed)
    slots = Array(repeating: nil, count: self.capacity)
  }

  /// Runs `produce` on another thread and `consume` here on each item it sends, in order.
  /// - Parameter keepUsed: how many sends later the producer lets go of an item that came back
  ///   (see `put`).
  static func run(
    capacity: Int, keepUsed: Int = 0, produce: @escaping (_ send: (Item) throws -> Void) throws -> Void,
    consume: (Item) throws -> Void
  ) throws {
    let h = Handoff(capacity: capacity, keepUsed: keepUsed)
    let done = DispatchSemaphore(value: 0)
    let work = SendableBox(produce)
    // A thread of its own, not a dispatch queue's: this thread blocks until the producer is
    // done, and may itself be a pool thread. A helper thread: the consumer bounds the pace, so
    // the producer, woken when a slot frees, waits its turn.
    HelperThread.start(stackSize: 8 << 20) {
      var error: (any Error)?
      do { try work.value { try h.put($0) } } catch let caught { error = caught }
      h.aging.removeAll()
      // What came back after the last send is released here too, before `run` can return: the
      // thread object may keep `h` alive after that, and with it anything left in `used`.
      _ = h.finish(error)
      done.signal()
    }
    defer {
      h.cancel()
      done.wait()
    }
    while let item = try h.take() {
      try consume(item)
      h.giveBack(item)
    }
  }

  /// Hands `item` over, and lets go of what came back `keepUsed` sends ago.
  ///
  /// Kept that long, an item is mostly the last reference to what it holds: the consumer may
  /// keep parts of it for a while after giving it back (an import's appender keeps each event
  /// and its preparation until the encoding thread has stored it, up to
  /// `LogAppender.eventsHeldByEncoding` events later), and whichever thread lets go last frees
  /// them. Released at once, a reading thread that kept ahead left more and more of its records
  /// to the appender to free.
  private func put(_ item: Item) throws {
    var released: [Item] = []
    // Released after the lock: the items' memory goes back while the consumer goes on.
    defer {
      // (With `keepUsed` 0 what came back goes at once.)
      aging.append(released)
      released = []
      if aging.count > keepUsed { _ = aging.removeFirst() }
    }
    condition.lock()
    defer { condition.unlock() }
    swap(&released, &used)
    while count == capacity && !cancelled { condition.wait() }
    if cancelled { throw Cancelled() }
    slots[(head + count) % capacity] = item
    count += 1
    condition.broadcast()
  }

  /// Hands an item `consume` is done with to the producer's thread, which releases it.
  private func giveBack(_ item: Item) {
    condition.lock()
    defer { condition.unlock() }
    if !finished { used.append(item) }
  }

  /// The next item; nil once the producer has finished (its error thrown instead, if any).
  private func take() throws -> Item? {
    condition.lock()
    defer { condition.unlock() }
    while count == 0 && !finished { condition.wait() }
    if count > 0, let item = slots[head].take() {
      head = (head + 1) % capacity
      count -= 1
      condition.broadcast()
      return item
    }
    if let failure, !(failure is Cancelled) { throw failure }
    return nil
  }

  /// Marks the producer finished and returns what came back since its last send (after this,
  /// `giveBack` lets items go on the consumer's thread).
  private func finish(_ error: (any Error)?) -> [Item] {
    condition.lock()
    defer { condition.unlock() }
    finished = true
    failure = error
    condition.broadcast()
    var left: [Item] = []
    swap(&left, &used)
    return left
  }

  private func cancel() {
    condition.lock()
    cancelled = true
    for i in slots.indices { slots[i] = nil }
    (head, count) = (0, 0)
    condition.broadcast()
    condition.unlock()
  }
}

/// A value handed to one other thread, which alone uses it until `Handoff.run` has returned.
private final class SendableBox<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}

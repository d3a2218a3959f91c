import Dispatch
import ERPCore
import Foundation

/// A fold split over two threads. The calling thread reads and decodes (it must: an LMDB read
/// transaction belongs to the thread that began it) and hands what it decoded, in batches, to a
/// second thread that folds it in the order it was read. A full replay of the sales projection
/// is about as much decoding as folding, so the two halves overlap on a 2-core machine.
///
/// Batches go through a ring of `slots` buffers: the reader waits for a free slot before it
/// fills one, the folder for a full one (two semaphores), so neither runs more than `slots`
/// batches ahead of the other and memory stays bounded. An empty batch ends the fold.
///
/// Items are never copied: the reader builds each in its slot (`emit(_:)` with a closure), the
/// folder folds it there (`inout`), and the reader destroys it when it takes the slot again (or
/// at the end). Copies had retained and released a decoded event's strings and arrays (a tenth
/// of the folding thread's work), and an event's arrays freed on the folding thread made glibc's
/// malloc lock the reading thread's arena, against the reader's own allocations.
final class FoldPipeline<Item>: @unchecked Sendable {
  private let batchSize: Int
  private let slotCount: Int
  /// `slotCount` buffers of `batchSize` items; the first `counts[i]` of buffer `i` are
  /// initialized (from when it is handed over until the reader takes it again).
  private let buffers: UnsafeMutablePointer<Item>
  private let counts: UnsafeMutablePointer<Int>
  private let full = DispatchSemaphore(value: 0)
  private let free: DispatchSemaphore
  private let done = DispatchSemaphore(value: 0)
  private let fold: (inout Item) -> Void
  /// Called for items ahead of the one about to be folded (within a batch), so that what their
  /// fold will need can be prefetched: with 0 for the item `aheadBy` places ahead, with 1 for
  /// the one half as far (a second step that may read what the first prefetched).
  private let ahead: ((UnsafeMutablePointer<Item>, Int) -> Void)?
  private let aheadBy = 16
  /// The reader's side: the slot it fills (nil until it has waited for one) and how many items
  /// it holds so far.
  private var writeAt = 0
  private var filling: UnsafeMutablePointer<Item>?
  private var filled = 0

  private init(
    slots: Int, batch: Int, fold: @escaping (inout Item) -> Void, ahead: ((UnsafeMutablePointer<Item>, Int) -> Void)?
  ) {
    (slotCount, batchSize, self.fold, self.ahead) = (slots, batch, fold, ahead)
    buffers = .allocate(capacity: slots * batch)
    counts = .allocate(capacity: slots)
    counts.initialize(repeating: 0, count: slots)
    free = DispatchSemaphore(value: slots)
  }

  deinit {
    // `finish` destroyed every item (on the reading thread); this is for a pipeline whose
    // `run` never reached it.
    if let filling { filling.deinitialize(count: filled) }
    for i in 0..<slotCount { (buffers + i * batchSize).deinitialize(count: counts[i]) }
    buffers.deallocate()
    counts.deallocate()
  }

  /// Runs `read` on this thread, folding with `fold` on another every item `read` passes to the
  /// pipeline's `emit`, in that order. When this returns (or throws), every item passed has been folded
  /// and the folding thread is gone, so what `fold` changed may be read.
  static func run<R>(
    slots: Int = 4, batch: Int = 2048, fold: @escaping (inout Item) -> Void,
    ahead: ((UnsafeMutablePointer<Item>, Int) -> Void)? = nil, read: (FoldPipeline) throws -> R
  ) rethrows -> R {
    let pipe = FoldPipeline(slots: slots, batch: batch, fold: fold, ahead: ahead)
    // A thread of its own, not a dispatch queue's: the caller may itself run on a pool thread
    // (a test, a task), and blocks until the fold is done.
    let thread = Thread { pipe.folding() }
    thread.stackSize = 8 << 20
    thread.start()
    defer { pipe.finish() }
    return try read(pipe)
  }

  /// Passes `item` to the folding thread (in a batch).
  @inline(__always)
  func emit(_ item: consuming Item) {
    let slot = filling ?? take()
    (slot + filled).initialize(to: item)
    filled += 1
    if filled == batchSize { hand() }
  }

  /// Passes the item `make` builds in the place it is given (a decoded event is then written
  /// once, where the folding thread will read it, not copied there through the callers); when
  /// `make` returns false it left the place uninitialized and nothing is passed.
  @inline(__always) @discardableResult
  func emit(_ make: (UnsafeMutablePointer<Item>) throws -> Bool) rethrows -> Bool {
    let slot = filling ?? take()
    guard try make(slot + filled) else { return false }
    filled += 1
    if filled == batchSize { hand() }
    return true
  }

  /// Waits for a free slot and starts filling it, first destroying the items it held.
  private func take() -> UnsafeMutablePointer<Item> {
    free.wait()
    let slot = buffers + writeAt * batchSize
    slot.deinitialize(count: counts[writeAt])
    counts[writeAt] = 0
    (filling, filled) = (slot, 0)
    return slot
  }

  /// Passes the slot being filled (an empty one ends the fold).
  private func hand() {
    if filling == nil { _ = take() }
    counts[writeAt] = filled
    writeAt = (writeAt + 1) % slotCount
    (filling, filled) = (nil, 0)
    full.signal()
  }

  /// Hands what is left and the end, waits for the fold, then destroys the items the buffers
  /// still hold (here, on the reading thread).
  private func finish() {
    if filled > 0 { hand() }
    hand()  // the end
    done.wait()
    for i in 0..<slotCount {
      (buffers + i * batchSize).deinitialize(count: counts[i])
      counts[i] = 0
    }
  }

  private func folding() {
    var readAt = 0
    while true {
      full.wait()
      let slot = buffers + readAt * batchSize
      let n = counts[readAt]
      // Each item is folded and put back: the reading thread destroys it when it takes the
      // slot again, so that what an item allocated is freed by the thread that allocated it.
      // (In place, `inout`: passed by value, an item was copied, its strings and arrays
      // retained and released again.)
      if let ahead {
        for i in 0..<n {
          if i + aheadBy < n { ahead(slot + i + aheadBy, 0) }
          if i + aheadBy / 2 < n { ahead(slot + i + aheadBy / 2, 1) }
          fold(&slot[i])
        }
      } else {
        for i in 0..<n { fold(&slot[i]) }
      }
      readAt = (readAt + 1) % slotCount
      // Every slot taken is given back, the end's too: libdispatch traps when a semaphore is
      // released below the value it was made with.
      free.signal()
      if n == 0 { break }
    }
    done.signal()
  }
}

/// An event handed to the folding thread, with its seq and business day.
struct FoldedEvent {
  var seq: UInt64
  var day: CivilDate
  var event: SalesEvent
  /// The ids the fold will look up, hashed on the reading thread (for prefetching).
  var keys = SalesProjection.FoldKeys()
}

/// A value handed to the folding thread, which alone uses it until the pipeline has ended.
final class UncheckedBox<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}

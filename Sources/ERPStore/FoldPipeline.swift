import Dispatch
import Foundation

/// A fold split over two threads. The calling thread reads and decodes (it must: an LMDB read
/// transaction belongs to the thread that began it) and hands what it decoded, in batches, to a
/// second thread that folds it in the order it was read. A full replay of the sales projection
/// is about as much decoding as folding, so the two halves overlap on a 2-core machine.
///
/// Batches go through a ring of `slots`: the reader waits for a free slot, the folder for a full
/// one (two semaphores), so neither runs more than `slots` batches ahead of the other and memory
/// stays bounded. An empty batch ends the fold.
final class FoldPipeline<Item>: @unchecked Sendable {
  private let batchSize: Int
  private let slotCount: Int
  private let slots: UnsafeMutablePointer<[Item]>
  private let full = DispatchSemaphore(value: 0)
  private let free: DispatchSemaphore
  private let done = DispatchSemaphore(value: 0)
  private let fold: (Item) -> Void
  private var pending: [Item] = []
  private var writeAt = 0

  private init(slots: Int, batch: Int, fold: @escaping (Item) -> Void) {
    (slotCount, batchSize, self.fold) = (slots, batch, fold)
    self.slots = .allocate(capacity: slots)
    self.slots.initialize(repeating: [], count: slots)
    free = DispatchSemaphore(value: slots)
    pending.reserveCapacity(batch)
  }

  deinit {
    slots.deinitialize(count: slotCount)
    slots.deallocate()
  }

  /// Runs `read` on this thread, folding with `fold` on another every item `read` passes to the
  /// pipeline's `emit`, in that order. When this returns (or throws), every item passed has been folded
  /// and the folding thread is gone, so what `fold` changed may be read.
  static func run<R>(
    slots: Int = 4, batch: Int = 2048, fold: @escaping (Item) -> Void, read: (FoldPipeline) throws -> R
  ) rethrows -> R {
    let pipe = FoldPipeline(slots: slots, batch: batch, fold: fold)
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
  func emit(_ item: Item) {
    pending.append(item)
    if pending.count == batchSize { hand() }
  }

  /// Passes the pending batch (an empty one ends the fold).
  private func hand() {
    free.wait()
    slots[writeAt] = pending
    writeAt = (writeAt + 1) % slotCount
    full.signal()
    pending = []
    pending.reserveCapacity(batchSize)
  }

  private func finish() {
    if !pending.isEmpty { hand() }
    hand()  // the end
    done.wait()
  }

  private func folding() {
    var readAt = 0
    while true {
      full.wait()
      let batch = slots[readAt]
      slots[readAt] = []
      free.signal()
      if batch.isEmpty { break }
      batch.withUnsafeBufferPointer { items in
        for i in items.indices { fold(items[i]) }
      }
      readAt = (readAt + 1) % slotCount
    }
    done.signal()
  }
}

/// A value handed to the folding thread, which alone uses it until the pipeline has ended.
final class UncheckedBox<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}

import ERPCore
import Foundation

/// A run of events handed over by the appending thread (decided primary events with what was
/// derived from them, or events stored as given), encoded and hashed on an `EncodingThread` into
/// their records, which the appending thread then puts.
final class EncodedRun: @unchecked Sendable {
  enum Entry {
    /// A decided primary event and the events derived from it, the primary first, as
    /// `EventEncoder.encode` takes them.
    case decided(NewEvent, [SalesEvent])
    /// The same, with the event in its preparation (`PreparedEvent.event`).
    case prepared(PreparedEvent, [SalesEvent])
    /// An event stored as given (`AppendMode.trusted`).
    case asGiven(NewEvent)
  }

  /// The entries to encode; nil once taken out to be encoded.
  var entries: [Entry?] = []
  /// The records, one after the other; `ends[i]` is where the record of seq `firstSeq + i` ends.
  var records: [UInt8] = []
  var ends: [Int] = []
  /// The seq of the first record; nil before the run is encoded.
  var firstSeq: UInt64?
  /// The chain's head after the run's last event.
  var head = ChainHead.genesis

  init(capacity: Int) {
    entries.reserveCapacity(capacity)
  }

  /// Encodes every entry's events in order, continuing `encoder`'s chain, and empties `entries`.
  func encode(with encoder: inout EventEncoder) {
    records.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    firstSeq = encoder.head.seq + 1
    func keep(_ record: UnsafeBufferPointer<UInt8>) {
      records.append(contentsOf: record)
      ends.append(records.count)
    }
    // Each entry is moved out of its slot (`take`), not copied: switched on where it lay, an
    // entry was copied whole (retaining its event or preparation and its decided events) and the
    // copy released, besides the array's own release of it later. The array keeps its capacity
    // for the next run.
    for i in entries.indices {
      switch entries[i].take()! {  // (nil only once taken, here)
      case .decided(let e, let decided):
        _ = encoder.encode(e, nil, decided) { _, record in keep(record) }
      case .prepared(let prepared, let decided):
        _ = encoder.encode(prepared, decided) { _, record in keep(record) }
      case .asGiven(let e):
        _ = encoder.encode(JSONPieces(type: e.type, at: e.at, key: e.key, v: e.v, data: e.data)) { _, record in
          keep(record)
        }
      }
    }
    entries.removeAll(keepingCapacity: true)
    head = encoder.head
  }
}

/// The third thread of an import: it encodes the events of runs (`EncodedRun`) into their
/// stored form and links them into the hash chain while the appending thread decides the next
/// runs. An LMDB write transaction belongs to one thread, so the records come back to be put.
///
/// Encoding and hashing had been about 18 % of the appending thread, which alone bounds the
/// import's speed; the reading thread's core had time to spare.
final class EncodingThread: @unchecked Sendable {
  /// Primary events in a run: long enough that handing over costs nothing that shows, short
  /// enough that the last run's wait at the end is short.
  static let runLength = 256
  /// Runs out on the thread before the appending thread waits for the oldest: the thread shares
  /// a core with the reading thread, so it may fall behind for a while without stopping the
  /// appending thread (with one run out, the import had been no faster).
  static let runsOut = 16

  private let condition = NSCondition()
  private var encoder: EventEncoder
  /// Runs handed over and not yet encoded, oldest first.
  private var pending: [EncodedRun] = []
  /// Runs encoded and not yet taken, oldest first.
  private var done: [EncodedRun] = []
  private var stopped = false

  /// Starts the thread; `encoder` continues the chain from its head.
  init(encoder: EventEncoder) {
    self.encoder = encoder
    // (Woken for each run: it must not preempt the appending thread that woke it.)
    HelperThread.start(stackSize: 1 << 20) { [self] in loop() }
  }

  private func loop() {
    while true {
      condition.lock()
      while pending.isEmpty && !stopped { condition.wait() }
      guard !stopped else {
        condition.unlock()
        return
      }
      let run = pending.removeFirst()
      condition.unlock()
      // Only the records go back: `encode` lets go of each entry once it is encoded, here, not on
      // the appending thread, the busiest of an import's three (with glibc's malloc, freeing here
      // took the lock of the appending thread's arena for each free; mimalloc, which the
      // executables link, hands a free of another thread's memory back without a lock).
      run.encode(with: &encoder)
      condition.lock()
      done.append(run)
      condition.broadcast()
      condition.unlock()
    }
  }

  /// Hands `run` over to be encoded after the runs handed over before it.
  func submit(_ run: EncodedRun) {
    condition.lock()
    defer { condition.unlock() }
    pending.append(run)
    condition.broadcast()
  }

  /// The oldest run handed over and not taken yet, once it is encoded; nil if it is not encoded
  /// yet and `wait` is false.
  func take(wait: Bool) -> EncodedRun? {
    condition.lock()
    defer { condition.unlock() }
    while wait && done.isEmpty { condition.wait() }
    return done.isEmpty ? nil : done.removeFirst()
  }

  /// Ends the thread (after the run it is encoding, if any).
  func stop() {
    condition.lock()
    stopped = true
    condition.broadcast()
    condition.unlock()
  }
}

/// What `LogAppender` keeps of its `EncodingThread`: the run being filled, how many are out on
/// the thread, and runs to reuse. Letting go of it ends the thread (a transaction that throws is
/// never drained).
final class EncodingPipeline {
  private let thread: EncodingThread
  private let runLength: Int
  private let runsOut: Int
  private var filling: EncodedRun
  private var spare: [EncodedRun] = []
  /// Runs on the thread, or encoded and not taken yet.
  private var out = 0

  /// - Parameters: `runLength` and `runsOut` as `EncodingThread`'s (tests make them small).
  init(encoder: EventEncoder, runLength: Int = EncodingThread.runLength, runsOut: Int = EncodingThread.runsOut) {
    thread = EncodingThread(encoder: encoder)
    self.runLength = max(1, runLength)
    self.runsOut = max(1, runsOut)
    filling = EncodedRun(capacity: self.runLength)
  }
  deinit { thread.stop() }

  /// Adds a primary event to the run being filled; true when the run is full (`cycle`).
  ///
  /// The entry is consumed, moved into the run: taken as borrowed, it was copied in, which
  /// retained its preparation and decided events (and destroyed by the caller, which released
  /// them): 2.6 % of the appending thread's samples, each a cache miss on memory the other
  /// threads had touched.
  func add(_ entry: consuming EncodedRun.Entry) -> Bool {
    filling.entries.append(entry)
    return filling.entries.count >= runLength
  }

  /// Hands the run being filled to the thread; calls `put` with each run taken back encoded,
  /// oldest first: those finished already, and as many more, waited for, as keep at most
  /// `runsOut` out. With `all`, waits for every run out.
  func cycle(all: Bool = false, _ put: (EncodedRun) throws -> Void) rethrows {
    if !filling.entries.isEmpty {
      thread.submit(filling)
      out += 1
      filling = spare.popLast() ?? EncodedRun(capacity: runLength)
    }
    while out > 0, let run = thread.take(wait: all || out > runsOut) {
      out -= 1
      try put(run)
      spare.append(run)
    }
  }
}

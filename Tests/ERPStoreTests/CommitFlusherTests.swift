import ERPTestSupport
import Foundation
import Synchronization
import Testing

@testable import ERPStore

/// The thread that starts the disk's writeback while a commit writes (`CommitFlusher`): it
/// calls at its interval, never after `stop` has returned, not at all for a commit shorter than
/// its interval, and the call it makes works on a real file.
@Suite("Writeback during a commit")
struct CommitFlusherTests {
  @Test func callsAtItsIntervalUntilStopped() throws {
    let calls = Atomic<Int>(0)
    let start = Date()
    let flusher = CommitFlusher(file: 7, interval: 0.005) { fd in
      #expect(fd == 7)
      calls.add(1, ordering: .relaxed)
    }
    // (Waits for three calls, up to 10 s: a loaded machine may run the thread late.)
    while calls.load(ordering: .relaxed) < 3 && Date().timeIntervalSince(start) < 10 {
      Thread.sleep(forTimeInterval: 0.005)
    }
    flusher.stop()
    let elapsed = Date().timeIntervalSince(start)
    let made = calls.load(ordering: .relaxed)
    #expect(made >= 3, "\(made) calls in \(elapsed) s")
    // At most one per interval (a wait may end early only by a spurious wake-up: a few more).
    #expect(Double(made) <= elapsed / 0.005 + 3, "\(made) calls in \(elapsed) s at 5 ms")
    Thread.sleep(forTimeInterval: 0.03)
    #expect(calls.load(ordering: .relaxed) == made, "a call after stop returned")
  }

  /// It is a helper thread (`HelperThread.start`), and only it: a test's thread keeps
  /// its policy, so the setting is the thread's, not the process's.
  @Test func itsThreadYieldsOnWakeupAndOnlyIt() throws {
    // (Compared with the test's thread's own policy before: a runner may start the tests under
    // SCHED_BATCH, and then every thread is.)
    let before = HelperThread.yieldsOnWakeup
    let yields = Atomic<Int>(-1)
    let flusher = CommitFlusher(file: 7, interval: 0.001) { _ in
      yields.store(HelperThread.yieldsOnWakeup ? 1 : 0, ordering: .relaxed)
    }
    let start = Date()
    while yields.load(ordering: .relaxed) < 0 && Date().timeIntervalSince(start) < 10 {
      Thread.sleep(forTimeInterval: 0.002)
    }
    flusher.stop()
    #if os(Linux)
    #expect(yields.load(ordering: .relaxed) == 1)
    #endif
    #expect(HelperThread.yieldsOnWakeup == before)
    // Any thread that `HelperThread.start` runs.
    let other = Atomic<Int>(-1)
    let done = DispatchSemaphore(value: 0)
    HelperThread.start(stackSize: 1 << 18) {
      other.store(HelperThread.yieldsOnWakeup ? 1 : 0, ordering: .relaxed)
      done.signal()
    }
    done.wait()
    #if os(Linux)
    #expect(other.load(ordering: .relaxed) == 1)
    #endif
    #expect(HelperThread.yieldsOnWakeup == before)
  }

  @Test func aShortCommitMakesNoCall() {
    let calls = Atomic<Int>(0)
    let flusher = CommitFlusher(file: 7, interval: 10) { _ in calls.add(1, ordering: .relaxed) }
    flusher.stop()
    #expect(calls.load(ordering: .relaxed) == 0)
  }

  @Test func noFileNoThread() {
    let calls = Atomic<Int>(0)
    let flusher = CommitFlusher(file: -1, interval: 0.001) { _ in calls.add(1, ordering: .relaxed) }
    Thread.sleep(forTimeInterval: 0.02)
    flusher.stop()
    #expect(calls.load(ordering: .relaxed) == 0)
  }

  @Test func theWritebackCallWorksOnAFile() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.path + "/f"
    #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 1, count: 1 << 16)))
    let fd = open(path, O_RDWR)
    #expect(fd >= 0)
    defer { close(fd) }
    #expect(CommitFlusher.startWriteback(fd) == 0, "errno \(errno)")
    #if os(Linux)
      #expect(CommitFlusher.startWriteback(-1) == -1, "a bad descriptor is refused")
    #endif
  }

  @Test func aLargeCommitStillCommitsEverything() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let env = try LMDBEnvironment(path: dir.path, mapSize: 64 << 20, maxDatabases: 2, readOnly: false)
    let db = try env.databases(["log"])[0]
    let value = [UInt8](repeating: 0xAB, count: 1000)
    try env.write { txn in
      for n in 1...20_000 { try txn.put(db, SeqKey.encode(UInt64(n)), value, append: true) }
    }
    let (count, last) = try env.read { txn throws in (try txn.count(db), try txn.get(db, SeqKey.encode(20_000))) }
    #expect(count == 20_000)
    #expect(last == value)
  }
}

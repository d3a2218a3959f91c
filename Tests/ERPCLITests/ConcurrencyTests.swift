import ERPTestSupport
import Foundation
import Testing

/// SPEC 1: many processes may append to one store at once; LMDB's writer lock serialises them,
/// and the log stays gapless without duplicates.
@Suite("Concurrent appends from real processes")
struct ConcurrencyTests {
  /// Runs each lane on its own thread (not the test's cooperative pool, which may be as small as
  /// the number of cores) and waits for all.
  func runLanes(_ lanes: [@Sendable () -> Void]) {
    let group = DispatchGroup()
    for lane in lanes {
      group.enter()
      Thread.detachNewThread {
        lane()
        group.leave()
      }
    }
    group.wait()
  }

  final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var runs: [(String, RunResult)] = []
    func add(_ label: String, _ r: RunResult) {
      lock.lock()
      runs.append((label, r))
      lock.unlock()
    }
    var all: [(String, RunResult)] {
      lock.lock()
      defer { lock.unlock() }
      return runs
    }
  }

  @Test func fourProcessesAppendingAtOnceLeaveAGaplessLog() throws {
    let dir = try TemporaryDirectory("erpctl-conc")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    let runner = try located.get()

    // Lanes 0 and 1: one process each with a 200-event file. Lanes 2 and 3: a 150-event file,
    // then 50 processes appending one event each. 800 uniquely keyed events in all.
    var files: [[String]] = []
    var allKeys: Set<String> = []
    for lane in 0..<4 {
      var lines: [String] = []
      for n in 0..<200 {
        let key = "lane\(lane)-\(n)"
        allKeys.insert(key)
        lines.append(
          n % 2 == 0
            ? costLine(lane * 1000 + n, key: key)
            : customerLine("C-\(lane)-\(n)", key: key, name: "客户\(lane)-\(n)"))
      }
      files.append(lines)
    }
    #expect(allKeys.count == 800)
    var bigFiles: [String] = []
    for lane in 0..<4 {
      let count = lane < 2 ? 200 : 150
      let path = dir.file("lane\(lane).jsonl")
      try writeFile(path, files[lane].prefix(count).joined(separator: "\n") + "\n")
      bigFiles.append(path)
    }

    let results = Results()
    let start = DispatchSemaphore(value: 0)
    let lanes: [@Sendable () -> Void] = (0..<4).map { lane in
      let singles = lane < 2 ? [] : Array(files[lane].suffix(50))
      let big = bigFiles[lane]
      return {
        start.wait()
        do {
          let r = try runner.run(["append", "--store", s, "--quiet", big], timeout: 600)
          results.add("lane \(lane) file", r)
          for (i, line) in singles.enumerated() {
            let r1 = try runner.run(["append", "--store", s, "-"], stdin: Array((line + "\n").utf8), timeout: 120)
            results.add("lane \(lane) single \(i)", r1)
          }
        } catch {
          Issue.record("lane \(lane): \(error)")
        }
      }
    }
    // Release all four at once.
    let releaser: @Sendable () -> Void = {
      Thread.sleep(forTimeInterval: 0.05)
      for _ in 0..<4 { start.signal() }
    }
    runLanes(lanes + [releaser])

    let runs = results.all
    #expect(runs.count == 2 + 2 * 51)
    for (label, r) in runs {
      #expect(r.exited(0), "\(label): \(describe(r))")
    }

    let exported = try exportLines(s)
    let objects = try exported.map(jsonObject)
    let seqs = objects.compactMap { int($0["seq"]) }
    #expect(seqs == Array(1...800), "seqs exactly 1…800")
    let keys = objects.compactMap { $0["key"] as? String }
    #expect(keys.count == 800)
    #expect(Set(keys) == allKeys, "every key present")
    #expect(Set(keys).count == keys.count, "no key twice")
    // Each process's events keep their file order.
    for lane in 0..<4 {
      let laneSeqs = objects.filter { ($0["key"] as? String)?.hasPrefix("lane\(lane)-") == true }
        .sorted { (int($0["seq"]) ?? 0) < (int($1["seq"]) ?? 0) }
        .compactMap { $0["key"] as? String }
      #expect(laneSeqs == (0..<200).map { "lane\(lane)-\($0)" }, "lane \(lane) in order")
    }
    let v = try erpctl(["verify", "--store", s])
    #expect(v.exited(0), "\(describe(v))")
    #expect(try chainLinksMatch(exported).allSatisfy { $0 })
  }

  @Test func racingTheSameFileAppendsItOnce() throws {
    // Four processes append the same keyed file at once: idempotency holds across processes.
    let dir = try TemporaryDirectory("erpctl-conc")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    let runner = try located.get()
    let file = dir.file("same.jsonl")
    try writeFile(file, (0..<300).map { costLine($0, key: "same-\($0)") }.joined(separator: "\n") + "\n")
    let running = try (0..<4).map { _ in try runner.start(["append", "--store", s, file], timeout: 600) }
    let results = running.map { $0.wait() }
    for r in results { #expect(r.exited(0), "\(describe(r))") }
    let exported = try exportLines(s)
    #expect(exported.count == 300)
    #expect(try exported.map(jsonObject).compactMap { int($0["seq"]) } == Array(1...300))
    #expect(try erpctl(["verify", "--store", s]).exited(0))
  }
}

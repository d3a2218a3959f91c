import ERPTestSupport
import Foundation
import Testing

/// SPEC 4 exit codes: 64 usage, 65 bad data, 66 missing input or store; errors on stderr.
@Suite("Exit codes")
struct ExitCodeTests {
  @Test(arguments: [
    ["log"], ["export"], ["verify"], ["stats"], ["append", "IN"], ["log", "--format", "jsonl"],
  ])
  func missingStoreIs66(arguments: [String]) throws {
    let dir = try TemporaryDirectory("erpctl-exit")
    defer { dir.remove() }
    let input = dir.file("in.jsonl")
    try writeFile(input, customerLine("C-1", key: "k") + "\n")
    let missing = dir.file("no-such-store")
    let args = arguments.map { $0 == "IN" ? input : $0 } + ["--store", missing]
    let r = try erpctl(args)
    #expect(r.exited(66), "\(describe(r))")
    #expect(r.out.isEmpty)
    #expect(r.errLines.count == 1, "one line: \(describe(r))")
    #expect(r.err.contains(missing))
    #expect(!FileManager.default.fileExists(atPath: missing), "nothing created at the missing path")
  }

  @Test func missingInputFileIs66() throws {
    let dir = try TemporaryDirectory("erpctl-exit")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    let missing = dir.file("nope.jsonl")
    let r = try erpctl(["append", "--store", s, missing])
    #expect(r.exited(66), "\(describe(r))")
    #expect(r.err.contains(missing))
    #expect(r.errLines.count == 1)
    let restore = try erpctl(["restore", "--store", dir.file("new.lmdb"), missing])
    #expect(restore.exited(66), "\(describe(restore))")
    #expect(!FileManager.default.fileExists(atPath: dir.file("new.lmdb")))
  }

  @Test(arguments: [
    ["init", "--currency", "cny"],
    ["init", "--currency", "CNYX"],
    ["init", "--timezone", "Mars/Olympus"],
    ["init", "--frobnicate"],
    ["log", "--format", "xml"],
    ["export", "--format", "table"],
    ["export", "--type", "NoSuchEvent"],
    ["export", "--until", "2026-13-45"],
    ["frobnicate"],
  ])
  func usageErrorsAre64(arguments: [String]) throws {
    let dir = try TemporaryDirectory("erpctl-exit")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    if arguments.first != "init" { try initStore(s) }
    let r = try erpctl(arguments + ["--store", s])
    #expect(r.exited(64), "\(describe(r))")
    #expect(r.out.isEmpty)
    #expect(!r.err.isEmpty)
    if arguments.first == "init" {
      #expect(!FileManager.default.fileExists(atPath: s), "a refused init creates nothing")
    }
  }

  @Test func restoreIntoANonEmptyStoreIs65() throws {
    let dir = try TemporaryDirectory("erpctl-exit")
    defer { dir.remove() }
    let a = dir.file("a.lmdb")
    try initStore(a)
    #expect(try erpctl(["append", "--store", a, Fixtures.path("events/sample.jsonl")]).exited(0))
    let exported = try exportLines(a)
    let file = dir.file("export.jsonl")
    try writeFile(file, exported.joined(separator: "\n") + "\n")
    // Into itself, and into another store holding one event.
    let r = try erpctl(["restore", "--store", a, file])
    #expect(r.exited(65), "\(describe(r))")
    #expect(try exportLines(a) == exported)
    let b = dir.file("b.lmdb")
    try initStore(b)
    let one = dir.file("one.jsonl")
    try writeFile(one, customerLine("C-9", key: "x") + "\n")
    #expect(try erpctl(["append", "--store", b, one]).exited(0))
    let before = try exportLines(b)
    let r2 = try erpctl(["restore", "--store", b, file])
    #expect(r2.exited(65), "\(describe(r2))")
    #expect(r2.err.contains(b))
    #expect(try exportLines(b) == before)
  }

  @Test func restoreIntoAForeignDirectoryIsRefused() throws {
    let dir = try TemporaryDirectory("erpctl-exit")
    defer { dir.remove() }
    let target = dir.file("photos")
    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
    try writeFile(target + "/cat.jpg", "meow")
    let file = dir.file("empty.jsonl")
    try writeFile(file, "")
    let r = try erpctl(["restore", "--store", target, file])
    #expect(!r.exited(0), "\(describe(r))")
    #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["cat.jpg"])
  }

  @Test(arguments: [3, 7])
  func tamperedExportIs65AndWritesNothing(line: Int) throws {
    let dir = try TemporaryDirectory("erpctl-exit")
    defer { dir.remove() }
    let a = dir.file("a.lmdb")
    try initStore(a)
    #expect(try erpctl(["append", "--store", a, Fixtures.path("events/sample.jsonl")]).exited(0))
    var exported = try exportLines(a)
    // One changed digit inside the data of that line: 1 → 2 in the first "1" after "data".
    let original = exported[line - 1]
    let dataStart = try #require(original.range(of: #""data":"#))
    let one = try #require(original.range(of: "1", range: dataStart.upperBound..<original.endIndex))
    exported[line - 1] = original.replacingCharacters(in: one, with: "2")
    #expect(exported[line - 1] != original)
    let file = dir.file("tampered.jsonl")
    try writeFile(file, exported.joined(separator: "\n") + "\n")

    let target = dir.file("b.lmdb")
    let r = try erpctl(["restore", "--store", target, file])
    #expect(r.exited(65), "\(describe(r))")
    #expect(r.err.contains("\(file):\(line):"), "\(describe(r))")
    // Nothing written: no store left behind, or an empty one.
    if FileManager.default.fileExists(atPath: target + "/data.mdb") {
      #expect(try exportLines(target).isEmpty)
    }
    // Into an initialised empty store: it stays empty.
    let c = dir.file("c.lmdb")
    try initStore(c)
    let r2 = try erpctl(["restore", "--store", c, file])
    #expect(r2.exited(65), "\(describe(r2))")
    #expect(try exportLines(c).isEmpty)
    #expect(try erpctl(["verify", "--store", c]).exited(0))
  }

  @Test func exportWithAMissingLineIs65() throws {
    let dir = try TemporaryDirectory("erpctl-exit")
    defer { dir.remove() }
    let a = dir.file("a.lmdb")
    try initStore(a)
    #expect(try erpctl(["append", "--store", a, Fixtures.path("events/sample.jsonl")]).exited(0))
    var exported = try exportLines(a)
    exported.remove(at: 4)
    let file = dir.file("gap.jsonl")
    try writeFile(file, exported.joined(separator: "\n") + "\n")
    let r = try erpctl(["restore", "--store", dir.file("b.lmdb"), file])
    #expect(r.exited(65), "\(describe(r))")
    #expect(r.err.contains("\(file):5:"), "\(describe(r))")
  }

  @Test func initTwiceIsRefusedAndKeepsTheStore() throws {
    let dir = try TemporaryDirectory("erpctl-exit")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    #expect(try erpctl(["append", "--store", s, Fixtures.path("events/sample.jsonl")]).exited(0))
    let r = try erpctl(["init", "--store", s, "--currency", "USD"])
    #expect(!r.exited(0), "\(describe(r))")
    #expect(r.err.contains(s))
    #expect(try exportLines(s).count == 11)  // 9 lines + 2 derived from the order
    let stats = try erpctl(["stats", "--store", s, "--format", "json"])
    #expect(try jsonObject(stats.out)["currency"] as? String == "CNY")
  }

  @Test func helpAndVersionExit0() throws {
    let help = try erpctl(["--help"])
    #expect(help.exited(0))
    for sub in ["init", "append", "log", "export", "restore", "verify", "stats"] {
      #expect(help.out.contains(sub), "help lists \(sub)")
    }
    #expect(try erpctl(["--version"]).exited(0))
  }
}

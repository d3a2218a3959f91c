import ERPTestSupport
import Foundation
import Testing

@Suite("demo, and a generated history imported twice")
struct DemoTests {
  @Test func demoCreatesAStoreFromAGeneratedHistoryAndSummarisesIt() throws {
    let dir = try TemporaryDirectory("erpctl-demo")
    defer { dir.remove() }
    let target = dir.file("demo")
    let r = try erpctl(["demo", "--dir", target, "--months", "3", "--customers", "40", "--start", "2026-01-01"])
    #expect(r.exited(0), "\(describe(r))")
    #expect(r.outLines.first == "demo store: \(target)/erpctl.lmdb", "\(describe(r))")
    #expect(r.out.contains("history:    \(target)/history.jsonl (3 months from 2026-01-01, 40 customers, seed 1)"))
    #expect(r.out.contains("OrderConfirmed"), "the log summary lists the event types: \(describe(r))")
    #expect(r.err.contains("0 rejected"), "\(describe(r))")
    #expect(try erpctl(["verify", "--store", target + "/erpctl.lmdb"]).exited(0))
    // A directory that is not empty is refused, and nothing is written into it.
    let again = try erpctl(["demo", "--dir", target])
    #expect(again.exited(64), "\(describe(again))")
  }

  @Test func aGeneratedHistoryImportedTwiceGivesTheSameLog() throws {
    let dir = try TemporaryDirectory("erpctl-demo")
    defer { dir.remove() }
    let file = dir.file("h.jsonl")
    #expect(try erpctl(["generate", "-q", "--months", "4", "--customers", "50", "--seed", "9", "--out", file]).exited(0))
    let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").count
    let s = dir.file("s.lmdb")
    try initStore(s)
    #expect(try erpctl(["import", "--store", s, "--commit-every", "500", file]).exited(0))
    let first = try exportLines(s)
    let again = try erpctl(["import", "--store", s, file])
    #expect(again.exited(0), "\(describe(again))")
    #expect(again.err.contains("imported 0 events and 0 derived, \(lines) already present, 0 rejected"), "\(describe(again))")
    #expect(try exportLines(s) == first)
    #expect(try erpctl(["verify", "--store", s]).exited(0))
  }
}

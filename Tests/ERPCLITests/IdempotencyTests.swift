import ERPTestSupport
import Foundation
import Testing

@Suite("Appending the same keys again")
struct IdempotencyTests {
  @Test func sameFileTwiceAppendsNothingTheSecondTime() throws {
    let dir = try TemporaryDirectory("erpctl-idem")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    let sample = Fixtures.path("events/sample.jsonl")
    let first = try erpctl(["append", "--store", s, sample])
    #expect(first.exited(0), "\(describe(first))")
    let before = try exportLines(s)
    #expect(before.count == 11)  // 9 lines + StockReserved and LeadStageChanged won from the order

    let second = try erpctl(["append", "--store", s, sample])
    #expect(second.exited(0), "\(describe(second))")
    #expect(second.err.lowercased().contains("already appended"), "\(describe(second))")
    #expect(try exportLines(s) == before)
    #expect(try erpctl(["verify", "--store", s]).exited(0))
  }

  @Test func sameKeyWithADifferentPayloadIs65AndNamesFileLineAndKey() throws {
    let dir = try TemporaryDirectory("erpctl-idem")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    let first = dir.file("first.jsonl")
    try writeFile(first, [costLine(1, key: "order-1"), costLine(2, key: "order-2")].joined(separator: "\n") + "\n")
    #expect(try erpctl(["append", "--store", s, first]).exited(0))
    let before = try exportLines(s)

    // Line 1 is new, line 2 reuses key order-2 with another quantity, line 3 is new.
    let second = dir.file("second.jsonl")
    try writeFile(
      second,
      [costLine(3, key: "order-3"), costLine(2, key: "order-2", qty: 7), costLine(4, key: nil)]
        .joined(separator: "\n") + "\n")
    let r = try erpctl(["append", "--store", s, second])
    #expect(r.exited(65), "\(describe(r))")
    #expect(r.err.contains("\(second):2:"), "\(describe(r))")
    #expect(r.err.contains("field 'key'"), "\(describe(r))")
    #expect(r.err.contains("order-2"), "\(describe(r))")
    // Nothing of that file was appended (line 1 neither).
    #expect(try exportLines(s) == before)
  }

  @Test func keyedLinesRepeatedInOneFileAppendOnce() throws {
    let dir = try TemporaryDirectory("erpctl-idem")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    let f = dir.file("dup.jsonl")
    try writeFile(f, [costLine(1, key: "k"), costLine(1, key: "k"), costLine(2, key: nil)].joined(separator: "\n"))
    let r = try erpctl(["append", "--store", s, f])
    #expect(r.exited(0), "\(describe(r))")
    let lines = try exportLines(s)
    #expect(lines.count == 2)
    #expect(r.err.contains("\(f):2:"), "the repeated line is reported: \(describe(r))")
  }

  @Test func aKeyRepeatedInOneFileWithAnotherPayloadNamesTheEarlierLine() throws {
    let dir = try TemporaryDirectory("erpctl-idem")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    let f = dir.file("dup.jsonl")
    try writeFile(f, [costLine(1, key: "k"), costLine(2, key: nil), costLine(1, key: "k", qty: 9)].joined(separator: "\n"))
    let r = try erpctl(["append", "--store", s, f])
    #expect(r.exited(65), "\(describe(r))")
    #expect(r.err.contains("\(f):3: field 'key': 'k' repeats the key of line 1"), "\(describe(r))")
    #expect(try exportLines(s).isEmpty)
  }
}

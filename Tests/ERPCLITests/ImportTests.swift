import ERPTestSupport
import Foundation
import Testing

@Suite("import (JSON Lines)")
struct ImportTests {
  /// The demo fixture without its keys, so import derives them.
  func unkeyedDemo() throws -> String {
    try Fixtures.lines("events/demo.jsonl")
      .map { $0.replacingOccurrences(of: #","key":"[^"]*""#, with: "", options: .regularExpression) }
      .joined(separator: "\n") + "\n"
  }

  @Test func importingTheSameFileTwiceAppendsNothingTheSecondTime() throws {
    let dir = try TemporaryDirectory("erpctl-import")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    let file = dir.file("facts.jsonl")
    // CRLF line ends, a byte-order mark and no newline after the last line are all accepted
    // ("\r\n" is one Character, so dropLast() removes the last line end).
    let text = try unkeyedDemo()
    try writeFile(file, bytes: [0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "\n", with: "\r\n").dropLast().utf8))
    let first = try erpctl(["import", "--store", s, file])
    #expect(first.exited(0), "\(describe(first))")
    // 19 records; the order derives 2 StockReserved and the lead won, the shipment its invoice,
    // the payment its match: 5 derived.
    #expect(first.err.contains("imported 19 events and 5 derived, 0 already present, 0 rejected"), "\(describe(first))")
    let log = try exportLines(s)
    #expect(log.count == 24)
    // Keys are derived from the file's content hash and the line number.
    let keys = try log.compactMap { try jsonObject($0)["key"] as? String }
    #expect(keys.count == 19)
    #expect(keys.allSatisfy { $0.hasPrefix("import:") && $0.hasSuffix(":\(keys.firstIndex(of: $0)! + 1)") })

    let again = try erpctl(["import", "--store", s, file])
    #expect(again.exited(0))
    #expect(again.err.contains("imported 0 events and 0 derived, 19 already present"), "\(describe(again))")
    // The same content on standard input derives the same keys.
    let viaStdin = try erpctl(["import", "--store", s, "-"], stdin: Array(try Data(contentsOf: URL(fileURLWithPath: file))))
    #expect(viaStdin.err.contains("19 already present"), "\(describe(viaStdin))")
    #expect(try exportLines(s) == log)
    #expect(try erpctl(["verify", "--store", s]).exited(0))
  }

  @Test func anInvalidFileAppendsNothingAndEveryErrorIsListed() throws {
    let dir = try TemporaryDirectory("erpctl-import")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    let good = dir.file("good.jsonl")
    try writeFile(good, try unkeyedDemo())
    let bad = dir.file("bad.jsonl")
    try writeFile(bad, [
      #"{"type":"OrderConfirmed","at":"2026-11-03","data":{"order":"SO-X","customer":"C-404","rep":"R-1","lines":[{"sku":"A1","qty":1,"unit_price":"1.00"}]}}"#,
      #"{"type":"Bogus","at":"2026-11-03","data":{}}"#,
      #"{"type":"ActivityLogged","at":"2026-11-03","data":{"rep":"R-1","kind":"call"}}"#,
      #"{"type":"StockReserved","at":"2026-11-03","data":{"order":"SO-1001","sku":"A1","qty":1}}"#,
      #"{"type":"ActivityLogged","at":"2026-11-03","data":{"rep":"R-1","kind":"call""#,
    ].joined(separator: "\n"))
    let r = try erpctl(["import", "--store", s, good, bad])
    #expect(r.exited(65), "\(describe(r))")
    let lines = r.errLines
    #expect(lines == [
      "erpctl: \(bad):1: unknown customer 'C-404'",
      "erpctl: \(bad):2: field 'type': unknown event type 'Bogus'",
      "erpctl: \(bad):4: StockReserved is derived by the store from a primary event and cannot be appended; to load a whole export use 'erpctl restore'",
      "erpctl: \(bad):5: field 'data': malformed JSON: column 77: unexpected end of input; expected ',' or '}'",
    ], "\(describe(r))")
    #expect(try exportLines(s).isEmpty, "an atomic import that fails appends nothing, not even the good file")

    // --dry-run decides everything and appends nothing.
    let dry = try erpctl(["import", "--store", s, "--dry-run", "--skip-invalid", good, bad])
    #expect(dry.exited(0), "\(describe(dry))")
    #expect(dry.err.contains("would import 20 events and 5 derived, 0 already present, 4 rejected"), "\(describe(dry))")
    #expect(try exportLines(s).isEmpty)

    // --skip-invalid appends the valid records and writes the rejected ones with their reasons.
    let rejects = dir.file("rejects.jsonl")
    let skip = try erpctl(["import", "--store", s, "--skip-invalid", "--rejects", rejects, good, bad])
    #expect(skip.exited(0), "\(describe(skip))")
    #expect(try exportLines(s).count == 25)
    let rejected = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n").map { try jsonObject(String($0)) }
    #expect(rejected.map { int($0["line"]) } == [1, 2, 4, 5])
    #expect(rejected.allSatisfy { $0["file"] as? String == bad })
    #expect((rejected[1]["record"] as? String)?.contains("Bogus") == true)
    #expect(try erpctl(["verify", "--store", s]).exited(0))
  }

  @Test func usageAndMissingInput() throws {
    let dir = try TemporaryDirectory("erpctl-import")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    #expect(try erpctl(["import", "--store", s, dir.file("nope.jsonl")]).exited(66))
    #expect(try erpctl(["import", "--store", s, "--rejects", dir.file("r"), dir.file("x")]).exited(64))
    #expect(try erpctl(["import", "--store", s, "--format", "csv", dir.file("x")]).exited(64))
  }

  @Test func commitEveryKeepsTheBatchesBeforeAFailingOne() throws {
    let dir = try TemporaryDirectory("erpctl-import")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    var lines = try unkeyedDemo().split(separator: "\n").map(String.init)
    #expect(lines.count == 19)
    lines.insert(#"{"type":"Bogus","at":"2026-11-03","data":{}}"#, at: 11)  // line 12
    let file = dir.file("f.jsonl")
    try writeFile(file, lines.joined(separator: "\n") + "\n")
    let r = try erpctl(["import", "--store", s, "--commit-every", "5", file])
    #expect(r.exited(65), "\(describe(r))")
    #expect(r.errLines.first == "erpctl: \(file):12: field 'type': unknown event type 'Bogus'", "\(describe(r))")
    #expect(r.err.contains("nothing from \(file):11 on was appended; the batches before it were (10 events and"), "\(describe(r))")
    // Lines 1–10 are in the store, with their derived events; nothing of lines 11–15.
    let keys = try exportLines(s).compactMap { try jsonObject($0)["key"] as? String }
    #expect(keys.map { $0.split(separator: ":").last.map(String.init) } == (1...10).map { String($0) })
    #expect(try erpctl(["verify", "--store", s]).exited(0))

    // A dry run with --commit-every commits nothing, even the good batches.
    let fresh = dir.file("t.lmdb")
    try initStore(fresh)
    let dry = try erpctl(["import", "--store", fresh, "--commit-every", "5", "--dry-run", "--skip-invalid", file])
    #expect(dry.exited(0), "\(describe(dry))")
    #expect(dry.err.contains("would import 19 events"), "\(describe(dry))")
    #expect(try exportLines(fresh).isEmpty)

    // --skip-invalid with batches appends everything valid, batch by batch.
    let skip = try erpctl(["import", "--store", fresh, "--commit-every", "5", "--skip-invalid", file])
    #expect(skip.exited(0), "\(describe(skip))")
    #expect(skip.err.contains("imported 19 events and 5 derived, 0 already present, 1 rejected"), "\(describe(skip))")
    #expect(try erpctl(["verify", "--store", fresh]).exited(0))
  }

  /// The reading thread gets room for a batch ahead; a batch larger than any file (up to
  /// Int.max) must neither overflow nor allocate room for it.
  @Test(arguments: ["1", "1048577", "9223372036854775807"])
  func commitEveryTakesAnyBatchSize(n: String) throws {
    let dir = try TemporaryDirectory("erpctl-import")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    let file = dir.file("f.jsonl")
    try writeFile(file, try unkeyedDemo())
    let r = try erpctl(["import", "--store", s, "--commit-every", n, file])
    #expect(r.exited(0), "\(describe(r))")
    #expect(r.err.contains("imported 19 events"), "\(describe(r))")
    #expect(try erpctl(["verify", "--store", s]).exited(0))
  }

  /// Fixtures/import/bad.jsonl holds one of each: malformed JSON, a wrong type, an unknown event
  /// type, an unknown reference, invalid UTF-8, a key reused with another payload, and a last
  /// line cut short (no line end).
  @Test func theBadFixtureListsEveryErrorAndLeavesTheStoreUnchanged() throws {
    let dir = try TemporaryDirectory("erpctl-import")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    let good = Fixtures.path("import/good.jsonl")
    let bad = Fixtures.path("import/bad.jsonl")
    let r = try erpctl(["import", "--store", s, good, bad])
    #expect(r.exited(65), "\(describe(r))")
    #expect(r.errLines == [
      "erpctl: \(bad):2: field 'data': malformed JSON: column 88: expected ',' or '}'",
      #"erpctl: \#(bad):3: field 'data.qty': expected a positive integer, got "3""#,
      "erpctl: \(bad):4: field 'type': unknown event type 'OrderPlaced'",
      "erpctl: \(bad):5: unknown customer 'C-404'",
      "erpctl: \(bad):6: field 'data.name': malformed JSON: column 85: invalid UTF-8",
      "erpctl: \(bad):7: field 'key': 'c-9' already names event 1 with a different payload",
      "erpctl: \(bad):8: field 'data': malformed JSON: column 89: unterminated string",
    ], "\(describe(r))")
    #expect(try exportLines(s).isEmpty)
    let ok = try erpctl(["import", "--store", s, good])
    #expect(ok.err.contains("imported 2 events and 0 derived, 0 already present, 0 rejected"), "\(describe(ok))")
  }
}

import ERPTestSupport
import Foundation
import Testing

@Suite("init → append → log → export → restore → verify")
struct RoundTripTests {
  @Test func wholeCycleThroughTheBinary() throws {
    let dir = try TemporaryDirectory("erpctl-e2e")
    defer { dir.remove() }
    let a = dir.file("a.lmdb")
    let b = dir.file("b.lmdb")
    let sample = Fixtures.path("events/sample.jsonl")
    let input = try Fixtures.lines("events/sample.jsonl")
    let inputObjects = try input.map(jsonObject)
    // Which input line each stored seq comes from: the order on line 7 derives StockReserved and,
    // since it names lead L-1, LeadStageChanged won (seq 8 and 9, no key); every other line
    // stores just itself (SPEC 3).
    let source: [Int?] = [0, 1, 2, 3, 4, 5, 6, nil, nil, 7, 8]
    let derivedTypes = [8: "StockReserved", 9: "LeadStageChanged"]

    try initStore(a, ["--currency", "CNY", "--timezone", "Asia/Shanghai"])
    let appended = try erpctl(["append", "--store", a, sample])
    #expect(appended.exited(0), "\(describe(appended))")
    #expect(appended.out.isEmpty, "append writes no data to stdout")

    // log: a header, then one row per event, in seq order, naming seq and type.
    let table = try erpctl(["log", "--store", a])
    #expect(table.exited(0), "\(describe(table))")
    let rows = table.outLines
    #expect(rows.count == source.count + 1)
    let header = rows.first?.lowercased() ?? ""
    #expect(header.contains("seq") && header.contains("type"), "header: \(header)")
    for (i, row) in rows.dropFirst().enumerated() {
      let fields = row.split(separator: " ", omittingEmptySubsequences: true)
      #expect(fields.first.map(String.init) == String(i + 1), "row \(i + 1): \(row)")
      let type = try #require(source[i].map { inputObjects[$0]["type"] as? String } ?? derivedTypes[i + 1])
      #expect(fields.contains { $0 == type }, "row \(i + 1) names \(type): \(row)")
    }
    #expect(table.out.contains("上海贸易有限公司"))

    // log --format jsonl and export: the same canonical lines, one per event.
    let jsonl = try erpctl(["log", "--store", a, "--format", "jsonl"])
    #expect(jsonl.exited(0), "\(describe(jsonl))")
    let exported = try exportLines(a)
    #expect(jsonl.outLines == exported)
    #expect(exported.count == source.count)
    for (seqIndex, line) in exported.enumerated() {
      let o = try jsonObject(line)
      #expect(int(o["seq"]) == seqIndex + 1)
      guard let i = source[seqIndex] else {
        #expect(o["type"] as? String == derivedTypes[seqIndex + 1])
        #expect(o["key"] is NSNull, "a derived event has no key of its own")
        continue
      }
      #expect(o["type"] as? String == inputObjects[i]["type"] as? String)
      #expect(o["key"] as? String == inputObjects[i]["key"] as? String)
      // The same instant and offset; a fraction may lose its trailing zeros (.250 → .25).
      #expect((o["at"] as? String).map(trimFraction) == (inputObjects[i]["at"] as? String).map(trimFraction))
      #expect(int(o["v"]) == 1)
      #expect((o["hash"] as? String)?.count == 64)
      let recorded = try #require(o["recorded"] as? String)
      #expect(recorded.hasSuffix("Z"), "recorded is UTC: \(recorded)")
      // Data as given (money normalised to the currency's two decimals).
      let given = try #require(inputObjects[i]["data"] as? [String: Any])
      let stored = try #require(o["data"] as? [String: Any])
      #expect(Set(stored.keys) == Set(given.keys), "line \(i + 1)")
      for (k, v) in given {
        if let s = v as? String, let t = stored[k] as? String, s.range(of: #"^\d+(\.\d+)?$"#, options: .regularExpression) != nil {
          #expect(Decimal(string: s) == Decimal(string: t), "line \(i + 1) field \(k)")
          if ["acquisition_cost", "list_price", "unit_cost", "estimated_value", "amount"].contains(k) {
            #expect(t.split(separator: ".").last?.count == 2, "money \(k) = \(t) has 2 decimals")
          }
        } else if let s = v as? String {
          #expect(stored[k] as? String == s, "line \(i + 1) field \(k)")
        }
      }
    }

    // restore into a new path gives an identical log.
    let exportFile = dir.file("a.export.jsonl")
    try writeFile(exportFile, exported.joined(separator: "\n") + "\n")
    let restored = try erpctl(["restore", "--store", b, exportFile])
    #expect(restored.exited(0), "\(describe(restored))")
    #expect(try exportLines(b) == exported)

    for store in [a, b] {
      let v = try erpctl(["verify", "--store", store])
      #expect(v.exited(0), "verify \(store): \(describe(v))")
      let vj = try erpctl(["verify", "--store", store, "--format", "json"])
      #expect(vj.exited(0))
      let o = try jsonObject(vj.out)
      #expect(o["ok"] as? Bool == true)
      #expect(o["first_bad_seq"] is NSNull)
      #expect(int(o["head_seq"]) == source.count)
      #expect(o["head_hash"] as? String == (try jsonObject(exported.last ?? "{}"))["hash"] as? String)
    }
  }

  @Test func appendFromStandardInputAndRestoreIntoAnInitialisedEmptyStore() throws {
    let dir = try TemporaryDirectory("erpctl-e2e")
    defer { dir.remove() }
    let a = dir.file("a.lmdb")
    let b = dir.file("b.lmdb")
    try initStore(a)
    try initStore(b)
    let text = (1...5).map { costLine($0, key: "stdin-\($0)") }.joined(separator: "\n") + "\n"
    let r = try erpctl(["append", "--store", a, "-"], stdin: Array(text.utf8))
    #expect(r.exited(0), "\(describe(r))")
    let exported = try exportLines(a)
    #expect(exported.count == 5)
    // restore also reads standard input, into an initialised empty store (SPEC 7).
    let restored = try erpctl(
      ["restore", "--store", b, "-"], stdin: Array((exported.joined(separator: "\n") + "\n").utf8))
    #expect(restored.exited(0), "\(describe(restored))")
    #expect(try exportLines(b) == exported)
  }

  @Test func exportFiltersSinceTypeAndUntil() throws {
    let dir = try TemporaryDirectory("erpctl-e2e")
    defer { dir.remove() }
    let a = dir.file("a.lmdb")
    try initStore(a)
    let r = try erpctl(["append", "--store", a, Fixtures.path("events/sample.jsonl")])
    #expect(r.exited(0), "\(describe(r))")
    let all = try exportLines(a)
    let objects = try all.map(jsonObject)

    let since = try erpctl(["export", "--store", a, "--since", "4"])
    #expect(since.exited(0))
    #expect(since.outLines == Array(all.dropFirst(4)))

    let typed = try erpctl(["export", "--store", a, "--type", "CustomerRegistered", "--type", "OrderConfirmed"])
    #expect(typed.exited(0))
    #expect(typed.outLines == all.filter {
      $0.contains(#""type":"CustomerRegistered""#) || $0.contains(#""type":"OrderConfirmed""#)
    })

    // --until 2026-11-02: business dates in the store's timezone (Asia/Shanghai, +08:00).
    // Sample line 6 is 2026-11-02T14:00:00.250-05:00 = 2026-11-03T03:00:00.25+08:00, so it is out.
    let until = try erpctl(["export", "--store", a, "--until", "2026-11-02"])
    #expect(until.exited(0))
    let expectedSeqs = objects.compactMap { o -> Int? in
      guard let at = o["at"] as? String, let seq = int(o["seq"]) else { return nil }
      return ["2026-11-01", "2026-11-01T08:30:00+08:00", "2026-11-02T09:00:00+08:00"].contains(at) ? seq : nil
    }
    #expect(expectedSeqs == [1, 2, 3, 4, 5])
    let got = try until.outLines.map(jsonObject).compactMap { int($0["seq"]) }
    #expect(got == expectedSeqs)
  }
}

/// `2026-11-02T14:00:00.250-05:00` → `2026-11-02T14:00:00.25-05:00`; `….000Z` → `…Z`.
func trimFraction(_ rfc3339: String) -> String {
  guard let dot = rfc3339.firstIndex(of: ".") else { return rfc3339 }
  let digitsEnd = rfc3339[dot...].dropFirst().firstIndex { !$0.isNumber } ?? rfc3339.endIndex
  var digits = rfc3339[rfc3339.index(after: dot)..<digitsEnd]
  while digits.last == "0" { digits = digits.dropLast() }
  return rfc3339[..<dot] + (digits.isEmpty ? "" : "." + digits) + rfc3339[digitsEnd...]
}

import ERPTestSupport
import Foundation
import Testing

@Suite("stats")
struct StatsTests {
  @Test func jsonCountsEventsByType() throws {
    let dir = try TemporaryDirectory("erpctl-stats")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s, ["--currency", "USD", "--timezone", "America/New_York", "--payment-terms-days", "60"])
    let sample = Fixtures.path("events/sample.jsonl")
    #expect(try erpctl(["append", "--store", s, sample]).exited(0))
    let extra = dir.file("extra.jsonl")
    try writeFile(extra, [costLine(1, key: nil), costLine(2, key: nil), customerLine("C-X", key: nil)].joined(separator: "\n"))
    #expect(try erpctl(["append", "--store", s, extra]).exited(0))

    // Expected counts from the input files, parsed here.
    var expected: [String: Int] = [:]
    var keyed = 0
    for line in try Fixtures.lines("events/sample.jsonl") + String(contentsOfFile: extra, encoding: .utf8)
      .split(separator: "\n").map(String.init)
    {
      let o = try jsonObject(line)
      expected[try #require(o["type"] as? String), default: 0] += 1
      if o["key"] is String { keyed += 1 }
    }

    // The sample's order derives StockReserved and LeadStageChanged won (SPEC 3).
    expected["StockReserved", default: 0] += 1
    expected["LeadStageChanged", default: 0] += 1

    let r = try erpctl(["stats", "--store", s, "--format", "json"])
    #expect(r.exited(0), "\(describe(r))")
    let o = try jsonObject(r.out)
    let byType = try #require(o["by_type"] as? [String: Any])
    #expect(byType.mapValues { int($0) ?? -1 } == expected)
    #expect(int(o["events"]) == 14)  // 12 lines + 2 derived
    #expect(int(o["keyed_events"]) == keyed)
    #expect(int(o["head_seq"]) == 14)
    #expect(o["currency"] as? String == "USD")
    #expect(o["timezone"] as? String == "America/New_York")
    #expect(int(o["payment_terms_days"]) == 60)
    #expect(int(o["format"]) == 1)
    let last = try #require(try exportLines(s).last)
    #expect(o["head_hash"] as? String == (try jsonObject(last))["hash"] as? String)
    #expect((int(o["file_bytes"]) ?? 0) > 0)

    let table = try erpctl(["stats", "--store", s])
    #expect(table.exited(0))
    for (type, n) in expected {
      #expect(table.outLines.contains { $0.contains(type) && $0.hasSuffix(" \(n)") }, "\(type) \(n)")
    }
  }

  @Test func emptyStore() throws {
    let dir = try TemporaryDirectory("erpctl-stats")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    let o = try jsonObject(try erpctl(["stats", "--store", s, "--format", "json"]).out)
    #expect(int(o["events"]) == 0)
    #expect((o["by_type"] as? [String: Any])?.isEmpty == true)
    #expect(o["head_hash"] as? String == String(repeating: "0", count: 64))
  }
}
